/**
 * Attacks on preparing items while batches are on their way (RecordPreparation): what the rest of
 * the input costs the batches already sent, and how an exception in the background is reported.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import { n8nHarness, outputsOrThrow } from '../../helpers/n8nWorkflow';
import { allOk, fakeApiCredential, fakeNodeType, fakeOperation, fakeVendor } from './fakeOperation';
import { costlyOperation, runPrepared } from './preparationProbe';
import type { Answer } from '../../helpers/fakeServer';
import { runExposures, secretLeaks } from '../../helpers/secretsScan';

jest.setTimeout(30_000);

const n8n = n8nHarness([fakeApiCredential]);

const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
const indexOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
const answerLater = (records: IDataObject[], call: number, ms: number) =>
	new Promise<Answer>((resolve) => setTimeout(() => resolve(allOk(records, call, undefined) as Answer), ms));

describe('preparing the rest of the input never keeps the answers of batches on their way from being read', () => {
	// Preparing 600 further rows takes about 1.2 s; Request Timeout is 1 s; the vendor answers batch 'b' after 0.3 s.
	// (The old engine read every item before the first request, so nothing was under way meanwhile.)
	const TIMEOUT_MS = 1000;
	const rest = (count: number, name: string) => Array.from({ length: count }, () => ({ name }));

	it('a batch under way when a fatal answer stops the run is recorded as the vendor answered it (Success), not as timed out', async () => {
		const { http, result } = await runPrepared(
			[{ name: 'a' }, { name: 'b' }, ...rest(600, 'c')],
			(records, call) => (records[0].name === 'b' ? answerLater(records, call, 300) : { statusCode: 401, body: 'no' }),
			costlyOperation(2000),
			{ batchSize: 1, concurrency: 2, timeout: TIMEOUT_MS, maxRetries: 0 },
			true,
		);
		const [success, failure] = outputsOrThrow(result);
		expect(http.calls.map((records) => records[0].name).sort()).toEqual(['a', 'b']);
		// "Calls under way finish and are recorded": 'b' was stored and answered 200 after 0.3 s.
		expect(success.map(indexOf)).toEqual([1]);
		expect(failure.find((item) => indexOf(item) === 1)).toBeUndefined();
	});
});

describe('an exception while later items are read in the background', () => {
	const CUSTOMER_DATA = 'alice@example.com';
	/** An item whose `error` key cannot be read: reading it throws words that quote customer data. */
	function unreadableItem(): IDataObject {
		const item: IDataObject = { name: 'x' };
		Object.defineProperty(item, 'error', {
			enumerable: true,
			get: () => {
				throw new Error(`cannot read the row of ${CUSTOMER_DATA}`);
			},
		});
		return item;
	}

	it('is reported as the node failing, in words that quote no customer data, like an exception while the first batch is read', async () => {
		const items: IDataObject[] = Array.from({ length: 60 }, (_, index) => ({ name: `n${index}` }));
		items.splice(55, 0, unreadableItem());
		const { http, result } = await runPrepared(items, allOk, costlyOperation(0), { batchSize: 50, concurrency: 1 }, true);
		expect(result.error).toBeUndefined();
		expect(http.calls).toEqual([]);
		const hints = result.hints.map((hint) => hint.message);
		expect(hints.join('\n')).not.toContain(CUSTOMER_DATA);
		expect(hints).toContainEqual(expect.stringMatching(/^The run stopped: The node failed: an unexpected Error/));
		const [success, failure] = result.outputs;
		expect(success).toEqual([]);
		expect(failure.map(indexOf)).toEqual(items.map((_, index) => index));
		expect(new Set(failure.map((item) => errorOf(item).code))).toEqual(new Set(['NOT_SENT']));
	});
});

describe('a batch handed out after the run stopped', () => {
	it('is NOT_SENT (retriable), not OUTCOME_UNKNOWN, when an exception in the background preparation later breaks the run', async () => {
		const unreadable: IDataObject = { name: 'z' };
		Object.defineProperty(unreadable, 'customerBatch', {
			enumerable: true,
			get: () => {
				throw new Error('unreadable');
			},
		});
		// 'a' is refused with 401 at once; 'c' becomes ready while the run is stopped, and a worker waits for it.
		const duplicates = (count: number) => Array.from({ length: count }, () => ({ name: 'a' }));
		const items = [{ name: 'a' }, ...duplicates(100), { name: 'c' }, ...duplicates(100), unreadable];
		const { http, result } = await runPrepared(items, () => ({ statusCode: 401, body: 'no' }), costlyOperation(2000), { batchSize: 1, concurrency: 2, maxRetries: 0 }, true);
		expect(http.calls).toEqual([[{ name: 'a' }]]);
		const [success, failure] = result.outputs;
		expect(success).toEqual([]);
		const c = failure.find((item) => indexOf(item) === 101)!;
		expect(errorOf(c)).toMatchObject({ code: 'NOT_SENT', retriable: true, mayBeStored: false });
	});
});

describe('a secret request parameter first read in the background', () => {
	it('is masked wherever the vendor quotes it, though the run started before the item carrying it was read', async () => {
		const operation: BatchOperation = {
			...costlyOperation(0),
			requestParameters: [{ name: 'tenantKey', label: 'Tenant Key', description: 'A key', type: 'string', required: true, secret: true }],
			buildRequest: (records, context) => ({ method: 'POST', url: `${context.credentials.baseUrl as string}/batch`, body: { records, token: context.parameters.tenantKey as string } }),
		};
		// The key is made by the expression: the input items carry only its tail.
		const items = Array.from({ length: 55 }, (_, index) => ({ name: `n${index}`, tenant: index < 50 ? 'A7731' : 'B9924' }));
		const http = await fakeVendor((records, _call, token) => ({
			statusCode: 200,
			body: { results: records.map((record) => ({ ok: false, message: `key ${String(token)} may not write ${String(record.name)}` })) },
		}));
		const result = await n8n
			.run({
				input: items,
				node: { type: 'fakeBatchCustomers', parameters: { tenantKey: "={{ 'key-' + $json.tenant }}", mappingMode: 'defineBelow', name: '={{ $json.name }}', options: { batchSize: 50 } } },
				credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: http.url } },
				nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
			})
			.finally(http.close);
		expect(http.calls.map((records) => records.length)).toEqual([50, 5]);
		const [success, failure] = outputsOrThrow(result);
		expect(success).toEqual([]);
		expect(failure.map((item) => errorOf(item).message)).toEqual(items.map((item) => `key *** may not write ${item.name}`));
		const shown = runExposures(result);
		expect(secretLeaks(shown, ['key-A7731', 'key-B9924'])).toEqual([]);
	});
});
