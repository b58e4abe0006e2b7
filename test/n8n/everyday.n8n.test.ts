/**
 * What a spreadsheet-to-CRM user needs every day, in a real n8n against the sandbox (issue 10):
 * spreadsheet values taken as they come, duplicate rows caught, a request rate the vendor
 * accepts, and the run summary n8n shows in the output pane.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { SandboxHandle } from '../helpers/sandboxClient';
import { THULIUM_USER } from '../sandbox/vendors/thulium';
import { buildWorkflow, createN8nInstance, itemsNode, manualTrigger, startSandbox } from './harness';
import type { Execution, N8nInstance, N8nLine } from './harness';

jest.setTimeout(15 * 60_000);

const lines = (process.env.N8N_TEST_LINES ?? '1').split(',').map((line) => Number(line.trim()) as N8nLine);
const indexOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
const hintsOf = (run: Execution) =>
	(run.run!.data.resultData.runData.Thulium[0] as unknown as { hints?: Array<{ message: string }> }).hints?.map((hint) => hint.message) ?? [];

/** Rows as Google Sheets hands them over: checkbox text, numbers for phones, empty cells, day-first dates. */
const sheetRows: IDataObject[] = [
	{ surname: 'Nowak', name: '', email: 'jan@example.com', phone_number: 48600100200, vip: 'TRUE', birthdate: '17/05/1980', company_id: ' ', note: null },
	{ surname: 'Kowalska', name: 'Anna', email: '', phone_number: '48600100201', vip: 'false', birthdate: '1981-02-03T23:30:00-05:00', company_id: '26' },
	{ surname: 'Lis', phone_number: 48600100202, vip: 1, birthdate: '05.06.1982' },
];

describe.each(lines)('everyday use on n8n line %i', (line) => {
	let sandbox: SandboxHandle;
	let n8n: N8nInstance;
	let runs: Map<string, Execution>;
	const ids = { sheet: '', ambiguous: '', duplicates: '', paced: '', faulty: '' };

	const workflow = (name: string, items: IDataObject[], options: IDataObject) =>
		buildWorkflow({
			name,
			nodes: [
				manualTrigger(),
				itemsNode('Rows', items),
				{
					name: 'Thulium',
					type: n8n.nodeType('thuliumBatchCustomers'),
					typeVersion: 1,
					parameters: { resource: 'customer', operation: 'create', mappingMode: 'autoMapInputData', options },
					credentials: { thuliumApi: { id: 'thuliumEveryday1', name: 'thuliumEveryday1' } },
				},
			],
			edges: [
				['Start', 'Rows'],
				['Rows', 'Thulium'],
			],
		});

	beforeAll(async () => {
		sandbox = await startSandbox();
		n8n = await createN8nInstance({ line, install: 'community' });
		await n8n.importCredentials([
			{ id: 'thuliumEveryday1', name: 'thuliumEveryday1', type: 'thuliumApi', data: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
		]);
		const many = Array.from({ length: 200 }, (_, index) => ({ surname: `Paced-${index}` }));
		[ids.sheet, ids.ambiguous, ids.duplicates, ids.paced, ids.faulty] = await n8n.importWorkflows([
			// The test compares the records as sent: Success items carry them with Include Sent Record.
			workflow('sheet rows, day first', sheetRows, { dateOrder: 'dmy', includeSentRecord: true }),
			workflow('sheet rows, no date order', sheetRows, {}),
			workflow('duplicate rows', [{ surname: 'A', phone_number: '48 600 100 200' }, { surname: 'A2', phone_number: 48600100200 }, { surname: 'B', email: 'b@example.com' }], {}),
			workflow('paced', many, { batchSize: 10, concurrency: 4, maxRequestsPerSecond: 8 }),
			workflow('faulty', Array.from({ length: 30 }, (_, index) => ({ surname: `Faulty-${index}` })), { batchSize: 10 }),
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sandbox?.close();
	});

	beforeEach(async () => sandbox.reset());

	it('takes spreadsheet values as they come, with the Date Order the sheet uses', async () => {
		const run = await n8n.execute(ids.sheet);
		expect(run.ok).toBe(true);
		expect(run.output('Thulium', 1)).toEqual([]);
		expect(run.json('Thulium', 0).map((json) => (json.customerBatch as IDataObject).record)).toEqual([
			{ surname: 'Nowak', email: 'jan@example.com', phone_number: '48600100200', vip: true, birthdate: '1980-05-17' },
			{ surname: 'Kowalska', name: 'Anna', phone_number: '48600100201', vip: false, birthdate: '1981-02-03', company_id: '26' },
			{ surname: 'Lis', phone_number: '48600100202', vip: true, birthdate: '1982-06-05' },
		]);
	});

	it('fails an ambiguous date without the Date Order option, naming the option and not the value', async () => {
		const run = await n8n.execute(ids.ambiguous);
		const failure = run.output('Thulium', 1);
		expect(failure.map(indexOf)).toEqual([0]);
		expect(errorOf(failure[0])).toMatchObject({ code: 'INVALID_RECORD', field: 'birthdate' });
		expect(errorOf(failure[0]).message).toMatch(/Date Order/);
		expect(errorOf(failure[0]).message).not.toContain('17/05/1980');
	});

	it('sends the first row of a customer and fails the repeated row, pointing at the first', async () => {
		const run = await n8n.execute(ids.duplicates);
		expect(run.output('Thulium', 0).map(indexOf)).toEqual([0, 2]);
		expect(run.output('Thulium', 1).map((item) => [indexOf(item), errorOf(item).code, errorOf(item).duplicateOf])).toEqual([[1, 'DUPLICATE_IN_INPUT', 0]]);
		expect((await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers).toHaveLength(2);
		expect(hintsOf(run)).toEqual([
			'2 created, 1 failed (1 request, 0 retries).',
			'1 row: the same customer as an earlier input item, so not sent (Skip Duplicate Rows) — nothing to send again.',
		]);
		expect(errorOf(run.output('Thulium', 1)[0]).message).toBe('Not sent: input item 0 (counted from 0, as n8n counts items) has the same phone number (Skip Duplicate Rows)');
	});

	it('stays inside a vendor limit of 10 requests/s with Max Requests Per Second: no 429, every customer once', async () => {
		await fetch(`${sandbox.url}/__control/pace`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ratePerSecond: 10 }) });
		const run = await n8n.execute(ids.paced);
		expect(run.output('Thulium', 0)).toHaveLength(200);
		const pace = (await (await fetch(`${sandbox.url}/__control/pace`)).json()) as { rateLimited: number };
		expect(pace.rateLimited).toBe(0);
		expect((await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers).toHaveLength(200);
	});

	it('shows the run summary in the output pane, with the rows that may be stored and the cause that stopped the run', async () => {
		// Faults apply in turn: batch 1 passes, batch 2 is stored but answered 504, batch 3 gets a 401.
		await sandbox.inject(
			{ vendor: 'thulium', type: 'storeThenFail', status: 504, skip: 1 },
			{ vendor: 'thulium', type: 'status', status: 401, body: { errors: [{ message: 'Unauthorized', code: 401 }] } },
		);
		const run = await n8n.execute(ids.faulty);
		expect(run.ok).toBe(true);
		expect(run.output('Thulium', 0)).toHaveLength(10);
		expect(hintsOf(run)).toEqual([
			'10 created, 20 failed (3 requests, 0 retries).',
			'10 rows: outcome unknown after HTTP 504 — may already be stored: check the vendor before sending again.',
			"10 rows: refused for a reason no row causes (HTTP 401, code 401) — fix the node's settings or the credential, then send again.",
			// The vendor's own words stay on the rows of the batch it answered.
			expect.stringMatching(/^The run stopped: Thulium refused the API user \(HTTP 401\): check/),
		]);
	});
});
