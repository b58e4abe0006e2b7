import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import { n8nHarness, outputsOrThrow } from '../../helpers/n8nWorkflow';
import { freePorts } from '../../helpers/ports';
import { allOk, fakeApiCredential, fakeNodeType, fakeOperation, fakeVendor } from './fakeOperation';
import type { FakeServer } from './fakeOperation';

const n8n = n8nHarness([fakeApiCredential]);

/**
 * Input → a node running the engine with `operation` (tests/shared/engine/fakeOperation.ts), in
 * n8n's engine, against `server` over HTTP. `http.calls`: the records of each call received.
 */
async function run(items: IDataObject[], server: FakeServer, options: IDataObject = {}, operation: BatchOperation = fakeOperation, continueOnFail = false) {
	const http = await fakeVendor(server);
	const result = n8n
		.run({
			input: items,
			node: { type: 'fakeBatchCustomers', parameters: { mappingMode: 'autoMapInputData', options }, onError: continueOnFail ? 'continueRegularOutput' : 'stopWorkflow' },
			credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: http.url } },
			nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
		})
		.then(outputsOrThrow)
		.finally(http.close);
	return { http, result };
}

const names = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `n${index}` }));
const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;

describe('sending batches', () => {
	it('narrows a rejected batch of 100 down to the one bad record with few extra calls', async () => {
		const { http, result } = await run(names(100), (records) =>
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
		const items = names(50).map((item, index) => (index % 7 === 0 ? { name: 'far too long a name' } : item));
		const { result } = await run(items, async (records) => {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
			inFlight--;
			return allOk(records, 0, undefined) as { statusCode: number; body: unknown };
		}, { batchSize: 5, concurrency: 4 });
		const [success, failure] = await result;
		expect(maxInFlight).toBeGreaterThan(1);
		expect(maxInFlight).toBeLessThanOrEqual(4);
		const successIndexes = success.map((item) => (item.pairedItem as { item: number }).item);
		const failureIndexes = failure.map((item) => (item.pairedItem as { item: number }).item);
		expect(successIndexes).toEqual([...successIndexes].sort((a, b) => a - b));
		expect(failureIndexes).toEqual([0, 7, 14, 21, 28, 35, 42, 49]);
		expect(success.length + failure.length).toBe(50);
	});

	it('makes a record the vendor said nothing about a Failure, never a Success', async () => {
		const { result } = await run(names(3), (records) => ({ statusCode: 200, body: { results: [{ ok: true, id: 'a' }, null] } }));
		const [success, failure] = await result;
		expect(success).toHaveLength(1);
		expect(failure.map((item) => errorOf(item).code)).toEqual(['NO_RESULT', 'NO_RESULT']);
		// It may be stored: sending it again could create a duplicate.
		expect(errorOf(failure[0])).toMatchObject({ retriable: false, mayBeStored: true });
	});

	it('retries 429 as Retry-After says, then succeeds once', async () => {
		const { http, result } = await run(names(2), (records, call) =>
			call === 1 ? { statusCode: 429, body: {}, headers: { 'retry-after': '0' } } : allOk(records, call, undefined),
		);
		const [success] = await result;
		expect(success).toHaveLength(2);
		expect(http.calls).toHaveLength(2);
	});

	it('gives up after Max Retries with NOT_DELIVERED, retriable', async () => {
		const { http, result } = await run(names(2), () => ({ statusCode: 503, body: 'busy' }), { maxRetries: 2 });
		const [, failure] = await result;
		expect(http.calls).toHaveLength(3);
		expect(errorOf(failure[0])).toMatchObject({ code: 'NOT_DELIVERED', httpStatus: 503, retriable: true });
	});

	it('does not resend a batch whose outcome is unknown, unless allowed', async () => {
		const reset = () => 'reset' as const;
		const first = await run(names(2), (records, call) => (call === 1 ? reset() : allOk(records, call, undefined)));
		const [, failure] = await first.result;
		expect(first.http.calls).toHaveLength(1);
		expect(errorOf(failure[0])).toMatchObject({ code: 'OUTCOME_UNKNOWN', retriable: false, mayBeStored: true });

		const second = await run(names(2), (records, call) => (call === 1 ? reset() : allOk(records, call, undefined)), { resendUnknownOutcomes: true });
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
		const { http, result } = await run(names(4), (records, call, token) => (token === 'token-1-first' ? { statusCode: 200, body: { expired: true } } : allOk(records, call, token)), { batchSize: 2 }, operation);
		const [success] = await result;
		expect(success).toHaveLength(4);
		expect(opened).toBe(2);
		expect(http.calls).toHaveLength(3);

		const always = await run(names(1), () => ({ statusCode: 200, body: { expired: true } }), {}, operation);
		await expect(always.result).rejects.toThrow('token expired');
	});

	it('stops on a credential error without leaking the secret, or fails every item when continuing', async () => {
		const server: FakeServer = () => ({ statusCode: 401, body: 'bad key super-secret-key' });
		await expect((await run(names(2), server)).result).rejects.toThrow(/Authentication failed \(HTTP 401\)/);
		const [success, failure] = await (await run(names(2), server, {}, fakeOperation, true)).result;
		expect(success).toHaveLength(0);
		expect(failure.map((item) => errorOf(item).code)).toEqual(['CONFIGURATION_ERROR', 'CONFIGURATION_ERROR']);
		expect(JSON.stringify(failure)).not.toContain('super-secret-key');
	});

	it('retries a refused connection and then reports that the vendor cannot be reached', async () => {
		// Nothing listens on the port, so nothing can count calls there: the engine's attempts are counted as it builds them.
		const [closedPort] = await freePorts(1);
		const attempts: IDataObject[][] = [];
		const operation: BatchOperation = {
			...fakeOperation,
			buildRequest: (records, context) => {
				attempts.push(records);
				return fakeOperation.buildRequest(records, context);
			},
		};
		const outcome = await n8n.run({
			input: names(1),
			node: { type: 'fakeBatchCustomers', parameters: { mappingMode: 'autoMapInputData', options: { maxRetries: 1 } }, onError: 'continueRegularOutput' },
			credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: `http://127.0.0.1:${closedPort}` } },
			nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
		});
		const [, failure] = outputsOrThrow(outcome);
		expect(attempts).toHaveLength(2);
		expect(errorOf(failure[0])).toMatchObject({ code: 'NOT_DELIVERED', retriable: true, mayBeStored: false });
		expect(errorOf(failure[0]).message).toMatch(/Could not connect to the vendor \(connection refused\)/);
	});
});

describe('runBatchOperation', () => {
	it('is not run by n8n for empty input, so it calls no vendor', async () => {
		// n8n's engine never executes a node whose input has no items (WorkflowExecute: no
		// connection input data, no run): there is no output at all, not two empty ones.
		const http = await fakeVendor(allOk);
		const outcome = await n8n
			.run({
				input: [],
				node: { type: 'fakeBatchCustomers', parameters: { mappingMode: 'autoMapInputData', options: {} } },
				credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: http.url } },
				nodeTypes: { fakeBatchCustomers: fakeNodeType(fakeOperation) },
			})
			.finally(http.close);
		expect(outcome.error).toBeUndefined();
		expect(outcome.task).toBeUndefined();
		expect(outcome.outputs).toEqual([]);
		expect(http.calls).toHaveLength(0);
	});

	it('validates only, sending nothing', async () => {
		const { http, result } = await run([{ name: 'ok' }, { name: '' }], allOk, { validateOnly: true });
		const [success, failure] = await result;
		expect(http.calls).toHaveLength(0);
		expect(success[0].json.customerBatch).toMatchObject({ record: { name: 'ok' }, result: { validatedOnly: true } });
		expect(errorOf(failure[0])).toMatchObject({ code: 'INVALID_RECORD', field: 'name' });
	});

	it('handles 100,000 items in batches of 100 with nothing lost', async () => {
		const items = Array.from({ length: 100_000 }, (_, index) => ({ name: index % 1000 === 0 ? '' : `n${index % 1000}` }));
		const { http, result } = await run(items, allOk, { concurrency: 4 });
		const [success, failure] = await result;
		expect(success.length).toBe(99_900);
		expect(failure.length).toBe(100);
		expect(http.calls).toHaveLength(999);
		// 999 real HTTP calls through n8n's request helpers: more than jest's default 5 s on a busy machine.
	}, 60_000);
});
