import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import { runBatchOperation } from '../../../nodes/shared/engine/runBatchOperation';
import { mockExecuteFunctions } from '../../helpers/mockExecuteFunctions';
import { allOk, fakeHttp, fakeOperation } from './fakeOperation';
import type { FakeServer } from './fakeOperation';

function run(items: IDataObject[], server: FakeServer, options: IDataObject = {}, operation: BatchOperation = fakeOperation, continueOnFail = false) {
	const http = fakeHttp(server);
	const fn = mockExecuteFunctions({
		items,
		parameters: { mappingMode: 'autoMapInputData', options },
		credentials: { fakeApi: { apiKey: 'super-secret-key' } },
		http,
		continueOnFail,
	});
	return { http, result: runBatchOperation.call(fn, operation) as Promise<INodeExecutionData[][]> };
}

const names = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `n${index}` }));
const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;

describe('sending batches', () => {
	it('narrows a rejected batch of 100 down to the one bad record with few extra calls', async () => {
		const { http, result } = run(names(100), (records) =>
			records.some((record) => record.name === 'n37') ? { statusCode: 200, body: { rejected: 'bad n37' } } : allOk(records, 0, undefined),
		);
		const [success, failure] = await result;
		expect(success).toHaveLength(99);
		expect(failure).toHaveLength(1);
		expect(failure[0].pairedItem).toEqual({ item: 37 });
		expect(errorOf(failure[0])).toMatchObject({ code: 'VENDOR_REJECTED', message: 'bad n37', vendorCode: 1002, batch: 1, retriable: false });
		// 1 first call + 2 per level of the binary search (log2(100) ≈ 7 levels).
		expect(http.calls.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(100)));
		expect(http.calls.flat()).toHaveLength(100 + http.calls.slice(1).flat().length);
	});

	it('keeps input order on both outputs with concurrent batches', async () => {
		let inFlight = 0;
		let maxInFlight = 0;
		const http = fakeHttp((records) => allOk(records, 0, undefined) as { statusCode: number; body: unknown });
		const fn = mockExecuteFunctions({
			items: names(50).map((item, index) => (index % 7 === 0 ? { name: 'far too long a name' } : item)),
			parameters: { mappingMode: 'autoMapInputData', options: { batchSize: 5, concurrency: 4 } },
			credentials: { fakeApi: {} },
			http: async (type, options) => {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
				inFlight--;
				return await http(type, options);
			},
		});
		const [success, failure] = (await runBatchOperation.call(fn, fakeOperation)) as INodeExecutionData[][];
		expect(maxInFlight).toBeGreaterThan(1);
		expect(maxInFlight).toBeLessThanOrEqual(4);
		const successIndexes = success.map((item) => (item.pairedItem as { item: number }).item);
		const failureIndexes = failure.map((item) => (item.pairedItem as { item: number }).item);
		expect(successIndexes).toEqual([...successIndexes].sort((a, b) => a - b));
		expect(failureIndexes).toEqual([0, 7, 14, 21, 28, 35, 42, 49]);
		expect(success.length + failure.length).toBe(50);
	});

	it('makes a record the vendor said nothing about a Failure, never a Success', async () => {
		const { result } = run(names(3), (records) => ({ statusCode: 200, body: { results: [{ ok: true, id: 'a' }, null] } }));
		const [success, failure] = await result;
		expect(success).toHaveLength(1);
		expect(failure.map((item) => errorOf(item).code)).toEqual(['NO_RESULT', 'NO_RESULT']);
		expect(errorOf(failure[0]).retriable).toBe(true);
	});

	it('retries 429 as Retry-After says, then succeeds once', async () => {
		const { http, result } = run(names(2), (records, call) =>
			call === 1 ? { statusCode: 429, body: {}, headers: { 'retry-after': '0' } } : allOk(records, call, undefined),
		);
		const [success] = await result;
		expect(success).toHaveLength(2);
		expect(http.calls).toHaveLength(2);
	});

	it('gives up after Max Retries with NOT_DELIVERED, retriable', async () => {
		const { http, result } = run(names(2), () => ({ statusCode: 503, body: 'busy' }), { maxRetries: 2 });
		const [, failure] = await result;
		expect(http.calls).toHaveLength(3);
		expect(errorOf(failure[0])).toMatchObject({ code: 'NOT_DELIVERED', httpStatus: 503, retriable: true });
	});

	it('does not resend a batch whose outcome is unknown, unless allowed', async () => {
		const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const first = run(names(2), (records, call) => (call === 1 ? reset() : allOk(records, call, undefined)));
		const [, failure] = await first.result;
		expect(first.http.calls).toHaveLength(1);
		expect(errorOf(failure[0])).toMatchObject({ code: 'OUTCOME_UNKNOWN', retriable: true });

		const second = run(names(2), (records, call) => (call === 1 ? reset() : allOk(records, call, undefined)), { resendUnknownOutcomes: true });
		const [success] = await second.result;
		expect(success).toHaveLength(2);
		expect(second.http.calls).toHaveLength(2);
	});

	it('refreshes an expired session once and resends; a second rejection stops the run', async () => {
		let opened = 0;
		const operation: BatchOperation = {
			...fakeOperation,
			openSession: async (_context, refresh) => ({ token: `token-${++opened}-${refresh ? 'fresh' : 'first'}` }),
		};
		const { http, result } = run(names(4), (records, call, token) => (token === 'token-1-first' ? { statusCode: 200, body: { expired: true } } : allOk(records, call, token)), { batchSize: 2 }, operation);
		const [success] = await result;
		expect(success).toHaveLength(4);
		expect(opened).toBe(2);
		expect(http.calls).toHaveLength(3);

		const always = run(names(1), () => ({ statusCode: 200, body: { expired: true } }), {}, operation);
		await expect(always.result).rejects.toThrow('token expired');
	});

	it('stops on a credential error without leaking the secret, or fails every item when continuing', async () => {
		const server: FakeServer = () => ({ statusCode: 401, body: 'bad key super-secret-key' });
		await expect(run(names(2), server).result).rejects.toThrow(/Authentication failed \(HTTP 401\)/);
		const [success, failure] = await run(names(2), server, {}, fakeOperation, true).result;
		expect(success).toHaveLength(0);
		expect(failure.map((item) => errorOf(item).code)).toEqual(['CONFIGURATION_ERROR', 'CONFIGURATION_ERROR']);
		expect(JSON.stringify(failure)).not.toContain('super-secret-key');
	});

	it('retries a refused connection and then reports that the vendor cannot be reached', async () => {
		const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { cause: { code: 'ECONNREFUSED' } });
		const { http, result } = run(names(1), refused, { maxRetries: 1 }, fakeOperation, true);
		const [, failure] = await result;
		expect(http.calls).toHaveLength(2);
		expect(errorOf(failure[0])).toMatchObject({ code: 'CONFIGURATION_ERROR', retriable: true });
		expect(errorOf(failure[0]).message).toMatch(/Could not connect to the vendor \(ECONNREFUSED\)/);
	});
});

describe('runBatchOperation', () => {
	it('returns two empty outputs for empty input without calling the vendor', async () => {
		const { http, result } = run([], allOk);
		expect(await result).toEqual([[], []]);
		expect(http.calls).toHaveLength(0);
	});

	it('validates only, sending nothing', async () => {
		const { http, result } = run([{ name: 'ok' }, { name: '' }], allOk, { validateOnly: true });
		const [success, failure] = await result;
		expect(http.calls).toHaveLength(0);
		expect(success[0].json.customerBatch).toMatchObject({ record: { name: 'ok' }, result: { validatedOnly: true } });
		expect(errorOf(failure[0])).toMatchObject({ code: 'INVALID_RECORD', field: 'name' });
	});

	it('handles 100,000 items in batches of 100 with nothing lost', async () => {
		const items = Array.from({ length: 100_000 }, (_, index) => ({ name: index % 1000 === 0 ? '' : `n${index % 1000}` }));
		const { http, result } = run(items, allOk, { concurrency: 4 });
		const [success, failure] = await result;
		expect(success.length).toBe(99_900);
		expect(failure.length).toBe(100);
		expect(http.calls).toHaveLength(999);
	});
});
