/**
 * The fault matrix of issue 8: each vendor node, 1,000 customers, Concurrent Batches 1 and 4,
 * against the sandbox with one fault at a time. After every run the delivery rules are checked
 * on the outputs and on what the sandbox stored:
 * - every input item is on exactly one output, paired with it, in input order;
 * - no customer is stored twice; every Success customer is stored exactly once;
 * - a Failure item with `retriable: true` is not stored; a stored Failure item says `mayBeStored`;
 * - the run ends in bounded time.
 * Each scenario also names the failure codes it may produce, and whether every valid customer
 * must end on Success (faults the engine is allowed to retry through).
 *
 * The node runs in process on n8n's own engine (test/helpers/n8nWorkflow.ts), through `runNode`.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { FailureCode } from '../../../nodes/shared/engine/outcomes';
import { checkDeliveryRules, countStored } from '../../helpers/deliveryRules';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import { startTestSandbox } from '../../helpers/sandboxClient';
import type { SandboxHandle } from '../../helpers/sandboxClient';
import type { Fault } from '../../sandbox/faults';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../../sandbox/vendors/nxcloud';
import { THULIUM_USER } from '../../sandbox/vendors/thulium';

jest.setTimeout(120_000);

const CUSTOMERS = 1000;
/** The item a "one bad record" scenario spoils. */
const BAD = 437;

type Vendor = 'thulium' | 'nxcloud' | 'dustess';

interface VendorSetup {
	/** The node's type name in this package. */
	nodeType: string;
	credentialType: string;
	credentials(sandbox: SandboxHandle, run: number): IDataObject;
	parameters: Record<string, unknown>;
	batchSize: number;
	/** The sandbox path of a customer call. */
	path: string;
	customer(index: number): IDataObject;
	/** Spoils a customer so that the vendor (not the node) refuses it. */
	spoil(customer: IDataObject): IDataObject;
	/** The input index a stored customer came from (undefined: not an input customer). */
	storedIndexes(store: any): Array<number | undefined>;
}

const indexFrom = (value: unknown, prefix: string) =>
	typeof value === 'string' && value.startsWith(prefix) && /^\d+$/.test(value.slice(prefix.length)) ? Number(value.slice(prefix.length)) : undefined;

const VENDORS: Record<Vendor, VendorSetup> = {
	thulium: {
		nodeType: 'thuliumBatchCustomers',
		credentialType: 'thuliumApi',
		credentials: (sandbox) => ({ baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER }),
		parameters: { resource: 'customer', operation: 'create', mappingMode: 'autoMapInputData' },
		batchSize: 100,
		path: '/api/batch/customers',
		customer: (index) => ({ row: index, surname: `S${index}`, name: 'Anna', email: `anna.${index}@example.com`, phone_number: `48600${String(index).padStart(6, '0')}` }),
		spoil: (customer) => ({ ...customer, type: 'Stranger' }),
		storedIndexes: (store) => (store.customers as IDataObject[]).map((customer) => indexFrom(customer.surname, 'S')),
	},
	nxcloud: {
		nodeType: 'nxCloudBatchCustomers',
		credentialType: 'nxCloudApi',
		credentials: (sandbox) => ({
			accessKey: NXCLOUD_ACCESS_KEY,
			accessSecret: NXCLOUD_ACCESS_SECRET,
			appSecretKey: NXCLOUD_APP_KEY,
			region: 'custom',
			baseUrl: `${sandbox.url}/nxcloud`,
		}),
		parameters: { edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mode: 1, mappingMode: 'autoMapInputData' },
		batchSize: 100,
		path: '/batch_create',
		// No phone or e-mail: the sandbox then stores every call's customer anew, so a resend shows as a duplicate.
		customer: (index) => ({ row: index, first_name: 'Ann', last_name: `L${index}` }),
		spoil: (customer) => ({ ...customer, email: 'spam@blocked.example' }),
		storedIndexes: (store) => (store.customers as IDataObject[]).map((customer) => indexFrom(customer.last_name, 'L')),
	},
	dustess: {
		nodeType: 'dustessBatchCustomers',
		credentialType: 'dustessApi',
		// A fresh client per run: the node's token cache is per process and per client.
		credentials: (sandbox, run) => ({ baseUrl: `${sandbox.url}/dustess`, clientId: `test-matrix-${run}`, clientSecret: `test-matrix-${run}-secret` }),
		parameters: { operation: 'create', mappingMode: 'autoMapInputData' },
		// The sandbox takes 50 contacts per call.
		batchSize: 50,
		path: '/customer/v1/batchAddCustomer',
		// Half without a mobile: the sandbox dedupes on mobiles, so only those show a resend as a duplicate.
		customer: (index) => ({
			row: index,
			remark: `R${index}`,
			pool: 'pool-1',
			...(index % 2 === 0 ? { mobiles: [{ tel: `1390${String(index).padStart(7, '0')}`, type: 'mobile' }] } : {}),
		}),
		// The sandbox holds a contact with this mobile already (see `seed`): a duplicate (13000).
		spoil: (customer) => ({ ...customer, mobiles: [{ tel: '13811112222', type: 'mobile' }] }),
		storedIndexes: (store) => (store.contacts as IDataObject[]).map((contact) => indexFrom(contact.remark, 'R')),
	},
};

interface Scenario {
	name: string;
	vendors?: Vendor[];
	/** Faults to inject; `path` defaults to the vendor's customer call. */
	faults?: (vendor: Vendor) => Array<Omit<Fault, 'vendor'>>;
	/** Sandbox settings for the vendor. */
	configure?: (vendor: Vendor) => Record<string, unknown> | undefined;
	options?: IDataObject;
	/** Item BAD is refused by the vendor. */
	badRecord?: boolean;
	/** The failure codes this scenario may produce (INVALID_RECORD never: every item is valid). */
	codes: FailureCode[];
	/** Every customer (but a spoiled one) must end on Success. */
	allDelivered?: boolean;
	/** The node throws (nothing was sent) instead of returning outputs. */
	throws?: RegExp;
	/** At most this many customer calls. */
	maxCalls?: (concurrency: number, setup: VendorSetup) => number;
	/** Wait before reading the store (a late answer stores after the client gave up). */
	settleMs?: number;
	boundMs?: number;
}

const UNKNOWN: FailureCode[] = ['OUTCOME_UNKNOWN'];
const at = (fault: Omit<Fault, 'vendor'>) => () => [{ skip: 2, ...fault }];
const thuliumEnvelope = (message: string, code: number) => ({ request_id: 'req-x', errors: [{ message, code }] });

const SCENARIOS: Scenario[] = [
	{ name: 'no fault', codes: [], allDelivered: true },
	{ name: '429 with Retry-After', faults: at({ type: 'status', status: 429, retryAfter: 1, times: 2 }), codes: [], allDelivered: true },
	{ name: '429 without Retry-After', faults: at({ type: 'status', status: 429, times: 2 }), codes: [], allDelivered: true },
	{ name: '429 beyond Max Retries', faults: at({ type: 'status', status: 429, retryAfter: 0, times: 10_000 }), options: { maxRetries: 1 }, codes: ['NOT_DELIVERED'] },
	{ name: '503, retried', faults: at({ type: 'status', status: 503, times: 2 }), codes: [], allDelivered: true },
	{ name: '503 beyond Max Retries', faults: at({ type: 'status', status: 503, retryAfter: 0, times: 10_000 }), options: { maxRetries: 1 }, codes: ['NOT_DELIVERED'] },
	{ name: '500', faults: at({ type: 'status', status: 500 }), codes: UNKNOWN },
	{ name: '502', faults: at({ type: 'status', status: 502 }), codes: UNKNOWN },
	{ name: '502 HTML page', faults: at({ type: 'html', status: 502 }), codes: UNKNOWN },
	{ name: '504', faults: at({ type: 'status', status: 504 }), codes: UNKNOWN },
	{ name: '500 after storing', faults: at({ type: 'storeThenFail', status: 500 }), codes: UNKNOWN },
	{ name: '502 after storing', faults: at({ type: 'storeThenFail', status: 502 }), codes: UNKNOWN },
	{ name: '504 after storing', faults: at({ type: 'storeThenFail', status: 504 }), codes: UNKNOWN },
	{ name: '504 after storing, Max Retries 3', faults: at({ type: 'storeThenFail', status: 504, times: 3 }), options: { maxRetries: 3 }, codes: UNKNOWN },
	{ name: 'reply slower than the request timeout', faults: at({ type: 'latency', latencyMs: 1600 }), options: { timeout: 1000 }, codes: UNKNOWN, settleMs: 1000 },
	{
		name: 'every reply slower than the request timeout',
		faults: at({ type: 'latency', latencyMs: 1600, times: 10_000 }),
		options: { timeout: 1000 },
		codes: UNKNOWN,
		settleMs: 1500,
		// One timeout per batch, never a resend: about (batches / Concurrent Batches) seconds.
		boundMs: 30_000,
	},
	{ name: 'connection dropped before storing', faults: at({ type: 'drop' }), codes: UNKNOWN },
	{ name: 'connection dropped after storing', faults: at({ type: 'storeThenDrop' }), codes: UNKNOWN },
	// An unreadable 200 says nothing about any record: NO_RESULT, with the same promises as OUTCOME_UNKNOWN.
	{ name: 'truncated JSON after storing', faults: at({ type: 'malformed' }), codes: ['OUTCOME_UNKNOWN', 'NO_RESULT'] },
	{
		name: 'reply omits some records',
		vendors: ['thulium', 'dustess'],
		faults: at({ type: 'omitRecords', positions: [0, 7, 31] }),
		codes: ['NO_RESULT'],
	},
	{
		name: '200 without per-record entries after storing',
		faults: (vendor) => [
			{
				skip: 2,
				type: 'storeThenFail',
				status: 200,
				body: { thulium: {}, dustess: { success: false, code: 4126, msg: '', data: null }, nxcloud: { code: 5000, message: 'system busy', data: '', traceId: 't' } }[vendor],
			},
		],
		// Thulium's `{}` is a per-position answer with no positions: NO_RESULT, the same promises.
		codes: ['OUTCOME_UNKNOWN', 'NO_RESULT'],
	},
	{
		name: 'an unknown code without entries after storing',
		vendors: ['dustess'],
		faults: at({ type: 'storeThenFail', status: 200, body: { success: false, code: 77777, msg: '??', data: null } }),
		codes: UNKNOWN,
	},
	{
		name: 'one record refused',
		badRecord: true,
		codes: ['VENDOR_REJECTED'],
		// One call per batch, plus at most 2·log2(batch size) for the halves that find the record.
		maxCalls: (_, setup) => CUSTOMERS / setup.batchSize + 2 * Math.ceil(Math.log2(setup.batchSize)),
	},
	{
		name: 'a refusal no record causes',
		faults: (vendor) =>
			vendor === 'nxcloud'
				? []
				: [{ type: 'status', status: 400, times: 10_000, body: vendor === 'thulium' ? thuliumEnvelope('Invalid request.', 100000) : { success: false, code: 10001, msg: 'bad request', data: null } }],
		configure: (vendor) => (vendor === 'nxcloud' ? { refuseEveryBatch: true } : undefined),
		codes: ['CONFIGURATION_ERROR', 'NOT_SENT'],
		// Nothing is stored, so the node throws the cause once instead of 1,000 Failure items.
		throws: /no single customer causes it/,
		// The batch and its two halves, for each batch already under way.
		maxCalls: (concurrency) => 3 * concurrency,
	},
	{
		name: 'a fatal authentication error in a later batch',
		faults: (vendor) => [
			{
				skip: 3,
				times: 10_000,
				...(vendor === 'nxcloud'
					? { type: 'status' as const, status: 200, body: { code: 1005, message: 'accessKey is invalid', data: '', traceId: 't' } }
					: { type: 'status' as const, status: 401, body: vendor === 'thulium' ? thuliumEnvelope('Unauthorized.', 401) : { success: false, code: 401, msg: 'unauthorized', data: null } }),
			},
		],
		codes: ['CONFIGURATION_ERROR', 'NOT_SENT'],
	},
	{
		name: 'server clock 2 minutes off',
		vendors: ['nxcloud'],
		configure: () => ({ clockOffsetMs: 120_000 }),
		codes: ['CONFIGURATION_ERROR', 'NOT_SENT'],
		// Refused again after a freshly signed resend: the run stops on the first batch, nothing stored.
		throws: /check the clock of the n8n server/,
		maxCalls: (concurrency) => 2 * concurrency,
	},
	{
		name: 'a timestamp refused once (1004)',
		vendors: ['nxcloud'],
		faults: at({ type: 'status', status: 200, body: { code: 1004, message: 'timestamp expired', data: '', traceId: 't' } }),
		codes: [],
		allDelivered: true,
	},
	{ name: 'token expiring mid-run', vendors: ['dustess'], configure: () => ({ revokeTokensAfterCalls: 5 }), codes: [], allDelivered: true },
	{ name: 'token expiring mid-run (HTTP 401)', vendors: ['dustess'], configure: () => ({ revokeTokensAfterCalls: 5, expiredTokenAnswer: 'http401' }), codes: [], allDelivered: true },
	{
		// Dustess publishes no token-refusal code: the node renews the token and goes on.
		name: 'token revoked mid-run, then refused with an undocumented code',
		vendors: ['dustess'],
		configure: () => ({ revokeTokensAfterCalls: 5, expiredTokenAnswer: 'undocumented' }),
		codes: UNKNOWN,
		// One call per batch: the refused batches are never resent.
		maxCalls: (_, setup) => CUSTOMERS / setup.batchSize,
	},
	{
		name: 'every token refused with an undocumented code',
		vendors: ['dustess'],
		configure: () => ({ rejectAllTokens: true, expiredTokenAnswer: 'undocumented' }),
		codes: ['OUTCOME_UNKNOWN', 'NOT_SENT'],
		// The batches under way with the first token, then one call with the renewed one.
		maxCalls: (concurrency) => concurrency + 1,
	},
	{
		name: 'token endpoint answering 503, then 429 with Retry-After',
		vendors: ['dustess'],
		faults: () => [
			{ path: '/auth/', type: 'status', status: 503, times: 1 },
			{ path: '/auth/', type: 'status', status: 429, retryAfter: 1, times: 1 },
		],
		codes: [],
		allDelivered: true,
	},
	{
		name: 'token endpoint answering 503 beyond Max Retries',
		vendors: ['dustess'],
		faults: () => [{ path: '/auth/', type: 'status', status: 503, retryAfter: 0, times: 10 }],
		options: { maxRetries: 1 },
		codes: [],
		throws: /access token.*HTTP 503/,
	},
];

// ---------------------------------------------------------------------------------------------
// The runner: Input → the node, on n8n's own engine (n8n-core WorkflowExecute, n8n's HTTP client).

interface NodeRun {
	outputs?: INodeExecutionData[][];
	error?: { message: string };
	hints: unknown[];
}

const n8n = n8nHarness();
let runCounter = 0;

async function runNode(sandbox: SandboxHandle, vendor: Vendor, items: IDataObject[], options: IDataObject): Promise<NodeRun> {
	const setup = VENDORS[vendor];
	const result = await n8n.run({
		input: items,
		node: { type: setup.nodeType, parameters: { ...setup.parameters, options } as INodeParameters },
		credentials: { [setup.credentialType]: setup.credentials(sandbox, ++runCounter) as ICredentialDataDecryptedObject },
	});
	if (result.error) return { error: { message: String(result.error.message) }, hints: result.hints };
	return { outputs: result.outputs, hints: result.hints };
}

// ---------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const indexOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(async () => sandbox.close());

const cases = (Object.keys(VENDORS) as Vendor[]).flatMap((vendor) =>
	SCENARIOS.filter((scenario) => !scenario.vendors || scenario.vendors.includes(vendor)).flatMap((scenario) =>
		[1, 4].map((concurrency) => [vendor, scenario.name, concurrency, scenario] as const),
	),
);

describe('fault matrix: 1,000 customers, one fault at a time', () => {
	it.each(cases)('%s: %s, Concurrent Batches %i', async (vendor, _name, concurrency, scenario) => {
		const setup = VENDORS[vendor];
		await sandbox.reset();
		if (scenario.badRecord && vendor === 'dustess') {
			// The contact item BAD will duplicate, stored before the run.
			const seeded = await runNode(sandbox, vendor, [{ remark: 'seed', pool: 'pool-1', mobiles: [{ tel: '13811112222', type: 'mobile' }] }], {});
			expect(seeded.outputs?.[0]).toHaveLength(1);
		}
		const settings = scenario.configure?.(vendor);
		if (settings) await sandbox.configure(vendor, settings);
		for (const fault of scenario.faults?.(vendor) ?? []) await sandbox.inject({ vendor, path: setup.path, ...fault });
		const callsBefore = (await sandbox.requests(vendor)).filter((request) => request.path.includes(setup.path)).length;

		const items = Array.from({ length: CUSTOMERS }, (_, index) => setup.customer(index));
		if (scenario.badRecord) items[BAD] = setup.spoil(items[BAD]);
		const started = Date.now();
		const run = await runNode(sandbox, vendor, items, { batchSize: setup.batchSize, concurrency, maxRetries: 3, ...scenario.options });
		const elapsed = Date.now() - started;
		if (scenario.settleMs) await sleep(scenario.settleMs);

		const stored = setup.storedIndexes(await sandbox.store(vendor)).filter((index): index is number => index !== undefined);
		const timesStored = countStored(stored);
		const calls = (await sandbox.requests(vendor)).filter((request) => request.path.includes(setup.path)).length - callsBefore;

		// Bounded time, and no customer stored twice, whatever happened.
		expect(elapsed).toBeLessThan(scenario.boundMs ?? 60_000);
		expect([...timesStored.entries()].filter(([, times]) => times > 1)).toEqual([]);
		if (scenario.maxCalls) expect(calls).toBeLessThanOrEqual(scenario.maxCalls(concurrency, setup));

		if (scenario.throws) {
			expect(run.error?.message).toMatch(scenario.throws);
			expect(stored).toEqual([]);
			return;
		}
		expect(run.error).toBeUndefined();
		const [success, failure, ...extra] = run.outputs!;
		expect(extra).toEqual([]);

		checkDeliveryRules(items.length, success, failure, timesStored);
		for (const item of failure) expect(scenario.codes).toContain((item.json.error as IDataObject).code);

		const spoiled = failure.filter((item) => indexOf(item) === BAD && scenario.badRecord);
		if (scenario.badRecord) {
			expect(spoiled).toHaveLength(1);
			expect((spoiled[0].json.error as IDataObject).code).toBe('VENDOR_REJECTED');
			expect(failure).toHaveLength(1);
		}
		if (scenario.allDelivered) expect(failure.map(indexOf)).toEqual([]);
		// A scenario that names failure codes did produce failures (the fault was hit).
		if (scenario.codes.length > 0 && !scenario.allDelivered) expect(failure.length).toBeGreaterThan(0);
		// A stopped run says why in the execution hints.
		if (failure.some((item) => (item.json.error as IDataObject).code === 'NOT_SENT')) expect(run.hints.length).toBeGreaterThan(0);
	});
});
