import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import { n8nHarness, outputsOrThrow } from '../../helpers/n8nWorkflow';
import { allOk, fakeApiCredential, fakeNodeType, fakeOperation, fakeVendor } from './fakeOperation';
import { costlyOperation, runPrepared } from './preparationProbe';

const n8n = n8nHarness([fakeApiCredential]);

const names = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `n${index}` }));
const codeOf = (item: INodeExecutionData) => (item.json.error as IDataObject).code;

describe('preparing items while batches are on their way', () => {
	it('sends the first batch before the last item is read, and every item still gets one outcome', async () => {
		const events: string[] = [];
		const { http, result } = await runPrepared(
			names(3000),
			(records, call) => {
				events.push(`call ${call}`);
				return allOk(records, call, undefined);
			},
			costlyOperation(30, events),
			{ batchSize: 50, concurrency: 1 },
		);
		const [success, failure] = outputsOrThrow(result);
		expect(success).toHaveLength(3000);
		expect(failure).toEqual([]);
		expect(success.map((item) => (item.pairedItem as { item: number }).item)).toEqual(names(3000).map((_, index) => index));
		// 3000 × 30 µs of reading is about 90 ms: the first answer came back long before the last item was read.
		expect(events.indexOf('call 2')).toBeLessThan(events.indexOf('read n2999'));
		expect(events.indexOf('call 1')).toBeGreaterThan(events.indexOf('read n49'));
		expect(http.calls.map((records) => records.length)).toEqual(Array(60).fill(50));
	});

	it('reads the whole input before sending when only the last item is valid (a setting may fail every item), then sends just that one', async () => {
		const events: string[] = [];
		const items = [...Array.from({ length: 1999 }, () => ({ name: 'far too long a name' })), { name: 'last' }];
		const { http, result } = await runPrepared(
			items,
			(records, call) => {
				events.push(`call ${call}`);
				return allOk(records, call, undefined);
			},
			costlyOperation(0, events),
		);
		const [success, failure] = outputsOrThrow(result);
		expect(success.map((item) => item.json.name)).toEqual(['last']);
		expect(failure).toHaveLength(1999);
		expect(new Set(failure.map(codeOf))).toEqual(new Set(['INVALID_RECORD']));
		expect(http.calls).toEqual([[{ name: 'last' }]]);
		expect(events).toEqual(['read last', 'call 1']);
	});

	it('stops on a fatal answer while later items are still being read: sent rows keep their outcome, unread valid rows are NOT_SENT, invalid rows INVALID_RECORD, none lost', async () => {
		const items = names(3000).map((item, index) => (index % 10 === 9 ? { name: 'far too long a name' } : item));
		const { http, result } = await runPrepared(
			items,
			(records, call) => (call === 3 ? { statusCode: 401, body: 'no' } : allOk(records, call, undefined)),
			costlyOperation(30),
			{ batchSize: 50, concurrency: 1 },
			true,
		);
		const [success, failure] = outputsOrThrow(result);
		expect(http.calls).toHaveLength(3);
		expect(success).toHaveLength(100);
		expect(success.length + failure.length).toBe(3000);
		const codes = new Map<number, unknown>(failure.map((item) => [(item.pairedItem as { item: number }).item, codeOf(item)]));
		const expected = (index: number) => (index % 10 === 9 ? 'INVALID_RECORD' : undefined);
		for (let index = 0; index < 3000; index++) {
			const invalid = expected(index);
			if (invalid) expect([index, codes.get(index)]).toEqual([index, invalid]);
		}
		const sentThird = http.calls[2].map((record) => record.name);
		const third = failure.filter((item) => sentThird.includes(item.json.name));
		expect(new Set(third.map(codeOf))).toEqual(new Set(['CONFIGURATION_ERROR']));
		const unsent = failure.filter((item) => codeOf(item) === 'NOT_SENT');
		expect(unsent).toHaveLength(3000 - 300 - 150);
		expect(unsent.every((item) => (item.json.error as IDataObject).retriable === true && (item.json.error as IDataObject).mayBeStored === false)).toBe(true);
	});

	it('fills batches by request parameters as records are read: a batch never mixes two tenants, and no record is sent twice', async () => {
		const operation: BatchOperation = {
			...fakeOperation,
			requestParameters: [{ name: 'tenant', label: 'Tenant', description: 'A tenant', type: 'string', required: true }],
			buildRequest: (records, context) => ({ method: 'POST', url: `${context.credentials.baseUrl as string}/batch`, body: { records: records.map((record) => ({ ...record, tenant: context.parameters.tenant })) } }),
		};
		const items = names(1000).map((item, index) => ({ ...item, tenant: index % 3 === 0 ? 'a' : 'b' }));
		const http = await fakeVendor(allOk);
		const result = await n8n
			.run({
				input: items,
				node: { type: 'fakeBatchCustomers', parameters: { tenant: '={{ $json.tenant }}', mappingMode: 'defineBelow', name: '={{ $json.name }}', options: { batchSize: 40, concurrency: 3 } } },
				credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: http.url } },
				nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
			})
			.finally(http.close);
		const [success, failure] = outputsOrThrow(result);
		expect(failure).toEqual([]);
		expect(success).toHaveLength(1000);
		for (const records of http.calls) expect(new Set(records.map((record) => record.tenant)).size).toBe(1);
		const sent = http.calls.flat().map((record) => record.name as string);
		expect(new Set(sent).size).toBe(1000);
		expect(sent).toHaveLength(1000);
		// Each tenant's batches are full but the last: 334 of tenant a, 666 of tenant b.
		const sizes = (tenant: string) => http.calls.filter((records) => records[0].tenant === tenant).map((records) => records.length);
		expect(sizes('a')).toEqual([...Array(8).fill(40), 14]);
		expect(sizes('b')).toEqual([...Array(16).fill(40), 26]);
	});
});
