/**
 * The fault matrix's real-n8n subset (issue 8): for each vendor node, 1,000 customers through the
 * n8n CLI against the sandbox, with a few representative faults — a 504 after the vendor stored
 * the batch, a 429 with Retry-After, a fatal 401 in a later batch with Concurrent Batches 4 — and
 * the re-run recipe: Failure → keep `retriable: true` → the same node again stores every customer
 * exactly once. The delivery rules (test/helpers/deliveryRules.ts) are checked after each run;
 * the full matrix runs in process (test/shared/engine/faultMatrix.test.ts).
 *
 * And the README's re-run loop as a user wires it (Failure → Filter → Wait → back into the same
 * node, On Error → Continue): with a wrong password and with a 503 outage that does not end, the
 * execution ends by itself after a bounded number of requests — also when the Filter keeps every
 * `retriable` row, as the README once said.
 *
 * Also: 1,500 customers against a vendor that allows 10 requests in any sliding second, with Max
 * Requests Per Second 10, and (Dustess) a token revoked mid-run that the vendor then refuses with a
 * code it does not document.
 */
import type { IDataObject } from 'n8n-workflow';

import { mostInWindow } from '../helpers/arrivals';
import { checkDeliveryRules, countStored } from '../helpers/deliveryRules';
import type { SandboxHandle } from '../helpers/sandboxClient';
import type { Fault } from '../sandbox/faults';
import { DUSTESS_CLIENT, DUSTESS_UNDOCUMENTED_TOKEN_CODE } from '../sandbox/vendors/dustess';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../sandbox/vendors/nxcloud';
import { THULIUM_USER } from '../sandbox/vendors/thulium';
import { buildWorkflow, codeNode, createN8nInstance, filterNode, itemsNode, manualTrigger, noOp, startSandbox, waitNode } from './harness';
import type { Execution, N8nInstance, N8nLine, NodeSpec } from './harness';

jest.setTimeout(15 * 60_000);

const lines = (process.env.N8N_TEST_LINES ?? '1').split(',').map((line) => Number(line.trim()) as N8nLine);
const CUSTOMERS = 1000;
/** The paced run: enough requests at 10 per second for many sliding seconds. */
const PACED_CUSTOMERS = 1500;
const PACED_BATCH = 20;
const VENDOR_RATE = 10;

type Vendor = 'thulium' | 'nxcloud' | 'dustess';

interface VendorSetup {
	vendor: Vendor;
	nodeName: string;
	credentialType: string;
	credentials(sandboxUrl: string): IDataObject;
	/** The same credential with a wrong password or secret. */
	wrongCredentials(sandboxUrl: string): IDataObject;
	parameters: IDataObject;
	batchSize: number;
	path: string;
	customer(index: number): IDataObject;
	storedIndexes(store: any): Array<number | undefined>;
	/** A refusal of the credentials, which stops the run. */
	fatal: Omit<Fault, 'vendor' | 'skip' | 'times'>;
}

const indexFrom = (value: unknown, prefix: string) =>
	typeof value === 'string' && value.startsWith(prefix) && /^\d+$/.test(value.slice(prefix.length)) ? Number(value.slice(prefix.length)) : undefined;

const SETUPS: VendorSetup[] = [
	{
		vendor: 'thulium',
		nodeName: 'thuliumBatchCustomers',
		credentialType: 'thuliumApi',
		credentials: (url) => ({ baseUrl: `${url}/thulium/api`, ...THULIUM_USER }),
		wrongCredentials: (url) => ({ baseUrl: `${url}/thulium/api`, ...THULIUM_USER, password: 'not the password' }),
		parameters: { resource: 'customer', operation: 'create', mappingMode: 'autoMapInputData' },
		batchSize: 100,
		path: '/api/batch/customers',
		customer: (index) => ({ row: index, surname: `S${index}`, name: 'Anna', email: `anna.${index}@example.com`, phone_number: `48600${String(index).padStart(6, '0')}` }),
		storedIndexes: (store) => (store.customers as IDataObject[]).map((customer) => indexFrom(customer.surname, 'S')),
		fatal: { type: 'status', status: 401, body: { request_id: 'r', errors: [{ message: 'Unauthorized.', code: 401 }] } },
	},
	{
		vendor: 'nxcloud',
		nodeName: 'nxCloudBatchCustomers',
		credentialType: 'nxCloudApi',
		credentials: (url) => ({ accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${url}/nxcloud` }),
		wrongCredentials: (url) => ({ accessKey: NXCLOUD_ACCESS_KEY, accessSecret: 'not the secret', appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${url}/nxcloud` }),
		parameters: { resource: 'customer', operation: 'create', edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mode: 1, mappingMode: 'autoMapInputData' },
		batchSize: 100,
		path: '/batch_create',
		// No phone or e-mail: the sandbox stores each call's customers anew, so a resend would show.
		customer: (index) => ({ row: index, first_name: 'Ann', last_name: `L${index}` }),
		storedIndexes: (store) => (store.customers as IDataObject[]).map((customer) => indexFrom(customer.last_name, 'L')),
		// NXCLOUD answers HTTP 200 with its code; 1005 is a refused access key [doc].
		fatal: { type: 'status', status: 200, body: { code: 1005, message: 'accessKey is invalid', data: '', traceId: 't' } },
	},
	{
		vendor: 'dustess',
		nodeName: 'dustessBatchCustomers',
		credentialType: 'dustessApi',
		credentials: (url) => ({ baseUrl: `${url}/dustess`, ...DUSTESS_CLIENT }),
		wrongCredentials: (url) => ({ baseUrl: `${url}/dustess`, ...DUSTESS_CLIENT, clientSecret: 'not the secret' }),
		parameters: { resource: 'customer', operation: 'create', mappingMode: 'autoMapInputData' },
		batchSize: 50,
		path: '/customer/v1/batchAddCustomer',
		// Half without a mobile (the sandbox's dedupe key), so that a resend would show as a duplicate.
		customer: (index) => ({ row: index, remark: `R${index}`, pool: 'pool-1', ...(index % 2 === 0 ? { mobiles: [{ tel: `1390${String(index).padStart(7, '0')}`, type: 'mobile' }] } : {}) }),
		storedIndexes: (store) => (store.contacts as IDataObject[]).map((contact) => indexFrom(contact.remark, 'R')),
		fatal: { type: 'status', status: 401, body: { success: false, code: 401, msg: 'unauthorized', data: null } },
	},
];

const customers = (setup: VendorSetup, count = CUSTOMERS) => Array.from({ length: count }, (_, index) => setup.customer(index));

describe.each(lines)('fault subset on n8n line %i', (line) => {
	let sandbox: SandboxHandle;
	let n8n: N8nInstance;
	const ids = new Map<string, string>();

	const node = (setup: VendorSetup, name: string, options: IDataObject): NodeSpec => ({
		name,
		type: n8n.nodeType(setup.nodeName),
		typeVersion: 1,
		parameters: { ...setup.parameters, options: { batchSize: setup.batchSize, ...options } },
		credentials: { [setup.credentialType]: { id: `${setup.vendor}Cred1`, name: `${setup.vendor}Cred1` } },
	});

	/** Customers → Node → Succeeded / Failed. */
	const plain = (setup: VendorSetup, name: string, options: IDataObject, count = CUSTOMERS) =>
		buildWorkflow({
			name: `${setup.vendor} ${name}`,
			nodes: [manualTrigger(), itemsNode('Customers', customers(setup, count)), node(setup, 'Node', options), noOp('Succeeded'), noOp('Failed')],
			edges: [['Start', 'Customers'], ['Customers', 'Node'], ['Node', 'Succeeded', 0], ['Node', 'Failed', 1]],
		});

	/** Customers → Node; its Failure output, kept to `retriable: true`, → the same node again (Retry). */
	const recipe = (setup: VendorSetup) =>
		buildWorkflow({
			name: `${setup.vendor} re-run recipe`,
			nodes: [
				manualTrigger(),
				itemsNode('Customers', customers(setup)),
				node(setup, 'Node', { maxRetries: 1 }),
				codeNode('Retriable', 'return $input.all().filter((item) => item.json.error && item.json.error.retriable === true);'),
				node(setup, 'Retry', { maxRetries: 1 }),
			],
			edges: [['Start', 'Customers'], ['Customers', 'Node'], ['Node', 'Retriable', 1], ['Retriable', 'Retry']],
		});

	/**
	 * The README's re-run loop: Customers → Node (On Error → Continue) → its Failure output →
	 * Filter → Wait (1 s) → the same Node. `keep` is the Filter: the README's `nextStep`
	 * condition, or `retriable` as the README once said.
	 */
	const LOOP_MAX_RETRIES = 2;
	const LOOP_CUSTOMERS = 5;
	const rerunLoop = (setup: VendorSetup, credential: 'right' | 'wrong', keep: 'nextStep' | 'retriable') =>
		buildWorkflow({
			name: `${setup.vendor} re-run loop, ${credential} credential, Filter on ${keep}`,
			nodes: [
				manualTrigger(),
				itemsNode('Customers', customers(setup).slice(0, LOOP_CUSTOMERS)),
				{
					...node(setup, 'Node', { maxRetries: LOOP_MAX_RETRIES }),
					credentials: { [setup.credentialType]: { id: `${setup.vendor}${credential === 'right' ? 'Cred1' : 'Wrong'}`, name: `${setup.vendor} ${credential}` } },
					onError: 'continueRegularOutput',
				},
				keep === 'nextStep'
					? filterNode('Filter', { leftValue: '={{ $json.error.nextStep }}', rightValue: 'sendAgainLater', operator: { type: 'string', operation: 'equals' } })
					: filterNode('Filter', { leftValue: '={{ $json.error.retriable }}', operator: { type: 'boolean', operation: 'true', singleValue: true } }),
				waitNode('Wait', 1),
			],
			edges: [['Start', 'Customers'], ['Customers', 'Node'], ['Node', 'Filter', 1], ['Filter', 'Wait'], ['Wait', 'Node']],
		});

	beforeAll(async () => {
		sandbox = await startSandbox();
		n8n = await createN8nInstance({ line, install: 'community' });
		await n8n.importCredentials(
			SETUPS.flatMap((setup) => [
				{ id: `${setup.vendor}Cred1`, name: `${setup.vendor}Cred1`, type: setup.credentialType, data: setup.credentials(sandbox.url) },
				{ id: `${setup.vendor}Wrong`, name: `${setup.vendor} wrong`, type: setup.credentialType, data: setup.wrongCredentials(sandbox.url) },
			]),
		);
		const workflows = SETUPS.flatMap((setup) => [
			[`${setup.vendor}:plain`, plain(setup, 'one batch', {})],
			[`${setup.vendor}:fatal`, plain(setup, 'concurrency 4', { concurrency: 4, maxRetries: 1 })],
			[`${setup.vendor}:recipe`, recipe(setup)],
			[`${setup.vendor}:loop:wrong:nextStep`, rerunLoop(setup, 'wrong', 'nextStep')],
			[`${setup.vendor}:loop:wrong:retriable`, rerunLoop(setup, 'wrong', 'retriable')],
			[`${setup.vendor}:loop:right:nextStep`, rerunLoop(setup, 'right', 'nextStep')],
			[
				`${setup.vendor}:paced`,
				plain(setup, 'paced', { concurrency: 4, maxRequestsPerSecond: VENDOR_RATE, batchSize: PACED_BATCH, maxRetries: 0 }, PACED_CUSTOMERS),
			],
		] as const);
		const imported = await n8n.importWorkflows(workflows.map(([, workflow]) => workflow));
		workflows.forEach(([key], position) => ids.set(key, imported[position]));
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sandbox?.close();
	});

	beforeEach(async () => sandbox.reset());

	const storedTimes = async (setup: VendorSetup) => countStored(setup.storedIndexes(await sandbox.store(setup.vendor)));
	const codes = (items: Array<{ json: IDataObject }>) => [...new Set(items.map((item) => (item.json.error as IDataObject).code))].sort();

	describe.each(SETUPS)('$vendor', (setup) => {
		it('a 504 after the vendor stored a batch: those customers are OUTCOME_UNKNOWN, may be stored, not resent', async () => {
			await sandbox.inject({ vendor: setup.vendor, path: setup.path, type: 'storeThenFail', status: 504, skip: 2 });
			const run = await n8n.execute(ids.get(`${setup.vendor}:plain`)!);
			expect(run.ok).toBe(true);
			const [success, failure] = run.outputs('Node');
			const stored = await storedTimes(setup);
			checkDeliveryRules(CUSTOMERS, success, failure, stored);
			expect(failure).toHaveLength(setup.batchSize);
			expect(codes(failure)).toEqual(['OUTCOME_UNKNOWN']);
			expect(failure.every((item) => (item.json.error as IDataObject).mayBeStored === true && (item.json.error as IDataObject).retriable === false)).toBe(true);
			expect(stored.size).toBe(CUSTOMERS);
		});

		it('a 429 with Retry-After: waited for, then every customer stored once', async () => {
			await sandbox.inject({ vendor: setup.vendor, path: setup.path, type: 'status', status: 429, retryAfter: 1, skip: 1, times: 2 });
			const started = Date.now();
			const run = await n8n.execute(ids.get(`${setup.vendor}:plain`)!);
			expect(run.ok).toBe(true);
			const [success, failure] = run.outputs('Node');
			checkDeliveryRules(CUSTOMERS, success, failure, await storedTimes(setup));
			expect(failure).toEqual([]);
			// Two Retry-After waits of a second each.
			expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
		});

		it('a fatal 401 in a later batch with Concurrent Batches 4: what was stored is Success, the rest NOT_SENT or CONFIGURATION_ERROR, retriable', async () => {
			await sandbox.inject({ vendor: setup.vendor, path: setup.path, skip: 3, times: 10_000, ...setup.fatal });
			const run = await n8n.execute(ids.get(`${setup.vendor}:fatal`)!);
			expect(run.ok).toBe(true);
			const [success, failure] = run.outputs('Node');
			checkDeliveryRules(CUSTOMERS, success, failure, await storedTimes(setup));
			expect(success).toHaveLength(3 * setup.batchSize);
			expect(codes(failure)).toEqual(['CONFIGURATION_ERROR', 'NOT_SENT']);
			expect(failure.every((item) => (item.json.error as IDataObject).retriable === true)).toBe(true);
		});

		it('a vendor allowing 10 requests in any sliding second, Max Requests Per Second 10, Concurrent Batches 4: no 429, every customer stored once', async () => {
			await sandbox.pace({ ratePerSecond: VENDOR_RATE, rateWindow: 'sliding' });
			// execute-batch writes the run data to a file: 1,500 customers' worth is more than `n8n execute` prints whole.
			const id = ids.get(`${setup.vendor}:paced`)!;
			const run = (await n8n.executeAll([id])).get(id)!;
			const { rateLimited } = await sandbox.pace();
			const arrivals = ((await sandbox.requests(setup.vendor)) as unknown as Array<{ at: number }>).map((request) => request.at);
			expect(run.ok).toBe(true);
			const [success, failure] = run.outputs('Node');
			checkDeliveryRules(PACED_CUSTOMERS, success, failure, await storedTimes(setup));
			expect(failure).toEqual([]);
			expect(rateLimited).toBe(0);
			// Every request the vendor received (a token request included), no sliding second over the limit.
			expect(arrivals.length).toBeGreaterThanOrEqual(PACED_CUSTOMERS / PACED_BATCH);
			expect(mostInWindow(arrivals)).toBeLessThanOrEqual(VENDOR_RATE);
		});

		it('the re-run recipe: Failure items with retriable true, fed to the same node, store every customer exactly once', async () => {
			// One at a time (Concurrent Batches 1), so the faults hit known batches: batch 2 is stored
			// but answered 504 (not retriable); batch 3 gets 503 twice (Max Retries 1: NOT_DELIVERED);
			// batch 6 is refused as unauthorised, which stops the run (batches 7… NOT_SENT).
			const fatalTimes = setup.vendor === 'dustess' ? 2 : 1; // Dustess fetches a new token and tries once more.
			await sandbox.inject(
				{ vendor: setup.vendor, path: setup.path, type: 'storeThenFail', status: 504, skip: 1 },
				{ vendor: setup.vendor, path: setup.path, type: 'status', status: 503, retryAfter: 0, times: 2 },
				{ vendor: setup.vendor, path: setup.path, skip: 2, times: fatalTimes, ...setup.fatal },
			);
			const run = await n8n.execute(ids.get(`${setup.vendor}:recipe`)!);
			expect(run.ok).toBe(true);
			const [success, failure] = run.outputs('Node');
			const retriable = failure.filter((item) => (item.json.error as IDataObject).retriable === true);
			expect(codes(failure)).toEqual(['CONFIGURATION_ERROR', 'NOT_DELIVERED', 'NOT_SENT', 'OUTCOME_UNKNOWN']);
			expect(run.output('Retriable')).toHaveLength(retriable.length);

			const [retrySuccess, retryFailure] = run.outputs('Retry');
			expect(retryFailure).toEqual([]);
			expect(retrySuccess.map((item) => item.json.row)).toEqual(retriable.map((item) => item.json.row));
			// Every customer stored exactly once: the first run's Success and its OUTCOME_UNKNOWN
			// batch (stored before the 504), and every retriable one by the second node.
			const stored = await storedTimes(setup);
			expect([...stored.values()].every((times) => times === 1)).toBe(true);
			expect(stored.size).toBe(CUSTOMERS);
			const stillUnknown = failure.filter((item) => (item.json.error as IDataObject).code === 'OUTCOME_UNKNOWN');
			expect(success.length + stillUnknown.length + retrySuccess.length).toBe(CUSTOMERS);
		});

		const errors = (run: Execution, runIndex: number) => run.output('Node', 1, runIndex).map((item) => item.json.error as IDataObject);
		const attempts = (run: Execution, runIndex: number) => run.output('Node', 1, runIndex).map((item) => (item.json.customerBatch as IDataObject).attempt);
		const requestsTo = async (path?: string) => (await sandbox.requests(setup.vendor)).filter((request) => path === undefined || request.path.includes(path)).length;

		it('the re-run loop as the README wires it, with a wrong password: the Filter keeps nothing (fixSettings), the execution ends after one request', async () => {
			const run = await n8n.execute(ids.get(`${setup.vendor}:loop:wrong:nextStep`)!);
			expect(run.ok).toBe(true);
			expect(run.runCount('Node')).toBe(1);
			expect(run.output('Node', 0)).toEqual([]);
			expect(errors(run, 0).map((error) => [error.nextStep, error.retriable, error.mayBeStored])).toEqual(Array(LOOP_CUSTOMERS).fill(['fixSettings', true, false]));
			expect(run.runCount('Wait')).toBe(0);
			// Dustess: the token request that was refused; the others: the refused batch.
			expect(await requestsTo()).toBe(1);
		});

		it('a loop that keeps every retriable row, with a wrong password, ends by itself after Max Retries re-runs', async () => {
			const run = await n8n.execute(ids.get(`${setup.vendor}:loop:wrong:retriable`)!);
			expect(run.ok).toBe(true);
			// The first run and 2 re-runs send one request each; the next run sends nothing.
			expect(run.runCount('Node')).toBe(LOOP_MAX_RETRIES + 2);
			expect(await requestsTo()).toBe(LOOP_MAX_RETRIES + 1);
			const last = LOOP_MAX_RETRIES + 1;
			expect(attempts(run, last)).toEqual(Array(LOOP_CUSTOMERS).fill(LOOP_MAX_RETRIES + 1));
			for (const error of errors(run, last)) {
				expect(error).toMatchObject({ code: 'RETRIES_EXHAUSTED', nextStep: 'none', retriable: false, mayBeStored: false, lastCode: expect.stringMatching(/^(CONFIGURATION_ERROR|NOT_SENT)$/) });
			}
		});

		it('the re-run loop as the README wires it, in a 503 outage that does not end: Max Retries re-runs, then RETRIES_EXHAUSTED', async () => {
			await sandbox.inject({ vendor: setup.vendor, path: setup.path, type: 'status', status: 503, retryAfter: 0, times: 10_000 });
			const run = await n8n.execute(ids.get(`${setup.vendor}:loop:right:nextStep`)!);
			expect(run.ok).toBe(true);
			expect(run.runCount('Node')).toBe(LOOP_MAX_RETRIES + 2);
			expect(run.runCount('Wait')).toBe(LOOP_MAX_RETRIES + 1);
			// Each sending run: one request and its Max Retries retries.
			expect(await requestsTo(setup.path)).toBe((LOOP_MAX_RETRIES + 1) ** 2);
			for (let round = 0; round <= LOOP_MAX_RETRIES; round++) {
				expect(errors(run, round).map((error) => `${error.code} ${error.nextStep}`)).toEqual(Array(LOOP_CUSTOMERS).fill('NOT_DELIVERED sendAgainLater'));
				expect(attempts(run, round)).toEqual(Array(LOOP_CUSTOMERS).fill(round + 1));
			}
			for (const error of errors(run, LOOP_MAX_RETRIES + 1)) {
				expect(error).toMatchObject({ code: 'RETRIES_EXHAUSTED', lastCode: 'NOT_DELIVERED', nextStep: 'none', retriable: false, mayBeStored: false });
			}
			expect(await storedTimes(setup)).toEqual(new Map());
		});
	});

	it('Dustess: a token revoked mid-run and then refused with a code Dustess does not document: one new token, only the batches sent with the old one are OUTCOME_UNKNOWN, the rest stored', async () => {
		const setup = SETUPS.find((candidate) => candidate.vendor === 'dustess')!;
		await sandbox.configure('dustess', { revokeTokensAfterCalls: 3, expiredTokenAnswer: 'undocumented' });
		const run = await n8n.execute(ids.get('dustess:fatal')!);
		expect(run.ok).toBe(true);
		const [success, failure] = run.outputs('Node');
		const stored = await storedTimes(setup);
		checkDeliveryRules(CUSTOMERS, success, failure, stored);
		const { tokensIssued, customerCalls } = await sandbox.store<{ tokensIssued: number; customerCalls: number }>('dustess');
		expect(tokensIssued).toBe(2);
		// One call per batch, none resent.
		expect(customerCalls).toBe(CUSTOMERS / setup.batchSize);
		expect(codes(failure)).toEqual(['OUTCOME_UNKNOWN']);
		expect(failure.every((item) => (item.json.error as IDataObject).vendorCode === DUSTESS_UNDOCUMENTED_TOKEN_CODE)).toBe(true);
		// At most the 4 batches under way when the first refusal came back (Concurrent Batches 4).
		expect(failure.length).toBeGreaterThanOrEqual(setup.batchSize);
		expect(failure.length).toBeLessThanOrEqual(4 * setup.batchSize);
		expect(stored.size).toBe(success.length);
	});
});
