/**
 * No secret leaves a node (issues 8 and 15): each vendor node runs in a real n8n at log level
 * debug with distinctive secret values, against a sandbox that quotes the whole request (URL,
 * headers, body) in its error answers — a 500 after storing, a refused credential in a later
 * batch, a request refused for good — and on the paths that fail before any request (a credential
 * that cannot be read, one without the NXCLOUD App Key, a request parameter expression that
 * throws). None of the secrets (password, access secret, client secret, NXCLOUD App Key), nor the
 * values derived from them on the way (the Basic `Authorization` value, NXCLOUD's `sign` header,
 * the Dustess access token), may appear in any output item, error (message, description, the
 * node and its parameters), nor in what n8n prints, nor in its log file, nor anywhere in n8n's
 * folder (database included: the App Key lives in the credential, which n8n stores encrypted).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import type { SandboxHandle } from '../helpers/sandboxClient';
import type { Fault } from '../sandbox/faults';
import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../sandbox/vendors/nxcloud';
import { buildWorkflow, createN8nInstance, itemsNode, manualTrigger, noOp, parseRunOutput, startSandbox } from './harness';
import type { N8nInstance, N8nLine, NodeSpec } from './harness';

jest.setTimeout(15 * 60_000);

const lines = (process.env.N8N_TEST_LINES ?? '1').split(',').map((line) => Number(line.trim()) as N8nLine);

const THULIUM = { login: 'scan-user', password: 'Thu-S3cret-pw-5521' };
const THULIUM_BASIC = Buffer.from(`${THULIUM.login}:${THULIUM.password}`).toString('base64');
const WRONG = { thulium: 'Wrong-Thu-pw-0099', nxcloud: 'Wrong-NX-secret-4242' };

type Vendor = 'thulium' | 'nxcloud' | 'dustess';

interface Scenario {
	name: string;
	vendor: Vendor;
	credential: string;
	batchSize: number;
	customers: number;
	faults: Array<Omit<Fault, 'vendor'>>;
	configure?: Record<string, unknown>;
	/** The node stops with an error (nothing stored) instead of returning items. */
	throws: boolean;
	/** Node parameters besides the vendor's usual ones. */
	parameters?: IDataObject;
	/** The input item for a position, instead of the vendor's usual customer. */
	customer?: (index: number) => IDataObject;
	/** The run fails before any request: nothing for the sandbox to quote, nothing to mask. */
	noRequest?: boolean;
	/** The error codes on Failure, when the scenario is about them. */
	failureCodes?: string[];
}

const echo = { echoRequest: true };
const SCENARIOS: Scenario[] = [
	{
		name: 'a 500 quoting the request after storing, then a 401 quoting it',
		vendor: 'thulium',
		credential: 'thuliumScan1',
		batchSize: 50,
		customers: 200,
		configure: THULIUM,
		faults: [
			{ ...echo, path: '/batch/', type: 'storeThenFail', status: 500, skip: 1, body: { request_id: 'r1', errors: [{ message: 'Internal error handling {{request}}', code: 500 }] } },
			{ ...echo, path: '/batch/', type: 'status', status: 401, times: 100, body: { request_id: 'r2', errors: [{ message: 'Unauthorized: {{request}}', code: 401 }] } },
		],
		throws: false,
	},
	{
		name: 'a wrong password, refused with the request quoted',
		vendor: 'thulium',
		credential: 'thuliumWrong1',
		batchSize: 50,
		customers: 20,
		configure: THULIUM,
		faults: [{ ...echo, path: '/batch/', type: 'status', status: 401, times: 100, body: { request_id: 'r3', errors: [{ message: 'Bad credentials in {{request}}', code: 401 }] } }],
		throws: true,
	},
	{
		name: 'a 500 quoting the request after storing, then a refused access key quoting it',
		vendor: 'nxcloud',
		credential: 'nxcloudScan1',
		batchSize: 50,
		customers: 200,
		faults: [
			{ ...echo, path: '/batch_create', type: 'storeThenFail', status: 500, skip: 1, body: { code: 500, message: 'server error {{request}}', data: '', traceId: 't1' } },
			{ ...echo, path: '/batch_create', type: 'status', status: 200, times: 100, body: { code: 1005, message: 'no permission {{request}}', data: '', traceId: 't2' } },
		],
		throws: false,
	},
	{
		name: 'a wrong access secret (1003 for every call)',
		vendor: 'nxcloud',
		credential: 'nxcloudWrong1',
		batchSize: 50,
		customers: 20,
		faults: [{ ...echo, path: '/batch_create', type: 'status', status: 200, times: 100, body: { code: 1003, message: 'sign is invalid: {{request}}', data: '', traceId: 't3' } }],
		throws: true,
	},
	{
		name: 'a 500 quoting the request (token in the URL) after storing, then a 401 quoting it',
		vendor: 'dustess',
		credential: 'dustessScan1',
		batchSize: 50,
		customers: 200,
		configure: { echoUrlInErrors: true },
		faults: [
			{ ...echo, path: '/customer/', type: 'storeThenFail', status: 500, skip: 1, body: { success: false, code: 500, msg: 'error {{request}}', data: null } },
			{ ...echo, path: '/customer/', type: 'status', status: 401, times: 100, body: { success: false, code: 401, msg: 'unauthorized {{request}}', data: null } },
		],
		throws: false,
	},
	{
		name: 'a token endpoint that fails quoting the request (client secret in its body)',
		vendor: 'dustess',
		credential: 'dustessScan1',
		batchSize: 50,
		customers: 20,
		faults: [{ ...echo, path: '/auth/', type: 'status', status: 500, times: 100, body: { success: false, code: 500, msg: 'token error {{request}}', data: null } }],
		throws: true,
	},
	{
		// Its stored data cannot be decrypted. (A credential that does not exist n8n 2.x refuses before any node runs.)
		name: 'a credential that cannot be read',
		vendor: 'nxcloud',
		credential: 'nxcloudUnreadable1',
		batchSize: 50,
		customers: 5,
		faults: [],
		throws: true,
		noRequest: true,
	},
	{
		name: 'a credential without an App Key',
		vendor: 'nxcloud',
		credential: 'nxcloudNoAppKey1',
		batchSize: 50,
		customers: 5,
		faults: [],
		throws: true,
		noRequest: true,
	},
	{
		name: 'a Tenant ID expression that throws for one item, then 1002 quoting each request',
		vendor: 'nxcloud',
		credential: 'nxcloudScan1',
		batchSize: 50,
		customers: 4,
		parameters: { tenantId: '={{ $json.tenant.toNumber() }}' },
		customer: (index) => ({ first_name: 'Ann', last_name: `T${index}`, tenant: index === 1 ? 'not a number' : String(NXCLOUD_TENANT_ID) }),
		faults: [{ ...echo, path: '/batch_create', type: 'status', status: 200, times: 100, body: { code: 1002, message: 'invalid body {{request}}', data: '', traceId: 't4' } }],
		throws: false,
		failureCodes: ['VENDOR_REJECTED', 'INVALID_RECORD', 'VENDOR_REJECTED', 'VENDOR_REJECTED'],
	},
];

function customer(vendor: Vendor, index: number): IDataObject {
	if (vendor === 'thulium') return { surname: `S${index}`, email: `s${index}@example.com` };
	if (vendor === 'nxcloud') return { first_name: 'Ann', last_name: `L${index}` };
	return { remark: `R${index}`, pool: 'pool-1' };
}

const NODE_TYPES: Record<Vendor, { node: string; credentialType: string; parameters: IDataObject }> = {
	thulium: { node: 'thuliumBatchCustomers', credentialType: 'thuliumApi', parameters: { resource: 'customer', operation: 'create', mappingMode: 'autoMapInputData' } },
	nxcloud: {
		node: 'nxCloudBatchCustomers',
		credentialType: 'nxCloudApi',
		parameters: { resource: 'customer', operation: 'create', edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mode: 1, mappingMode: 'autoMapInputData' },
	},
	dustess: { node: 'dustessBatchCustomers', credentialType: 'dustessApi', parameters: { resource: 'customer', operation: 'create', mappingMode: 'autoMapInputData' } },
};

/** Every file below a folder, as bytes. */
function filesBelow(folder: string): Array<{ file: string; bytes: Buffer }> {
	if (!fs.existsSync(folder)) return [];
	return fs.readdirSync(folder, { withFileTypes: true, recursive: true }).flatMap((entry) => {
		const file = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
		return entry.isFile() ? [{ file, bytes: fs.readFileSync(file) }] : [];
	});
}

describe.each(lines)('secrets on n8n line %i (log level debug)', (line) => {
	let sandbox: SandboxHandle;
	let n8n: N8nInstance;
	let logFolder: string;
	const ids = new Map<string, string>();

	beforeAll(async () => {
		sandbox = await startSandbox();
		logFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-secrets-log-'));
		n8n = await createN8nInstance({
			line,
			install: 'community',
			env: { N8N_LOG_LEVEL: 'debug', N8N_LOG_OUTPUT: 'console,file', N8N_LOG_FILE_LOCATION: path.join(logFolder, 'n8n.log') },
		});
		const nxcloud = { accessKey: NXCLOUD_ACCESS_KEY, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${sandbox.url}/nxcloud` };
		await n8n.importCredentials([
			{ id: 'thuliumScan1', name: 'thuliumScan1', type: 'thuliumApi', data: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM } },
			{ id: 'thuliumWrong1', name: 'thuliumWrong1', type: 'thuliumApi', data: { baseUrl: `${sandbox.url}/thulium/api`, login: THULIUM.login, password: WRONG.thulium } },
			{ id: 'nxcloudScan1', name: 'nxcloudScan1', type: 'nxCloudApi', data: { ...nxcloud, accessSecret: NXCLOUD_ACCESS_SECRET } },
			{ id: 'nxcloudWrong1', name: 'nxcloudWrong1', type: 'nxCloudApi', data: { ...nxcloud, accessSecret: WRONG.nxcloud } },
			{ id: 'nxcloudNoAppKey1', name: 'nxcloudNoAppKey1', type: 'nxCloudApi', data: { ...nxcloud, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: '' } },
			// `import:credentials` stores a text as it is, as the encrypted data it should be.
			{ id: 'nxcloudUnreadable1', name: 'nxcloudUnreadable1', type: 'nxCloudApi', data: 'not data that n8n encrypted' as unknown as IDataObject },
			{ id: 'dustessScan1', name: 'dustessScan1', type: 'dustessApi', data: { baseUrl: `${sandbox.url}/dustess`, ...DUSTESS_CLIENT } },
		]);
		const workflows = SCENARIOS.map((scenario) => {
			const type = NODE_TYPES[scenario.vendor];
			const node: NodeSpec = {
				name: 'Node',
				type: n8n.nodeType(type.node),
				typeVersion: 1,
				parameters: { ...type.parameters, ...scenario.parameters, options: { batchSize: scenario.batchSize, maxRetries: 0 } },
				credentials: { [type.credentialType]: { id: scenario.credential, name: scenario.credential } },
			};
			return buildWorkflow({
				name: `${scenario.vendor} ${scenario.name}`,
				nodes: [manualTrigger(), itemsNode('Customers', Array.from({ length: scenario.customers }, (_, index) => scenario.customer?.(index) ?? customer(scenario.vendor, index))), node, noOp('Succeeded'), noOp('Failed')],
				edges: [['Start', 'Customers'], ['Customers', 'Node'], ['Node', 'Succeeded', 0], ['Node', 'Failed', 1]],
			});
		});
		const imported = await n8n.importWorkflows(workflows);
		SCENARIOS.forEach((scenario, position) => ids.set(scenario.name, imported[position]));
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sandbox?.close();
		if (logFolder) fs.rmSync(logFolder, { recursive: true, force: true });
	});

	beforeEach(async () => sandbox.reset());

	it.each(SCENARIOS)('$vendor: $name', async (scenario) => {
		if (scenario.configure) await sandbox.configure(scenario.vendor, scenario.configure);
		for (const fault of scenario.faults) await sandbox.inject({ vendor: scenario.vendor, ...fault });
		const logBefore = fs.existsSync(path.join(logFolder, 'n8n.log')) ? fs.statSync(path.join(logFolder, 'n8n.log')).size : 0;

		const result = await n8n.run(['execute', `--id=${ids.get(scenario.name)}`, '--rawOutput']);
		// At log level debug n8n prints the run data through its logger: in colour, after a time and
		// level on the first line, before the logger's metadata on the last.
		const plain = result.stdout
			.replace(/\x1b\[[0-9;]*m/g, '')
			.replace(/^\d\d:\d\d:\d\d\.\d+\s+info\s+\{$/gm, '{')
			.replace(/^\} \{ "file": "[\w.-]+\.js", "function": "\w+" \}$/gm, '}');
		const run = parseRunOutput(plain);
		expect(run).toBeDefined();
		const task = run!.data.resultData.runData.Node?.[0];
		expect(task).toBeDefined();

		// The secrets of this run, and the values derived from them on the way.
		const requests = await sandbox.requests(scenario.vendor);
		expect(requests.length > 0).toBe(!scenario.noRequest);
		const store = scenario.vendor === 'dustess' ? await sandbox.store<{ tokens: string[] }>('dustess') : undefined;
		const secretsByVendor: Record<Vendor, string[]> = {
			thulium: [THULIUM.password, WRONG.thulium, THULIUM_BASIC, ...requests.map((request) => String(request.headers.authorization ?? ''))],
			nxcloud: [NXCLOUD_ACCESS_SECRET, WRONG.nxcloud, NXCLOUD_APP_KEY, ...requests.map((request) => String(request.headers.sign ?? ''))],
			dustess: [DUSTESS_CLIENT.clientSecret, ...(store?.tokens ?? [])],
		};
		const secrets = secretsByVendor[scenario.vendor].filter((secret) => secret !== '');
		const forms = [...new Set(secrets.flatMap((secret) => [secret, encodeURIComponent(secret)]))];
		// The sandbox did quote them to the node: the masking had something to mask.
		if (!scenario.noRequest) expect(requests.some((request) => forms.some((form) => JSON.stringify(request).includes(form)))).toBe(true);
		const leaks = (where: string, text: string) => forms.filter((form) => text.includes(form)).map((form) => `${where}: ${form.slice(0, 6)}…`);

		// What the node produced: items on both outputs, or its error with message and description.
		const outputs = (task!.data?.main ?? []).flat().filter((item) => item !== null);
		if (scenario.throws) {
			expect(task!.error).toBeDefined();
			if (scenario.credential === 'nxcloudUnreadable1') expect(task!.error!.message).toMatch(/^The credential could not be read: /);
			expect(outputs).toEqual([]);
			if (!scenario.noRequest) expect(`${task!.error!.message} ${task!.error!.description ?? ''}`).toContain('***');
		} else {
			expect(task!.error).toBeUndefined();
			const failures = (task!.data!.main[1] ?? []).map((item) => item.json.error as IDataObject);
			expect(failures.length).toBeGreaterThan(0);
			expect(failures.some((error) => String(error.message).includes('***'))).toBe(true);
			if (scenario.failureCodes) expect(failures.map((error) => error.code)).toEqual(scenario.failureCodes);
		}
		const found = [
			...leaks('output items', JSON.stringify(outputs)),
			...leaks('node error', JSON.stringify(task!.error ?? {})),
			...leaks('n8n stdout', result.stdout),
			...leaks('n8n stderr', result.stderr),
		];
		const log = fs.existsSync(path.join(logFolder, 'n8n.log')) ? fs.readFileSync(path.join(logFolder, 'n8n.log')).subarray(logBefore).toString('utf8') : '';
		found.push(...leaks('n8n log file', log));
		// n8n's own folder (database, config, logs): the App Key is in the credential, which n8n stores encrypted.
		for (const { file, bytes } of filesBelow(path.join(n8n.userFolder, '.n8n'))) {
			if (file.includes(`${path.sep}nodes${path.sep}`)) continue;
			for (const form of forms) {
				if (bytes.includes(form)) found.push(`${path.relative(n8n.userFolder, file)}: ${form.slice(0, 6)}…`);
			}
		}
		expect(found).toEqual([]);
		// Debug logging was on (n8n wrote debug lines) — otherwise the log check proves little.
		expect(`${result.stdout}${result.stderr}${log}`).toMatch(/debug/i);
	});
});
