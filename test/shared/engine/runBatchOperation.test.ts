/**
 * The engine's run-level rules, exercised through real nodes in n8n's own engine (the harness):
 * fatal errors that stop a run without losing what was stored, request-level refusals, request
 * parameters per item, duplicate rows, the request rate, the run summary, and secrets in a thrown error.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import type { RunOptions } from '../../helpers/n8nWorkflow';
import { useTestSandbox } from '../../helpers/sandboxClient';
import { runExposures, secretLeaks } from '../../helpers/secretsScan';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../../sandbox/vendors/nxcloud';
import { fakeApiCredential, fakeNodeType, fakeOperation, fakeVendor } from './fakeOperation';

jest.setTimeout(60_000);

const sandbox = useTestSandbox();

const n8n = n8nHarness();

function thulium(input: IDataObject[], options: IDataObject = {}, settings: Partial<RunOptions['node']> = {}) {
	return n8n.run({
		input,
		node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options }, ...settings },
		credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, login: 'api_user', password: 'api_pass' } },
	});
}

function nxcloud(input: IDataObject[], parameters: IDataObject = {}, settings: Partial<RunOptions['node']> = {}) {
	return n8n.run({
		input,
		node: {
			type: 'nxCloudBatchCustomers',
			parameters: { edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mode: 1, mappingMode: 'autoMapInputData', options: {}, ...parameters },
			...settings,
		},
		credentials: {
			nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${sandbox.url}/nxcloud` },
		},
	});
}

const customers = (count: number, prefix = 'S') => Array.from({ length: count }, (_, index) => ({ surname: `${prefix}${index}` }));
const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
const indexOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
const storedThulium = async () => (await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers;
const pace = async (settings: IDataObject) => {
	await fetch(`${sandbox.url}/__control/pace`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(settings) });
};

describe('a fatal error after customers were stored', () => {
	it('returns both outputs instead of throwing: stored rows on Success, the refused batch and the rest retriable, the cause in the summary', async () => {
		// Batches 1 and 2 are stored, batch 3 gets a 401, batches 4 and 5 are never sent.
		await sandbox.inject({ vendor: 'thulium', type: 'status', status: 401, skip: 2, body: { errors: [{ message: 'Unauthorized', code: 401 }] } });
		const run = await thulium(customers(50), { batchSize: 10 });
		expect(run.error).toBeUndefined();
		const [success, failure] = run.outputs;
		expect(success.map(indexOf)).toEqual(Array.from({ length: 20 }, (_, index) => index));
		expect(failure.map(indexOf)).toEqual(Array.from({ length: 30 }, (_, index) => index + 20));
		expect(failure.slice(0, 10).map((item) => errorOf(item).code)).toEqual(Array(10).fill('CONFIGURATION_ERROR'));
		expect(failure.slice(10).map((item) => errorOf(item).code)).toEqual(Array(20).fill('NOT_SENT'));
		for (const item of failure) expect(errorOf(item)).toMatchObject({ retriable: true, mayBeStored: false });
		expect(errorOf(failure[29]).message).toMatch(/^Not sent: the run stopped before this customer's turn \(Thulium refused the API user \(HTTP 401/);
		expect(await storedThulium()).toHaveLength(20);
		expect(await sandbox.requests('thulium')).toHaveLength(3);
		expect(run.hints.map((hint) => hint.message)).toEqual([
			'20 created, 30 failed (3 requests, 0 retries).',
			"20 rows: not sent, the run stopped before their turn — fix the node's settings or the credential, then send again.",
			"10 rows: refused for a reason no row causes (HTTP 401, code 401) — fix the node's settings or the credential, then send again.",
			// The vendor's own words stay on the rows of the batch it answered (they may quote its customers).
			"The run stopped: Thulium refused the API user (HTTP 401): check login, password and the API user's permissions for batch/customers. 20 rows were not sent (retriable).",
		]);
	});

	it('stops every concurrent batch: calls under way finish and are reported, nothing new starts', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'status', status: 401, skip: 3, body: { errors: [{ message: 'Unauthorized', code: 401 }] } });
		await pace({ latencyMs: 100 });
		const run = await thulium(customers(200), { batchSize: 10, concurrency: 4 });
		const [success, failure] = run.outputs;
		expect(success.length + failure.length).toBe(200);
		const stored = new Set((await storedThulium()).map((customer) => customer.surname));
		// Exactly the customers on Success are stored, and no Failure row is stored.
		expect(new Set(success.map((item) => item.json.surname))).toEqual(stored);
		for (const item of failure) expect(stored.has(item.json.surname as string)).toBe(false);
		// At most the 4 calls under way when the 401 came, plus the one that got it, plus the 3 before.
		expect((await sandbox.requests('thulium')).length).toBeLessThanOrEqual(8);
		expect(failure.filter((item) => errorOf(item).code === 'NOT_SENT').length).toBeGreaterThanOrEqual(120);
	});

	it('throws, with its own words, when nothing was stored', async () => {
		const refused = await n8n.run({
			input: customers(3),
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 0 } } },
			credentials: { thuliumApi: { baseUrl: 'http://127.0.0.1:9/thulium/api', login: 'api_user', password: 'api_pass' } },
		});
		// n8n replaces a message naming ECONNREFUSED with its own generic text: ours must survive.
		expect(refused.error?.message).toBe('Could not connect to the vendor (connection refused) after 1 attempt: check the base URL and that the service is up');
	});
});

describe('a refusal that no record causes', () => {
	it('is found in 3 calls for the batch, reported once as a configuration problem, and stops the run', async () => {
		await sandbox.configure('nxcloud', { refuseEveryBatch: true });
		const input = Array.from({ length: 300 }, (_, index) => ({ first_name: 'A', last_name: `B${index}`, email: `c${index}@example.com` }));

		// Nothing is or may be stored, so the node stops the workflow with the cause.
		const stopped = await nxcloud(input);
		expect(stopped.error?.message).toBe("The vendor refused this batch and both its halves with the same answer, so no single customer causes it: check the node's settings and the credential (HTTP 200, code 1002)");
		expect(stopped.error?.description).toMatch(/\(app_key is not enabled/);
		expect(await sandbox.requests('nxcloud')).toHaveLength(3);

		await sandbox.reset();
		await sandbox.configure('nxcloud', { refuseEveryBatch: true });
		const continued = await nxcloud(input, {}, { onError: 'continueRegularOutput' });
		const [success, failure] = continued.outputs;
		expect(success).toHaveLength(0);
		expect(failure.map(indexOf)).toEqual(input.map((_, index) => index));
		expect(failure.slice(0, 100).every((item) => errorOf(item).code === 'CONFIGURATION_ERROR')).toBe(true);
		expect(failure.slice(100).every((item) => errorOf(item).code === 'NOT_SENT')).toBe(true);
		expect(await sandbox.requests('nxcloud')).toHaveLength(3);
	});

	it('still isolates one bad record with at most 2·log2(batch size) extra calls', async () => {
		const input = Array.from({ length: 100 }, (_, index) => ({ first_name: 'A', last_name: `B${index}`, email: index === 61 ? 'x@blocked.example' : `c${index}@example.com` }));
		const run = await nxcloud(input);
		const [success, failure] = run.outputs;
		expect(failure.map(indexOf)).toEqual([61]);
		expect(success).toHaveLength(99);
		expect((await sandbox.requests('nxcloud')).length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(100)));
	});
});

describe('request parameters read per item', () => {
	it('batches an item only with items that share its parameters, so none is sent under another item’s', async () => {
		const input = Array.from({ length: 6 }, (_, index) => ({ first_name: 'A', last_name: `B${index}`, email: `m${index}@example.com`, mode: index % 3 }));
		const run = await nxcloud(input, { mode: '={{ $json.mode }}' });
		expect(run.outputs[0]).toHaveLength(6);
		const requests = (await sandbox.requests('nxcloud')).map((request) => JSON.parse(request.rawBody) as IDataObject);
		expect(requests).toHaveLength(3);
		for (const body of requests) {
			for (const customer of body.customers as IDataObject[]) {
				expect(input.find((item) => item.email === customer.email)!.mode).toBe(body.type);
			}
		}
	});

	it('checks them before sending with the readers fields use: a bad or blank Tenant ID, a Mode that is no mode, fail their item only, naming no value', async () => {
		const input = [
			{ first_name: 'A', last_name: 'B', email: 'ok@example.com', tenant: ` ${NXCLOUD_TENANT_ID} `, mode: 'keep' },
			{ first_name: 'A', last_name: 'C', email: 'bad@example.com', tenant: 'tenant-x', mode: 1 },
			{ first_name: 'A', last_name: 'D', email: 'blank@example.com', tenant: '  ', mode: 1 },
			{ first_name: 'A', last_name: 'E', email: 'mode@example.com', tenant: NXCLOUD_TENANT_ID, mode: 'sometimes' },
		];
		const run = await nxcloud(input, { tenantId: '={{ $json.tenant }}', mode: '={{ $json.mode }}' });
		const [success, failure] = run.outputs;
		expect(success.map(indexOf)).toEqual([0]);
		expect(failure.map((item) => [indexOf(item), errorOf(item).code, errorOf(item).field, errorOf(item).message])).toEqual([
			[1, 'INVALID_RECORD', 'tenantId', "Invalid node parameter: 'Tenant ID' (tenantId) must be a whole number, got text of 8 characters"],
			[2, 'INVALID_RECORD', 'tenantId', "Invalid node parameter: 'Tenant ID' (tenantId) is required"],
			[3, 'INVALID_RECORD', 'mode', "Invalid node parameter: 'Mode' (mode) must be one of Replace Existing Data, Merge With Existing Data, Keep Existing Data, got text of 9 characters"],
		]);
		expect(errorOf(failure[0]).problems).toEqual([{ field: 'tenantId', rule: 'type', message: "'Tenant ID' (tenantId) must be a whole number, got text of 8 characters" }]);
		expect(JSON.stringify(failure.map(errorOf))).not.toMatch(/tenant-x|sometimes/);
		const requests = await sandbox.requests('nxcloud');
		expect(requests.map((request) => JSON.parse(request.rawBody))).toEqual([expect.objectContaining({ type: 2, tenant_id: NXCLOUD_TENANT_ID })]);
	});
});

describe('a node setting that fails every item', () => {
	const sheetRows = [
		{ 'First Name': 'Jan', 'Last Name': 'Kowalski', 'E-mail': 'jan@example.com', Phone: '+48 600 100 200' },
		{ 'First Name': 'Anna', 'Last Name': 'Nowak', 'E-mail': 'anna@example.com', Phone: '+48 600 100 201' },
	];

	it('stops the node with one error naming a fixed request parameter, before anything is sent', async () => {
		// n8n itself refuses to run a Tenant ID that is no number (the panel shows it); a fraction gets this far.
		const run = await nxcloud(customers(250).map((customer, index) => ({ first_name: 'A', last_name: customer.surname, email: `c${index}@example.com` })), { tenantId: '12.5' });
		expect(run.error?.message).toBe("Invalid node parameter: 'Tenant ID' (tenantId) must be a whole number, got a number with a fraction");
		expect(run.error?.description).toBe(
			"Nothing was sent: every item would fail on this setting. Fix Tenant ID in the node's parameters. To have the items go to the Failure output instead, set the node's Settings → On Error to Continue.",
		);
		expect(run.outputs).toEqual([]);
		expect(await sandbox.requests('nxcloud')).toHaveLength(0);
	});

	it('leaves a Tenant ID that is no number to n8n, which shows it as an issue in the panel and does not run the workflow', async () => {
		await expect(nxcloud([{ first_name: 'A', last_name: 'B' }], { tenantId: 'abc' })).rejects.toThrow(/has issues:\n- 'tenantId' expects a number/);
		expect(await sandbox.requests('nxcloud')).toHaveLength(0);
	});

	it('stops the node when an expression gives every item the same invalid value', async () => {
		const run = await nxcloud([{ first_name: 'A', last_name: 'B' }, { first_name: 'C', last_name: 'D' }], { tenantId: '={{ $json.tenant }}' });
		expect(run.error?.message).toBe("Invalid node parameter: 'Tenant ID' (tenantId) is required");
		expect(run.error?.description).toMatch(/^Every item failed on the node's Tenant ID in the same way, so nothing was sent: fix Tenant ID/);
		expect(await sandbox.requests('nxcloud')).toHaveLength(0);
	});

	it('under On Error → Continue, puts the rows on Failure as before, and the summary names the setting once', async () => {
		const run = await nxcloud(Array.from({ length: 3 }, (_, index) => ({ first_name: 'A', last_name: 'B', email: `c${index}@example.com` })), { tenantId: '-7' }, { onError: 'continueRegularOutput' });
		expect(run.error).toBeUndefined();
		const [success, failure] = run.outputs;
		expect(success).toHaveLength(0);
		expect(failure.map((item) => [errorOf(item).code, errorOf(item).field, errorOf(item).nextStep])).toEqual(Array(3).fill(['INVALID_RECORD', 'tenantId', 'fixSettings']));
		expect(run.hints.map((hint) => hint.message)).toEqual(['0 created, 3 failed.', "3 rows: 'Tenant ID' (tenantId) must be at least 0 — fix the node's Tenant ID."]);
	});

	it("stops an Auto-Map node whose input has no key named like an API field, listing the keys, the API's fields, likely matches and the ways out", async () => {
		const run = await thulium(sheetRows);
		expect(run.error?.message).toBe('Auto-Map found no input field named like a field of this API in any item, so nothing was sent');
		const description = String(run.error?.description);
		expect(description).toContain("The input has 4 fields; the API's fields are surname (required), name, email, phone_number,");
		expect(description).toContain("Likely meant: 'First Name' → name, 'E-mail' → email, 'Phone' → phone_number.");
		expect(description).toContain('set Mapping Column Mode to Map Each Field Below');
		expect(description).not.toMatch(/Jan|Kowalski|example\.com|600/);
		expect(await sandbox.requests('thulium')).toHaveLength(0);
	});

	it('under On Error → Continue, tells each Auto-Map row that no column matched, not only that surname is missing', async () => {
		const run = await thulium([...sheetRows, { surname: 'Mazur', email: 'x@example.com' }], {}, { onError: 'continueRegularOutput' });
		const [success, failure] = run.outputs;
		expect(success.map(indexOf)).toEqual([2]);
		expect(failure.map(indexOf)).toEqual([0, 1]);
		expect(errorOf(failure[0])).toMatchObject({ code: 'INVALID_RECORD', field: 'surname', problems: [{ field: 'surname', rule: 'required' }] });
		expect(errorOf(failure[0]).message).toMatch(/^Auto-Map found no input field named like a field of this API\. Auto-Map takes the fields whose names equal the API names\. The item has 4 fields; /);
		expect(run.hints.map((hint) => hint.message)).toContain(
			'2 rows: Auto-Map found no input field named like a field of this API — rename the input fields to the API names, or set Mapping Column Mode to Map Each Field Below.',
		);
	});
});

describe('duplicate rows', () => {
	const rows = [
		{ surname: 'A', phone_number: '+48 600 100 200' },
		{ surname: 'B', email: 'b@example.com' },
		{ surname: 'A again', phone_number: '48600100200' },
		{ surname: 'B again', email: 'B@Example.com' },
	];

	it('sends the first row of a customer and fails later ones, pointing at the first', async () => {
		const run = await thulium(rows);
		const [success, failure] = run.outputs;
		expect(success.map(indexOf)).toEqual([0, 1]);
		expect(failure.map((item) => [indexOf(item), errorOf(item).code, errorOf(item).duplicateOf, errorOf(item).message])).toEqual([
			[2, 'DUPLICATE_IN_INPUT', 0, 'Not sent: input item 0 (counted from 0, as n8n counts items) has the same phone number (Skip Duplicate Rows)'],
			[3, 'DUPLICATE_IN_INPUT', 1, 'Not sent: input item 1 (counted from 0, as n8n counts items) has the same e-mail address (Skip Duplicate Rows)'],
		]);
		expect(await storedThulium()).toHaveLength(2);
	});

	it('sends every row when Skip Duplicate Rows is off', async () => {
		const run = await thulium(rows, { skipDuplicateRows: false });
		expect(run.outputs[0]).toHaveLength(4);
	});
});

describe('the request rate', () => {
	it('stays inside a vendor limit with Max Requests Per Second across concurrent batches: no 429', async () => {
		await pace({ ratePerSecond: 10 });
		const run = await thulium(customers(300), { batchSize: 10, concurrency: 4, maxRequestsPerSecond: 10 });
		expect(run.outputs[0]).toHaveLength(300);
		const requests = await sandbox.requests('thulium');
		expect(requests).toHaveLength(30);
		expect(requests.filter((request) => request.method === 'POST')).toHaveLength(30);
		expect(run.hints.map((hint) => hint.message)).toEqual(['300 created, 0 failed (30 requests, 0 retries).']);
	});

	it('pauses every batch of the run for a Retry-After, not only the one that got the 429', async () => {
		await pace({ latencyMs: 20 });
		await sandbox.inject({ vendor: 'thulium', type: 'status', status: 429, retryAfter: 1, skip: 2 });
		const run = await thulium(customers(80), { batchSize: 10, concurrency: 4 });
		expect(run.outputs[0]).toHaveLength(80);
		const requests = (await sandbox.requests('thulium')) as Array<{ at?: number }>;
		const at = requests.map((request) => request.at!);
		const limited = at[2];
		// After the 429 only the calls already under way may reach the vendor within the second.
		expect(at.filter((time) => time > limited + 50 && time < limited + 900).length).toBeLessThanOrEqual(2);
		expect(run.hints.map((hint) => hint.message)).toContain('The vendor answered "too many requests" 1 time: set Max Requests Per Second to stay inside its limit.');
	});
});

describe('the run summary', () => {
	it('tells what a run did and what may be stored', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'storeThenFail', status: 504 });
		const run = await thulium([...customers(3), { name: 'no surname' }], { batchSize: 2 });
		expect(run.hints.map((hint) => hint.message)).toEqual([
			'1 created, 3 failed (2 requests, 0 retries).',
			'2 rows: outcome unknown after HTTP 504 — may already be stored: check the vendor before sending again.',
			"1 row: 'Surname' (surname) is required — fix the data (error.message says what), then send again.",
		]);
		const [, failure] = run.outputs;
		expect(failure.map((item) => errorOf(item).code)).toEqual(['OUTCOME_UNKNOWN', 'OUTCOME_UNKNOWN', 'INVALID_RECORD']);
	});

	it('says that a Validate Only run sent nothing, and the panel warns while it is on', async () => {
		const run = await thulium(customers(2), { validateOnly: true });
		expect(run.hints.map((hint) => hint.message)).toEqual(['Validate Only: 2 valid, 0 failed; nothing was sent to the vendor.']);
		expect(await sandbox.requests('thulium')).toHaveLength(0);
		const type = n8n.nodeTypes.get([...n8n.nodeTypes.keys()].find((name) => name.endsWith('.thuliumBatchCustomers'))!)!;
		expect((type as { description: { hints?: Array<{ displayCondition?: string }> } }).description.hints).toEqual([
			expect.objectContaining({ displayCondition: '={{ $parameter["options"]["validateOnly"] === true }}', whenToDisplay: 'always' }),
		]);
	});
});

describe('n8n node settings that could resend or mislabel rows', () => {
	it('never lets Retry On Fail send stored customers again: an input `error` field moves under customerBatch on Success', async () => {
		const run = await thulium([{ surname: 'A', error: 'from the sheet' }, { surname: 'B' }], {}, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });
		const [success] = run.outputs;
		expect(success).toHaveLength(2);
		expect(success[0].json).not.toHaveProperty('error');
		expect((success[0].json.customerBatch as IDataObject).inputError).toBe('from the sheet');
		expect(await sandbox.requests('thulium')).toHaveLength(1);
		expect(await storedThulium()).toHaveLength(2);
	});

	it('puts every row on Failure, not Success, when the credential cannot be read under "continue"', async () => {
		const run = await n8n.run({
			input: customers(2),
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData' }, onError: 'continueRegularOutput' },
		});
		const [success, failure] = run.outputs;
		expect(success).toEqual([]);
		expect(failure.map((item) => errorOf(item).code)).toEqual(['NOT_SENT', 'NOT_SENT']);
	});
});

describe('an exception nobody foresaw', () => {
	// An adapter bug: the credential check throws, after the rows were read and before any was sent.
	const withFake = n8nHarness([fakeApiCredential]);
	const broken: BatchOperation = {
		...fakeOperation,
		credentialProblem: () => {
			throw new Error('adapter bug');
		},
	};
	const runBroken = (settings: Partial<RunOptions['node']> = {}) =>
		withFake.run({
			input: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
			node: { type: 'fakeBatchCustomers', parameters: { mappingMode: 'autoMapInputData', options: {} }, ...settings },
			credentials: { fakeApi: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' } },
			nodeTypes: { fakeBatchCustomers: fakeNodeType(broken) },
		});

	it('never puts unsent rows on Success under "continue": n8n would pass the input rows of a node that throws on as Success', async () => {
		for (const onError of ['continueRegularOutput', 'continueErrorOutput'] as const) {
			const run = await runBroken({ onError });
			expect(run.error).toBeUndefined();
			const [success, failure] = run.outputs;
			expect(success).toEqual([]);
			expect(failure.map(indexOf)).toEqual([0, 1, 2]);
			for (const item of failure) {
				expect(errorOf(item)).toMatchObject({ code: 'NOT_SENT', retriable: true, mayBeStored: false });
				expect(errorOf(item).message).toBe("Not sent: the node failed before this customer's turn (an unexpected Error)");
			}
			expect(run.hints.map((hint) => hint.message)).toContainEqual(expect.stringMatching(/^The run stopped: The node failed: an unexpected Error/));
		}
	});

	it('still stops the workflow with the cause when it does not continue on errors and nothing was sent', async () => {
		const run = await runBroken();
		expect(run.error?.message).toBe('adapter bug');
		expect(run.outputs).toEqual([]);
	});

	it('keeps stored customers on Success and every other row on Failure when it escapes after sending', async () => {
		// An input row whose field cannot be read breaks the routing of the outputs, after the vendor stored it.
		const unreadable: IDataObject = { surname: 'B' };
		Object.defineProperty(unreadable, 'notes', { enumerable: true, get: () => { throw new Error('unreadable'); } });
		for (const onError of ['stopWorkflow', 'continueRegularOutput'] as const) {
			await sandbox.reset();
			const run = await thulium([{ surname: 'A' }, unreadable, { name: 'no surname' }], {}, { onError });
			expect(run.error).toBeUndefined();
			const [success, failure] = run.outputs;
			expect(success.map(indexOf)).toEqual([0, 1]);
			expect(success.map((item) => (item.json.customerBatch as IDataObject).result)).toEqual([{ customer_id: '1', http_status: 201 }, { customer_id: '2', http_status: 201 }]);
			expect(failure.map(indexOf)).toEqual([2]);
			expect(errorOf(failure[0])).toMatchObject({ code: 'INVALID_RECORD', field: 'surname' });
			expect(run.hints.map((hint) => hint.message)).toEqual([
				'2 created, 1 failed (1 request, 0 retries).',
				"1 row: 'Surname' (surname) is required — fix the data (error.message says what), then send again.",
				'The run stopped: The node failed: an unexpected Error.',
			]);
			expect(await storedThulium()).toHaveLength(2);
		}
	});
});

describe('secrets in the error a run throws', () => {
	const withFake = n8nHarness([fakeApiCredential]);
	const TENANT_KEY = 'tenant-key-7731';
	const API_KEY = 'api-key-5519';
	/** The fake vendor with a request parameter declared secret, which the request carries. */
	const operation: BatchOperation = {
		...fakeOperation,
		requestParameters: [{ name: 'tenantKey', label: 'Tenant Key', description: 'A key', type: 'string', required: true, secret: true }],
		buildRequest: (records, context) => ({ method: 'POST', url: `${context.credentials.baseUrl as string}/batch`, body: { records, tenantKey: context.parameters.tenantKey as string } }),
	};
	const runWith = (credentials: Record<string, IDataObject>, baseUrl = '') =>
		withFake.run({
			input: [{ name: 'a' }, { name: 'b' }],
			node: { type: 'fakeBatchCustomers', parameters: { tenantKey: TENANT_KEY, mappingMode: 'autoMapInputData', options: {} } },
			credentials: Object.fromEntries(Object.entries(credentials).map(([type, data]) => [type, { ...data, baseUrl }])),
			nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
		});
	/** Where n8n shows or logs the thrown error; its copy of the workflow (execution data) is n8n's own. */
	const shown = (run: Awaited<ReturnType<typeof runWith>>) => runExposures(run).filter((exposure) => !exposure.where.endsWith('execution data'));

	it('carries the node with a secret parameter masked, and no secret in its message, when every request is refused quoting the secrets', async () => {
		const vendor = await fakeVendor(() => ({ statusCode: 200, body: { rejected: `key ${API_KEY} may not write for ${TENANT_KEY}` } }));
		const run = await runWith({ fakeApi: { apiKey: API_KEY } }, vendor.url).finally(vendor.close);
		expect(run.error?.message).toMatch(/^The vendor refused this batch and both its halves with the same answer/);
		// The vendor's words, which quote the secrets, come below the cause, masked.
		expect(run.error?.description).toContain('***');
		expect((run.error as unknown as { node: { parameters: IDataObject } }).node.parameters.tenantKey).toBe('***');
		expect(secretLeaks(shown(run), [TENANT_KEY, API_KEY])).toEqual([]);
	});

	it('carries the node with a secret parameter masked when the credential cannot be read', async () => {
		const run = await runWith({});
		expect(run.error?.message).toMatch(/^The credential could not be read/);
		expect((run.error as unknown as { node: { parameters: IDataObject } }).node.parameters.tenantKey).toBe('***');
		expect(secretLeaks(shown(run), [TENANT_KEY])).toEqual([]);
	});
});

describe('Skip Duplicate Rows and request parameters', () => {
	it('two NXCLOUD rows with the same phone and tenant are both sent when only their Mode differs', async () => {
		const run = await nxcloud(
			[
				{ first_name: 'Ann', last_name: 'Lee', sms_phone: '48600100200', mode: 'merge' },
				{ first_name: 'Ann', last_name: 'Lee', sms_phone: '48600100200', mode: 'keep' },
			],
			{ mode: '={{ $json.mode }}', options: { maxRetries: 0 } },
		);
		expect(run.error).toBeUndefined();
		const [, failure] = run.outputs;
		expect(failure.map((item) => [errorOf(item).code, errorOf(item).duplicateOf])).toEqual([['DUPLICATE_IN_INPUT', 0]]);
	});

	it('sends the same phone once per tenant: the tenant scopes the customer, the Mode does not', async () => {
		const run = await nxcloud(
			[
				{ first_name: 'Ann', last_name: 'Lee', sms_phone: '48600100200', tenant: NXCLOUD_TENANT_ID },
				{ first_name: 'Ann', last_name: 'Lee', sms_phone: '48600100200', tenant: NXCLOUD_TENANT_ID + 1 },
			],
			{ tenantId: '={{ $json.tenant }}', options: { maxRetries: 0, validateOnly: true } },
		);
		expect(run.outputs[0]).toHaveLength(2);
		expect(run.outputs[1]).toEqual([]);
	});
});

describe('request parameters from an expression', () => {
	it('NXCLOUD Mode from an expression: blank in any form is Merge (type 1), an explicit 0 or "replace" is Replace, anything else fails its item only', async () => {
		const modes: unknown[] = [null, '', '   ', [], {}, ' 0 ', 'replace', Number.NaN, 'yes'];
		const run = await nxcloud(
			modes.map((mode, index) => ({ first_name: 'Ann', last_name: `L${index}`, mode }) as IDataObject),
			{ mode: '={{ $json.mode }}', options: { maxRetries: 0 } },
		);
		const [success, failure] = run.outputs;
		const sent = (await sandbox.requests('nxcloud')).map((request) => JSON.parse(request.rawBody) as { type: number; customers: IDataObject[] });
		const typeOf = new Map(sent.flatMap((body) => body.customers.map((customer) => [customer.last_name, body.type] as const)));
		expect(success.map((item) => typeOf.get(item.json.last_name as string))).toEqual([1, 1, 1, 1, 1, 0, 0]);
		expect(failure.map((item) => [(item.json.error as IDataObject).code, (item.json.error as IDataObject).field])).toEqual([
			['INVALID_RECORD', 'mode'],
			['INVALID_RECORD', 'mode'],
		]);
	});
});

describe('Retry On Fail', () => {
	it("Retry On Fail does not run the node again after it stored a row whose input had an `error` field, nor after a row that may be stored", async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'storeThenFail', status: 500, skip: 1 });
		const run = await thulium([{ surname: 'A', error: 'from the sheet' }, { surname: 'B' }], { batchSize: 1, maxRetries: 0 }, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });
		expect(run.error).toBeUndefined();
		expect(await sandbox.requests('thulium')).toHaveLength(2);
		expect((await storedThulium()).map((customer) => customer.surname)).toEqual(['A', 'B']);
		expect((run.outputs[1] ?? []).map((item) => (item.json.error as IDataObject).code)).toEqual(['OUTCOME_UNKNOWN']);
	});
});
