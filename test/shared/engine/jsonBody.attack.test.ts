/**
 * Attacks on jsonBody (object request bodies sent as the UTF-8 bytes of their JSON, as a Buffer):
 * the bodies the adapters build from validated records must be byte for byte what n8n's helper
 * (axios: Buffer.from(JSON.stringify(body))) sent before; through n8n-core's own request path
 * the vendor must receive those bytes with the same headers, on every attempt; and an exception
 * from jsonBody itself must leave the batch NOT_SENT with no customer data in any message.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { dustessOperations } from '../../../nodes/Dustess/adapter';
import { createSchema as dustessCreate } from '../../../nodes/Dustess/fields';
import { thuliumOperations } from '../../../nodes/Thulium/adapter';
import { createSchema as thuliumCreate } from '../../../nodes/Thulium/fields';
import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import { jsonBody } from '../../../nodes/shared/engine/jsonBody';
import { validateRecord } from '../../../nodes/shared/schema/validateRecord';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import type { FakeServer } from './fakeOperation';
import { fakeApiCredential, fakeNodeType, fakeOperation, fakeVendor } from './fakeOperation';

jest.setTimeout(30_000);

const axiosBytes = (body: unknown) => Buffer.from(JSON.stringify(body), 'utf8');

const context = (session: IDataObject = {}) => ({
	credentials: { baseUrl: 'https://example.invalid', systemName: 'x', clientId: 'id', clientSecret: 'secret' },
	parameters: {},
	session,
	retry: { maxRetries: 0, backoffBase: 1 },
});

function validated(inputs: IDataObject[], schema: Parameters<typeof validateRecord>[1]): IDataObject[] {
	return inputs.map((input) => {
		const { record, problems } = validateRecord(input, schema);
		expect(problems).toEqual([]);
		return record;
	});
}

describe('jsonBody against the bodies the adapters build', () => {
	const odd = 'lone \ud800 high, lone \udfff low, pair 😀, \u2028\u2029, "quoted"\n\\ \u0000 ż';
	const thuliumInputs: IDataObject[] = [
		{ surname: 'Wiśniewska', name: odd, email: ['a@example.com', 'b@example.com'], phone_number: 1e21, vip: '1' },
		{ surname: '-0', phone_number: -0, company_id: 48600100200, birthdate: new Date(Date.UTC(1990, 1, 3)) },
		{ surname: 'Keys', custom_fields: { 'with "quote"\n': 'v', '\ud800': odd, '😀': 1.5e-7, ключ: true } },
		{ surname: 'ą'.repeat(40_000), note: 'x'.repeat(70_000) },
	];

	it('gives the bytes of JSON.stringify for Thulium bodies of odd but valid customers, at every batch size', () => {
		const records = validated(thuliumInputs, thuliumCreate);
		for (const count of [0, 1, 2, 3, 4]) {
			const request = thuliumOperations.create.buildRequest(records.slice(0, count), context());
			expect((jsonBody(request.body as IDataObject) as Buffer).equals(axiosBytes(request.body))).toBe(true);
		}
	});

	it('gives the bytes of JSON.stringify for Dustess bodies with custom fields of every kind', () => {
		const inputs: IDataObject[] = [
			{
				remark: odd,
				owner: 'u1',
				mobiles: [{ tel: '13000000000' }],
				custom_fields: [
					{ id: 'field01', type: 'text', value: odd },
					{ id: 'field02', type: 'number', value: '-0' },
					{ id: 'field03', type: 'date', value: new Date(Date.UTC(2026, 0, 2)) },
					{ id: 'field04', type: 'checkbox', array_value: ['a', '\ud800'] },
					{ id: 'field05', type: 'attachment', files_value: [{ name: '文件 "x"', url: 'https://example.com/a' }] },
				],
			},
			{ remark: '四川省'.repeat(20_000), pool: 'p1', mobiles: [{ tel: '13000000001' }] },
		];
		const records = validated(inputs, dustessCreate);
		for (const count of [0, 1, 2]) {
			const request = dustessOperations.create.buildRequest(records.slice(0, count), context({ accessToken: 'token' }));
			expect((jsonBody(request.body as IDataObject) as Buffer).equals(axiosBytes(request.body))).toBe(true);
		}
	});
});

const n8n = n8nHarness([fakeApiCredential]);
const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;

async function run(operation: BatchOperation, input: IDataObject[], server: FakeServer, options: IDataObject = {}) {
	const http = await fakeVendor(server);
	const result = await n8n
		.run({
			input,
			node: { type: 'fakeBatchCustomers', parameters: { mappingMode: 'autoMapInputData', options: { maxRetries: 2, ...options } }, onError: 'continueRegularOutput' },
			credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: http.url } },
			nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
		})
		.finally(http.close);
	return { http, result };
}

const okFor = (records: IDataObject[]) => ({ statusCode: 200, body: { results: records.map((record) => ({ ok: true, id: `id-${String(record.name)}` })) } });

describe('a Buffer body through n8n-core', () => {
	it('resends the very same bytes after a 429 and a 503, with the same headers', async () => {
		const names = ['Żaneta', 'a"b', 'c\\d', '😀x'];
		const { http, result } = await run(
			fakeOperation,
			names.map((name) => ({ name })),
			(records, call) => (call === 1 ? { statusCode: 429, body: {}, headers: { 'retry-after': '0' } } : call === 2 ? { statusCode: 503, body: {}, headers: { 'retry-after': '0' } } : okFor(records)),
		);
		const [success] = result.outputs!;
		expect(success).toHaveLength(4);
		expect(http.requests).toHaveLength(3);
		const expected = axiosBytes({ records: names.map((name) => ({ name })), token: undefined });
		for (const request of http.requests) {
			expect(Buffer.from(request.rawBody, 'utf8').equals(expected)).toBe(true);
			expect(request.headers['content-length']).toBe(String(expected.length));
			expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
			expect(request.headers.accept).toBe('application/json');
			expect(request.headers['x-api-key']).toBe('super-secret-key');
		}
	});

	it('reports a body jsonBody cannot make (a circular structure) as not sent, retriable, and sends nothing', async () => {
		const operation: BatchOperation = {
			...fakeOperation,
			buildRequest: (records, ctx) => {
				const loop: IDataObject = { records };
				loop.self = [loop];
				return { method: 'POST', url: `${ctx.credentials.baseUrl as string}/batch`, body: loop };
			},
		};
		const { http, result } = await run(operation, [{ name: 'Alice' }, { name: 'Bob' }], okFor);
		const [success, failure] = result.outputs!;
		expect(success).toHaveLength(0);
		expect(http.requests).toHaveLength(0);
		expect(failure.map((item) => errorOf(item).code)).toEqual(['NOT_SENT', 'NOT_SENT']);
		expect(failure.every((item) => errorOf(item).retriable === true)).toBe(true);
	});

	it('keeps customer data out of every message when a value of the body throws while it is made into JSON', async () => {
		const operation: BatchOperation = {
			...fakeOperation,
			buildRequest: (records, ctx) => ({
				method: 'POST',
				url: `${ctx.credentials.baseUrl as string}/batch`,
				body: {
					records: records.map((record) => ({
						...record,
						toJSON() {
							throw new Error(`cannot write ${String(record.name)}`);
						},
					})),
				},
			}),
		};
		const { http, result } = await run(operation, [{ name: 'Secretname' }], okFor);
		const [, failure] = result.outputs!;
		expect(http.requests).toHaveLength(0);
		expect(errorOf(failure[0]).code).toBe('NOT_SENT');
		expect(JSON.stringify(failure)).not.toContain('cannot write');
		expect(JSON.stringify(result)).not.toMatch(/Secretname[^"]*cannot|cannot write Secretname/);
	});
});
