/**
 * The Thulium adapter reads the per-position answer (`"0": {"http_status": 201, …}`) whatever the
 * HTTP status of the whole answer: the page documents the entries without saying which status the
 * answer carries, and an answer that lists a created customer proves that the request was processed.
 */
import type { IDataObject } from 'n8n-workflow';

import { thuliumOperations } from '../../nodes/Thulium/adapter';
import type { VendorResponse } from '../../nodes/shared/engine/adapter';
import { startFakeServer } from '../helpers/fakeServer';
import type { FakeServer } from '../helpers/fakeServer';
import { n8nHarness } from '../helpers/n8nWorkflow';
import { THULIUM_USER } from '../sandbox/vendors/thulium';

jest.setTimeout(30_000);

const read = (statusCode: number, body: unknown, count = 2) =>
	thuliumOperations.create.readResponse({ statusCode, headers: {}, body } as VendorResponse, Array.from({ length: count }, () => ({})));

describe('reading a Thulium answer', () => {
	it('reports the per-position entries on any status: a 400 or a 503 that lists a created customer was processed', () => {
		const body = { '0': { http_status: 201, customer_id: '13' }, '1': { http_status: 400, message: 'Phone number must be numeric.' } };
		for (const status of [201, 400, 429, 503]) {
			expect(read(status, body)).toEqual({
				kind: 'perRecord',
				results: [
					{ ok: true, result: { customer_id: '13', http_status: 201 } },
					{ ok: false, error: { message: 'Phone number must be numeric.', httpStatus: 400 } },
				],
			});
		}
	});

	it('reads the error envelope only when there are no entries: a 400 refuses the call, a 2xx says nothing per customer', () => {
		const envelope = { request_id: 'r-1', errors: [{ message: 'Validation failed', code: 400 }] };
		expect(read(400, envelope)).toMatchObject({ kind: 'rejected', error: { message: 'The vendor answered HTTP 400: Validation failed', vendorCode: 400, requestId: 'r-1' } });
		expect(read(200, envelope)).toEqual({ kind: 'perRecord', results: [] });
		expect(read(401, envelope)).toMatchObject({ kind: 'fatal', error: { runCause: "Thulium refused the API user (HTTP 401): check login, password and the API user's permissions for batch/customers" } });
	});
});

const n8n = n8nHarness();
let server: FakeServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('a 4xx answer that reports stored customers', () => {
	it('Thulium: a 400 whose per-position body says customer 0 was created (201) is split, and customer 0 is created again', async () => {
		let created = 0;
		server = await startFakeServer((request) => {
			const customers = (request.body as { customers: IDataObject[] }).customers;
			const body: IDataObject = {};
			let anyRefused = false;
			customers.forEach((customer, position) => {
				if (customer.surname === 'Kowalski') body[String(position)] = { http_status: 201, customer_id: String(++created) };
				else {
					anyRefused = true;
					body[String(position)] = { http_status: 400, message: 'Phone number must be numeric.' };
				}
			});
			return { statusCode: anyRefused ? 400 : 201, body };
		});
		const run = await n8n.run({
			input: [{ surname: 'Kowalski' }, { surname: 'Nowak', phone_number: '333-abc' }],
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 0 } } },
			credentials: { thuliumApi: { baseUrl: `${server.url}/api`, ...THULIUM_USER } },
		});
		expect(run.error).toBeUndefined();
		const kowalskiSent = server.requests.filter((request) => (request.body as { customers: IDataObject[] }).customers.some((customer) => customer.surname === 'Kowalski')).length;
		expect({ kowalskiSent, created }).toEqual({ kowalskiSent: 1, created: 1 });
	});

	it('a 2xx Thulium answer carrying the error envelope instead of entries is neither split nor resent: NO_RESULT, mayBeStored', async () => {
		server = await startFakeServer(() => ({ statusCode: 200, body: { request_id: 'r-1', errors: [{ message: 'Validation failed', code: 400 }] } }));
		const run = await n8n.run({
			input: [{ surname: 'Kowalski' }, { surname: 'Nowak' }],
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 3 } } },
			credentials: { thuliumApi: { baseUrl: `${server.url}/api`, ...THULIUM_USER } },
		});
		expect(server.requests).toHaveLength(1);
		expect((run.outputs[1] ?? []).map((item) => [(item.json.error as IDataObject).code, (item.json.error as IDataObject).mayBeStored])).toEqual([
			['NO_RESULT', true],
			['NO_RESULT', true],
		]);
	});

	it('a 503 that lists a created customer is not retried: the created customer is a Success, the others are read from their entries', async () => {
		server = await startFakeServer(() => ({ statusCode: 503, body: { '0': { http_status: 201, customer_id: '7' }, '1': { http_status: 503, message: 'Busy' } } }));
		const run = await n8n.run({
			input: [{ surname: 'Kowalski' }, { surname: 'Nowak' }],
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 3 } } },
			credentials: { thuliumApi: { baseUrl: `${server.url}/api`, ...THULIUM_USER } },
		});
		expect(server.requests).toHaveLength(1);
		const [success, failure] = run.outputs;
		expect(success.map((item) => item.json.surname)).toEqual(['Kowalski']);
		expect(failure.map((item) => [(item.json.error as IDataObject).code, (item.json.error as IDataObject).mayBeStored])).toEqual([['OUTCOME_UNKNOWN', true]]);
	});
});
