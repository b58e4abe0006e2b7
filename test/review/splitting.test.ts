/**
 * Review of the split rule ("a batch is halved only after a refusal that provably stored
 * nothing: an HTTP 4xx"): what if a 4xx answer itself reports, per customer, that some were
 * stored? The Thulium page documents per-position entries (`"0": {"http_status": 201, …}`)
 * without saying which HTTP status the whole answer carries; Dustess's 4126 answer lists its
 * stored contacts under `data.success`. A vendor or gateway that puts such a body on a 4xx
 * proves the opposite of "nothing stored".
 */
import type { IDataObject } from 'n8n-workflow';

import { clearTokenCache } from '../../nodes/Dustess/accessToken';
import { startFakeServer } from '../helpers/fakeServer';
import type { FakeServer } from '../helpers/fakeServer';
import { n8nHarness } from '../helpers/n8nWorkflow';
import { THULIUM_USER } from '../sandbox/vendors/thulium';
import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';

jest.setTimeout(30_000);

const n8n = n8nHarness();
let server: FakeServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
	clearTokenCache();
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

	it('Dustess: a 400 carrying a 4126 body with contact 1 under data.success is split, and contact 1 is created again', async () => {
		let created = 0;
		server = await startFakeServer((request) => {
			if (request.path.endsWith('/auth/v1/access_token/token')) return { statusCode: 200, body: { success: true, code: 0, data: { accessToken: 'tok-1', expiresIn: 7200 } } };
			const list = (request.body as { customer_list: IDataObject[] }).customer_list;
			const success: IDataObject[] = [];
			const fail: IDataObject[] = [];
			list.forEach((contact, position) => {
				if (contact.remark === 'Zhang') success.push({ code: 0, index: position + 1, id: `c-${++created}`, msg: '' });
				else fail.push({ code: 13001, index: position + 1, id: '', msg: 'mobiles.tel 格式错误' });
			});
			if (fail.length === 0) return { statusCode: 200, body: { success: true, code: 0, msg: '', data: { success, fail: null } } };
			return { statusCode: 400, body: { success: false, code: 4126, msg: '', data: { success: success.length ? success : null, fail } } };
		});
		const run = await n8n.run({
			input: [
				{ remark: 'Zhang', pool: 'p1', mobiles: [{ tel: '13900000001', type: 'mobile' }] },
				{ remark: 'Li', pool: 'p1', mobiles: [{ tel: '13900000002', type: 'mobile' }] },
			],
			node: { type: 'dustessBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 0 } } },
			credentials: { dustessApi: { baseUrl: server.url, ...DUSTESS_CLIENT } },
		});
		expect(run.error).toBeUndefined();
		const customerCalls = server.requests.filter((request) => request.path.startsWith('/customer/'));
		const zhangSent = customerCalls.filter((request) => (request.body as { customer_list: IDataObject[] }).customer_list.some((contact) => contact.remark === 'Zhang')).length;
		expect({ zhangSent, created }).toEqual({ zhangSent: 1, created: 1 });
	});
});

describe('attacks that held', () => {
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
});
