/**
 * No NXCLOUD secret in anything a run or the Custom Fields picker shows or keeps (issue 15): one
 * scan (test/helpers/secretsScan.ts) of every output item, error (message, description, the node
 * and its parameters, the cause chain), execution hint, the execution data and every line given to
 * n8n's logger, and of every load-options answer, on each path that can fail. The sandbox quotes
 * the whole request (URL, headers with the `sign`, the body with `app_key`) in its error answers
 * wherever a careless vendor or proxy could. The secrets: the access secret, the App Key, a wrong
 * secret, and every `sign` the sandbox received.
 */
import type { IDataObject } from 'n8n-workflow';

import { NxCloudBatchCustomers } from '../../nodes/NxCloud/NxCloudBatchCustomers.node';
import { captureLogs, n8nHarness } from '../helpers/n8nWorkflow';
import type { RunOptions } from '../helpers/n8nWorkflow';
import { useTestSandbox } from '../helpers/sandboxClient';
import { loadOptionsExposures, runExposures, secretLeaks } from '../helpers/secretsScan';
import type { Fault } from '../sandbox/faults';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../sandbox/vendors/nxcloud';

jest.setTimeout(60_000);

const sandbox = useTestSandbox();

const n8n = n8nHarness();
const WRONG_SECRET = 'Wrong-NX-secret-4242';
const BATCH = '/batch_create';
const FIELDS = '/customers/fields';
const echo = (fault: Omit<Fault, 'vendor' | 'echoRequest'>): Omit<Fault, 'vendor'> => ({ ...fault, echoRequest: true });
const htmlQuoting = (title: string) => `<html><body><h1>${title}</h1><pre>{{request}}</pre></body></html>`;

const credential = (override: IDataObject = {}) => ({
	accessKey: NXCLOUD_ACCESS_KEY,
	accessSecret: NXCLOUD_ACCESS_SECRET,
	appSecretKey: NXCLOUD_APP_KEY,
	region: 'custom',
	baseUrl: `${sandbox.url}/nxcloud`,
	...override,
});

/** The secrets of a run: the credential's, a wrong one, and every signature the vendor received. */
async function secrets(): Promise<string[]> {
	const signs = (await sandbox.requests('nxcloud')).map((request) => String(request.headers.sign ?? '')).filter((sign) => sign !== '');
	return [NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, WRONG_SECRET, ...signs];
}

/** Whether the sandbox quoted a secret back to the node: the masking had something to mask. */
async function vendorQuotedASecret(): Promise<boolean> {
	const requests = await sandbox.requests('nxcloud');
	const quoted = JSON.stringify(requests);
	return [NXCLOUD_APP_KEY, encodeURIComponent(NXCLOUD_APP_KEY), ...requests.map((request) => String(request.headers.sign))].some((form) => quoted.includes(form));
}

interface RunScenario {
	name: string;
	faults?: Array<Omit<Fault, 'vendor'>>;
	credentials?: IDataObject | null;
	parameters?: IDataObject;
	input?: IDataObject[];
	/** What the node must have done: thrown (under Stop Workflow), or which Failure codes it gave. */
	failureCodes: string[];
	throws: boolean;
}

const customers = (count: number) => Array.from({ length: count }, (_, index) => ({ first_name: 'Ann', last_name: `L${index}`, email: `scan${index}@example.com` }));

const RUNS: RunScenario[] = [
	{ name: 'the credential cannot be read', credentials: null, failureCodes: ['NOT_SENT'], throws: true },
	{ name: 'the credential has no App Key', credentials: { appSecretKey: '' }, failureCodes: ['NOT_SENT'], throws: true },
	{
		name: '1001 quoting the request',
		faults: [echo({ path: BATCH, type: 'status', status: 200, times: 100, body: { code: 1001, message: 'missing header in {{request}}', data: '', traceId: 't1' } })],
		failureCodes: ['CONFIGURATION_ERROR', 'NOT_SENT'],
		throws: true,
	},
	{
		name: '1003 for a wrong secret, quoting the request',
		credentials: { accessSecret: WRONG_SECRET },
		faults: [echo({ path: BATCH, type: 'status', status: 200, times: 100, body: { code: 1003, message: 'sign is invalid: {{request}}', data: '', traceId: 't2' } })],
		failureCodes: ['CONFIGURATION_ERROR', 'NOT_SENT'],
		throws: true,
	},
	{
		name: '1005 quoting the request',
		faults: [echo({ path: BATCH, type: 'status', status: 200, times: 100, body: { code: 1005, message: 'no permission: {{request}}', data: '', traceId: 't3' } })],
		failureCodes: ['CONFIGURATION_ERROR', 'NOT_SENT'],
		throws: true,
	},
	{
		// Each answer quotes its own request, so no two are the same refusal: every customer is refused alone.
		name: '1002 echoing the body of every request',
		faults: [echo({ path: BATCH, type: 'status', status: 200, times: 100, body: { code: 1002, message: 'invalid body {{request}}', data: '', traceId: 't4' } })],
		failureCodes: ['VENDOR_REJECTED'],
		throws: false,
	},
	{
		name: '1002 echoing the body, until one customer is isolated',
		faults: [echo({ path: BATCH, type: 'status', status: 200, times: 2, body: { code: 1002, message: 'invalid body {{request}}', data: '', traceId: 't5' } })],
		input: customers(2),
		failureCodes: ['VENDOR_REJECTED'],
		throws: false,
	},
	{
		name: 'a 401 HTML page quoting the request',
		faults: [echo({ path: BATCH, type: 'status', status: 401, times: 100, body: htmlQuoting('401 Unauthorized') })],
		failureCodes: ['CONFIGURATION_ERROR', 'NOT_SENT'],
		throws: true,
	},
	{
		name: 'a 500 HTML page quoting the request, after storing',
		faults: [echo({ path: BATCH, type: 'storeThenFail', status: 500, times: 100, body: htmlQuoting('500 Internal Server Error') })],
		failureCodes: ['OUTCOME_UNKNOWN'],
		throws: false,
	},
	{
		name: 'a 503 quoting the request, retries spent',
		faults: [echo({ path: BATCH, type: 'status', status: 503, times: 100, body: { code: 503, message: 'busy {{request}}', data: '', traceId: 't6' } })],
		failureCodes: ['NOT_DELIVERED'],
		throws: false,
	},
	{ name: 'a timeout', faults: [{ path: BATCH, type: 'latency', latencyMs: 1500, times: 100 }], failureCodes: ['OUTCOME_UNKNOWN'], throws: false },
	{ name: 'a refused connection', credentials: { baseUrl: 'http://127.0.0.1:9' }, failureCodes: ['NOT_DELIVERED', 'NOT_SENT'], throws: true },
	{
		name: 'a request parameter expression that throws for one item',
		parameters: { mode: '={{ $json.mode.toNumber() }}' },
		input: [{ first_name: 'Ann', last_name: 'Ok', mode: '1' }, { first_name: 'Ann', last_name: 'Bad', mode: 'one' }],
		failureCodes: ['INVALID_RECORD'],
		throws: false,
	},
];

async function runScenario(scenario: RunScenario, onError: 'stopWorkflow' | 'continueRegularOutput') {
	for (const fault of scenario.faults ?? []) await sandbox.inject({ vendor: 'nxcloud', ...fault });
	const options: RunOptions = {
		input: scenario.input ?? customers(3),
		node: {
			type: 'nxCloudBatchCustomers',
			parameters: {
				edition: 'sea',
				tenantId: String(NXCLOUD_TENANT_ID),
				mode: 1,
				mappingMode: 'autoMapInputData',
				options: { batchSize: 2, maxRetries: 0, timeout: 1000 },
				...scenario.parameters,
			},
			onError,
		},
		credentials: scenario.credentials === null ? {} : { nxCloudApi: credential(scenario.credentials ?? {}) },
	};
	return await n8n.run(options);
}

describe.each([
	['Stop Workflow', 'stopWorkflow'],
	['Continue', 'continueRegularOutput'],
] as const)('NXCLOUD runs, On Error → %s: no secret anywhere', (_, onError) => {
	it.each(RUNS)('$name', async (scenario) => {
		const run = await runScenario(scenario, onError);
		const [success = [], failure = []] = run.outputs;
		if (scenario.throws && onError === 'stopWorkflow') {
			expect(run.error).toBeDefined();
			expect(success.length + failure.length).toBe(0);
		} else {
			expect(run.error).toBeUndefined();
			expect(failure.length).toBeGreaterThan(0);
			expect([...new Set(failure.map((item) => (item.json.error as IDataObject).code))].sort()).toEqual([...scenario.failureCodes].sort());
		}
		if (scenario.faults?.some((fault) => fault.echoRequest)) expect(await vendorQuotedASecret()).toBe(true);
		expect(secretLeaks(runExposures(run, scenario.name), await secrets())).toEqual([]);
	});
});

describe('the NXCLOUD Custom Fields picker: no secret in its answer, error or log', () => {
	interface PickerScenario {
		name: string;
		faults?: Array<Omit<Fault, 'vendor'>>;
		credentials?: IDataObject;
		tenantId?: string;
		fails: RegExp | false;
	}
	const PICKS: PickerScenario[] = [
		{ name: 'a list of fields', fails: false },
		{ name: 'a Tenant ID that is not a number', tenantId: 'tenant-x', fails: /'Tenant ID' \(tenantId\) must be a whole number/ },
		{ name: 'no App Key in the credential', credentials: { appSecretKey: ' ' }, fails: /credential has no App Key/ },
		{
			name: '1005 quoting the request (app_key in the URL, the sign in the headers)',
			faults: [echo({ path: FIELDS, type: 'status', status: 200, body: { code: 1005, message: 'no permission: {{request}}', data: '', traceId: 'f1' } })],
			fails: /^NXCLOUD did not list the fields \(code 1005: no permission: GET .*app_key=\*\*\*/,
		},
		{
			name: 'a wrong secret, 1003 quoting the request',
			credentials: { accessSecret: WRONG_SECRET },
			faults: [echo({ path: FIELDS, type: 'status', status: 200, body: { code: 1003, message: 'sign is invalid: {{request}}', data: '', traceId: 'f2' } })],
			fails: /code 1003/,
		},
		{
			name: 'a 500 HTML page quoting the request, thrown by the HTTP helper',
			faults: [echo({ path: FIELDS, type: 'status', status: 500, body: htmlQuoting('500 Internal Server Error') })],
			fails: /^NXCLOUD did not list the fields: /,
		},
		{
			// n8n's helper asks once more after a 401, freshly signed: both answers quote their request.
			name: 'a 401 JSON answer quoting the request, thrown by the HTTP helper',
			faults: [echo({ path: FIELDS, type: 'status', status: 401, times: 2, body: { code: 401, message: 'unauthorized {{request}}' } })],
			fails: /^NXCLOUD did not list the fields: /,
		},
		{ name: 'a refused connection', credentials: { baseUrl: 'http://127.0.0.1:9' }, fails: /^NXCLOUD did not list the fields: / },
	];

	it.each(PICKS)('$name', async (scenario) => {
		for (const fault of scenario.faults ?? []) await sandbox.inject({ vendor: 'nxcloud', ...fault });
		const context = n8n.loadOptionsContext({
			node: { type: 'nxCloudBatchCustomers', parameters: { edition: 'sea', tenantId: scenario.tenantId ?? String(NXCLOUD_TENANT_ID) } },
			credentials: { nxCloudApi: credential(scenario.credentials ?? {}) },
		});
		const logs = captureLogs();
		const answer: { value?: unknown; error?: unknown } = {};
		try {
			answer.value = await new NxCloudBatchCustomers().methods.loadOptions.getCustomFields.call(context);
		} catch (error) {
			answer.error = error;
		} finally {

			logs.stop();
		}
		if (scenario.fails) {
			expect(answer.error).toBeInstanceOf(Error);
			expect((answer.error as Error).message).toMatch(scenario.fails);
		} else {
			expect(answer.error).toBeUndefined();
			expect((answer.value as unknown[]).length).toBeGreaterThan(0);
		}
		if (scenario.faults?.some((fault) => fault.echoRequest)) expect(await vendorQuotedASecret()).toBe(true);
		expect(secretLeaks(loadOptionsExposures(answer, logs.lines, scenario.name), await secrets())).toEqual([]);
	});
});
