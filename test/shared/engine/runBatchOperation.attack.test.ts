/**
 * Attacks on a run that no longer keeps every record to its end (the `unsettled` batches, `settled`,
 * `notHandedOut`, Success outcomes without their record unless Include Sent Record is on): splits,
 * fatal answers with several workers, adapter exceptions during a split, exceptions that break the
 * run, Validate Only, Skip Duplicate Rows. Every row must get one outcome; a row the vendor stored
 * goes to Success; a row never sent is NOT_SENT (retriable); a row that may be stored is never
 * retriable; a Failure item carries the record it was built into.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import type { Answer } from '../../helpers/fakeServer';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import type { FakeServer } from './fakeOperation';
import { fakeApiCredential, fakeNodeType, fakeOperation, fakeVendor } from './fakeOperation';

jest.setTimeout(30_000);

const n8n = n8nHarness([fakeApiCredential]);

const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
const batchOf = (item: INodeExecutionData) => item.json.customerBatch as IDataObject;
const indexOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

async function run(operation: BatchOperation, input: IDataObject[], server: FakeServer, options: IDataObject, continueOnFail = true) {
	const http = await fakeVendor(server);
	const result = await n8n
		.run({
			input,
			node: { type: 'fakeBatchCustomers', parameters: { mappingMode: 'autoMapInputData', options: { maxRetries: 0, ...options } }, onError: continueOnFail ? 'continueRegularOutput' : 'stopWorkflow' },
			credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: http.url } },
			nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
		})
		.finally(http.close);
	return { http, result };
}

const later = (ms: number, answer: Answer) => new Promise<Answer>((resolve) => setTimeout(() => resolve(answer), ms));
const okFor = (records: IDataObject[]): { statusCode: number; body: unknown } => ({ statusCode: 200, body: { results: records.map((record) => ({ ok: true, id: `id-${String(record.name)}` })) } });

/** The names the vendor processed (answered with a result per record; may be stored), and those it stored (answered ok). */
const processed = new Set<string>();

/** What the vendor stored, by name: every record of an answer that said ok. */
function storingServer(decide: (records: IDataObject[], call: number) => Answer | Promise<Answer> | 'reset', stored: Set<string>): FakeServer {
	processed.clear();
	return async (records, call) => {
		const answer = await decide(records, call);
		if (answer !== 'reset' && answer.statusCode === 200 && Array.isArray((answer.body as IDataObject).results)) {
			for (const record of records) processed.add(String(record.name));
			((answer.body as IDataObject).results as IDataObject[]).forEach((result, position) => result?.ok && stored.add(String(records[position].name)));
		}
		return answer;
	};
}

/** The promises every run keeps, whatever happened in it. */
function expectPromisesKept(input: IDataObject[], outputs: INodeExecutionData[][], stored: Set<string>, includeSentRecord: boolean) {
	const [success, failure] = outputs;
	// One outcome per row.
	expect([...success, ...failure].map(indexOf).sort((a, b) => a - b)).toEqual(input.map((_, index) => index));
	for (const item of success) {
		const name = String(input[indexOf(item)].name);
		expect({ name, stored: stored.has(name) }).toEqual({ name, stored: true });
		if (includeSentRecord) expect(batchOf(item).record).toEqual({ name });
		else expect(batchOf(item)).not.toHaveProperty('record');
	}
	for (const item of failure) {
		const name = String(input[indexOf(item)].name);
		const error = errorOf(item);
		// A stored customer is never on Failure.
		expect({ name, stored: stored.has(name), code: error.code }).toEqual({ name, stored: false, code: error.code });
		// Retriable only where no call that holds it was processed (a whole-request refusal is not).
		if (error.retriable === true) expect({ name, code: error.code, processed: processed.has(name) }).toEqual({ name, code: error.code, processed: false });
		if (error.code === 'NOT_SENT' || error.code === 'OUTCOME_UNKNOWN' || error.code === 'VENDOR_REJECTED') {
			// The record was built: the Failure item carries it.
			expect({ name, code: error.code, record: batchOf(item).record }).toEqual({ name, code: error.code, record: { name } });
		}
	}
}

const names = (count: number, prefix = 'n') => Array.from({ length: count }, (_, index) => ({ name: `${prefix}${index}` }));

/** An item whose `error` key throws when read: it breaks the run wherever it is read. */
const unreadable = (): IDataObject =>
	Object.defineProperty({ name: 'z' }, 'error', {
		enumerable: true,
		get: () => {
			throw new Error('unreadable');
		},
	}) as IDataObject;

/** Reads each record for 1 ms (Skip Duplicate Rows asks it), so that the first batches are stored while later items are read. */
const slow: BatchOperation = {
	...fakeOperation,
	naturalKeys: (record) => {
		const until = Date.now() + 1;
		while (Date.now() < until);
		return [`name:${String(record.name)}`];
	},
};

describe('splits, fatal answers and several workers', () => {
	for (const includeSentRecord of [false, true]) {
		it(`a batch split (one half stored), then a fatal answer while two other batches are under way (Include Sent Record ${includeSentRecord ? 'on' : 'off'})`, async () => {
			const input = [{ name: 'a0' }, { name: 'bad1' }, { name: 'a2' }, { name: 'a3' }, ...names(12)];
			const stored = new Set<string>();
			const server = storingServer((records, call) => {
				if (records.some((record) => String(record.name).startsWith('bad'))) return { statusCode: 200, body: { rejected: 'bad record' } };
				if (records.some((record) => record.name === 'n4')) return later(50, { statusCode: 401, body: 'no' });
				return later(call % 2 ? 150 : 30, okFor(records));
			}, stored);
			const { http, result } = await run(fakeOperation, input, server, { batchSize: 4, concurrency: 3, includeSentRecord }, true);
			expect(result.error).toBeUndefined();
			expectPromisesKept(input, result.outputs, stored, includeSentRecord);
			expect(stored.size).toBeGreaterThan(0);
		});
	}

	it('an adapter exception in readResponse for the second half of a split: the first half stored is Success', async () => {
		const operation: BatchOperation = {
			...fakeOperation,
			readResponse(response, records) {
				if (records.length === 2 && records.some((record) => record.name === 'boom')) throw new TypeError(`cannot read ${String(records[0].name)}`);
				return fakeOperation.readResponse(response, records);
			},
		};
		const input = [{ name: 'a' }, { name: 'b' }, { name: 'bad' }, { name: 'boom' }, ...names(4)];
		const stored = new Set<string>();
		const server = storingServer((records) => {
			if (records.some((record) => record.name === 'bad')) return { statusCode: 200, body: { rejected: 'bad record' } };
			return okFor(records);
		}, stored);
		const { http, result } = await run(operation, input, server, { batchSize: 4, concurrency: 2 }, true);
		expect(result.error).toBeUndefined();
		// 'boom' was sent and answered: the vendor stored it, the adapter could not read that.
		stored.delete('boom');
		expectPromisesKept(input, result.outputs, stored, false);
		const [success, failure] = result.outputs;
		expect(success.map(indexOf)).toEqual([0, 1, 4, 5, 6, 7]);
		expect(errorOf(failure.find((item) => indexOf(item) === 3)!)).toMatchObject({ code: 'OUTCOME_UNKNOWN', retriable: false });
	});

	it('an adapter exception in buildRequest for the second half of a split: that half is NOT_SENT with its records, the first half stored', async () => {
		const operation: BatchOperation = {
			...fakeOperation,
			buildRequest(records, context) {
				if (records.length === 2 && records.some((record) => record.name === 'boom')) throw new TypeError('cannot build');
				return fakeOperation.buildRequest(records, context);
			},
		};
		const input = [{ name: 'a' }, { name: 'b' }, { name: 'bad' }, { name: 'boom' }];
		const stored = new Set<string>();
		const server = storingServer((records) => (records.some((record) => record.name === 'bad') ? { statusCode: 200, body: { rejected: 'bad record' } } : okFor(records)), stored);
		const { http, result } = await run(operation, input, server, { batchSize: 4, concurrency: 1 }, true);
		expectPromisesKept(input, result.outputs, stored, false);
		const [success, failure] = result.outputs;
		expect(success.map(indexOf)).toEqual([0, 1]);
		expect(failure.map((item) => [indexOf(item), errorOf(item).code])).toEqual([
			[2, 'NOT_SENT'],
			[3, 'NOT_SENT'],
		]);
	});
});

describe('Continue On Fail off', () => {
	it('a fatal answer after a batch was stored: the run outputs (no throw), stored rows on Success, unsent rows NOT_SENT with their record', async () => {
		const input = names(10);
		const stored = new Set<string>();
		const server = storingServer((records, call) => (call === 1 ? okFor(records) : later(20, { statusCode: 401, body: 'no' })), stored);
		const { result } = await run(fakeOperation, input, server, { batchSize: 2, concurrency: 1 }, false);
		expect(result.error).toBeUndefined();
		expectPromisesKept(input, result.outputs, stored, false);
		expect(result.outputs[0].map(indexOf)).toEqual([0, 1]);
		const unsent = result.outputs[1].filter((item) => errorOf(item).code === 'NOT_SENT');
		expect(unsent.map(indexOf)).toEqual([4, 5, 6, 7, 8, 9]);
	});

	it('the first batch refused on the settings (401) with nothing stored: the run stops with an error, nothing else sent', async () => {
		const stored = new Set<string>();
		const { http, result } = await run(fakeOperation, names(10), storingServer(() => ({ statusCode: 401, body: 'no' }), stored), { batchSize: 2, concurrency: 3 }, false);
		expect(result.error).toBeDefined();
		expect(http.calls.length).toBeLessThanOrEqual(3);
		expect(new Set(http.calls.flat().map((record) => record.name)).size).toBe(http.calls.flat().length);
	});
});

describe('an exception that breaks the run', () => {
	for (const includeSentRecord of [false, true]) {
		it(`rows prepared but never sent are NOT_SENT and carry their record (Include Sent Record ${includeSentRecord ? 'on' : 'off'})`, async () => {
			// The first 50 rows make a batch before anything is sent; the item after them breaks the background preparation.
			const input: IDataObject[] = [...names(52)];
			input.splice(51, 0, unreadable());
			const stored = new Set<string>();
			const { http, result } = await run(fakeOperation, input, storingServer(okFor, stored), { batchSize: 50, concurrency: 1, includeSentRecord }, true);
			expect(result.error).toBeUndefined();
			const [success, failure] = result.outputs;
			expect(success).toEqual([]);
			expect(http.calls).toEqual([]);
			const first = failure.find((item) => indexOf(item) === 0)!;
			expect(errorOf(first)).toMatchObject({ code: 'NOT_SENT', retriable: true });
			expect(batchOf(first).record).toEqual({ name: 'n0' });
		});
	}

	it('a run broken after batches were stored: stored rows stay Success, the others NOT_SENT with their record', async () => {
		// Batch 1 (n0, n1) is sent and stored while the rest is read; an item further on breaks the reading.
		const input: IDataObject[] = [...names(2), ...names(300, 'm')];
		input.push(unreadable());
		const stored = new Set<string>();
		const { http, result } = await run(slow, input, storingServer(okFor, stored), { batchSize: 2, concurrency: 1, skipDuplicateRows: true }, true);
		expect(result.error).toBeUndefined();
		expect(http.calls.length).toBeGreaterThan(0);
		const [success, failure] = result.outputs;
		expect(success.length).toBe(stored.size);
		for (const item of failure.filter((each) => indexOf(each) < 300)) {
			expect(errorOf(item)).toMatchObject({ code: 'NOT_SENT' });
			expect(batchOf(item).record).toEqual({ name: input[indexOf(item)].name });
		}
	});
});

describe('an exception that breaks the run, Include Sent Record on', () => {
	it('the rows stored before the break are on Success with the record as sent', async () => {
		const input: IDataObject[] = [...names(2), ...names(300, 'm')];
		input.push(unreadable());
		const stored = new Set<string>();
		const { result } = await run(slow, input, storingServer(okFor, stored), { batchSize: 2, concurrency: 1, skipDuplicateRows: true, includeSentRecord: true }, true);
		expect(result.error).toBeUndefined();
		const [success] = result.outputs;
		expect(success.length).toBeGreaterThan(0);
		expect(success.length).toBe(stored.size);
		for (const item of success) expect(batchOf(item).record).toEqual({ name: input[indexOf(item)].name });
	});
});

describe('openSession, Validate Only and Skip Duplicate Rows', () => {
	it('openSession gets the request parameters of the first valid row, not of an invalid or duplicate one', async () => {
		const seen: IDataObject[] = [];
		const operation: BatchOperation = {
			...fakeOperation,
			requestParameters: [{ name: 'tenant', label: 'Tenant', description: 'Tenant', type: 'string', required: true }],
			naturalKeys: (record) => [`name:${String(record.name)}`],
			openSession: async (context) => {
				seen.push({ ...context.parameters });
				return { token: 't' };
			},
		};
		const http = await fakeVendor((records) => okFor(records));
		const result = await n8n
			.run({
				input: [{ name: '', t: 'A' }, { name: 'x', t: 'B' }, { name: 'x', t: 'C' }, { name: 'y', t: 'D' }],
				node: { type: 'fakeBatchCustomers', parameters: { tenant: '={{ $json.t }}', mappingMode: 'defineBelow', name: '={{ $json.name }}', options: { skipDuplicateRows: true } }, onError: 'continueRegularOutput' },
				credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: http.url } },
				nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
			})
			.finally(http.close);
		expect(result.error).toBeUndefined();
		expect(seen).toEqual([{ tenant: 'B' }]);
	});

	it('Validate Only with Skip Duplicate Rows and an invalid row: every valid row on Success with its record, nothing sent', async () => {
		const input = [{ name: 'a' }, { name: '' }, { name: 'a' }, ...names(120)];
		const operation: BatchOperation = { ...fakeOperation, naturalKeys: (record) => [`name:${String(record.name)}`] };
		const { http, result } = await run(operation, input, okFor, { batchSize: 7, validateOnly: true, skipDuplicateRows: true }, false);
		expect(http.calls).toEqual([]);
		const [success, failure] = result.outputs;
		expect(success.map(indexOf)).toEqual([0, ...input.slice(3).map((_, index) => index + 3)]);
		for (const item of success) expect(batchOf(item).record).toEqual({ name: input[indexOf(item)].name });
		expect(failure.map((item) => [indexOf(item), errorOf(item).code])).toEqual([
			[1, 'INVALID_RECORD'],
			[2, 'DUPLICATE_IN_INPUT'],
		]);
	});

	it('a credential problem before sending: every valid row NOT_SENT with its record, also those beyond the first batch', async () => {
		const operation: BatchOperation = { ...fakeOperation, credentialProblem: () => 'The credential has no key' };
		const input = names(30);
		const { http, result } = await run(operation, input, okFor, { batchSize: 4 }, true);
		expect(http.calls).toEqual([]);
		const [success, failure] = result.outputs;
		expect(success).toEqual([]);
		expect(failure.map(indexOf)).toEqual(input.map((_, index) => index));
		for (const item of failure) {
			expect(errorOf(item)).toMatchObject({ code: 'NOT_SENT', retriable: true });
			expect(batchOf(item).record).toEqual({ name: input[indexOf(item)].name });
		}
	});
});
