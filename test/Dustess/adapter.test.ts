import type { IDataObject } from 'n8n-workflow';

import { clearTokenCache } from '../../nodes/Dustess/accessToken';
import type { AdapterContext, VendorResponse } from '../../nodes/shared/engine/adapter';
import { contactMethodKeys, dustessOperations, matchEntries, readDustessResponse, toVendorContact } from '../../nodes/Dustess/adapter';
import { startFakeServer } from '../helpers/fakeServer';
import type { FakeServer } from '../helpers/fakeServer';
import { n8nHarness } from '../helpers/n8nWorkflow';
import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';

jest.setTimeout(30_000);

const records = (count: number): IDataObject[] => Array.from({ length: count }, (_, index) => ({ remark: `C${index}` }));
const ok = (body: unknown, statusCode = 200): VendorResponse => ({ statusCode, headers: {}, body });
const entry = (index: string | number, extra: IDataObject = {}): IDataObject => ({ code: 0, index, id: `id-${String(index)}`, msg: '', ...extra });

describe('reading a Dustess answer', () => {
	it('maps 1-based success entries to their records, taking `id` or the `uuid` of the vendor example', () => {
		const reading = readDustessResponse(
			ok({ success: true, msg: '', data: { fail: null, success: [entry(2), { code: 0, index: 1, uuid: 'u-1', msg: '' }] } }),
			records(2),
		);
		expect(reading).toEqual({
			kind: 'perRecord',
			results: [
				{ ok: true, result: { id: 'u-1' } },
				{ ok: true, result: { id: 'id-2' } },
			],
		});
	});

	it('reads a partial failure (4126) into successes and failures with the vendor code and message', () => {
		const reading = readDustessResponse(
			ok({
				success: false,
				code: 4126,
				msg: '',
				data: {
					fail: [{ code: 13001, index: 3, id: '', msg: 'owner 和 pool 二选一必填' }, { code: 13000, index: 2, id: '0', msg: '' }],
					success: [entry(1)],
				},
			}),
			records(3),
		);
		expect(reading).toEqual({
			kind: 'perRecord',
			results: [
				{ ok: true, result: { id: 'id-1' } },
				{ ok: false, error: { message: 'Dustess refused this contact with code 13000 and gave no reason', vendorCode: 13000 } },
				{ ok: false, error: { message: 'owner 和 pool 二选一必填', vendorCode: 13001 } },
			],
		});
	});

	it('reads the per-contact entries on any status: a 400, 401 or 503 that lists a stored contact was processed', () => {
		const body = { success: false, code: 4126, msg: '', data: { success: [entry(1)], fail: [{ code: 13001, index: 2, id: '', msg: 'bad' }] } };
		for (const status of [200, 400, 401, 503]) {
			expect(readDustessResponse(ok(body, status), records(2))).toEqual({
				kind: 'perRecord',
				results: [
					{ ok: true, result: { id: 'id-1' } },
					{ ok: false, error: { message: 'bad', vendorCode: 13001 } },
				],
			});
		}
		// Without entries, a 503 keeps its HTTP meaning.
		expect(readDustessResponse(ok({ success: false, code: 503, msg: 'busy' }, 503), records(2))?.kind).toBe('unknown');
	});

	it('reads a total failure (4126, success null)', () => {
		const reading = readDustessResponse(
			ok({ success: false, code: 4126, msg: '', data: { fail: [{ code: 13001, index: 1, id: '0', msg: '' }, { code: 13000, index: 2, id: '0', msg: '' }], success: null } }),
			records(2),
		);
		expect(reading?.kind).toBe('perRecord');
		expect((reading as { results: Array<{ ok: boolean }> }).results.map((result) => result.ok)).toEqual([false, false]);
	});

	it('gives no result to a record without an entry, or whose entry is out of range, not whole, or duplicated', () => {
		const results = matchEntries(
			[
				{ entry: entry(1), success: true },
				{ entry: entry(4), success: true },
				{ entry: entry(4), success: false },
				{ entry: entry(9), success: true },
				{ entry: entry(1.5), success: true },
				{ entry: entry('x'), success: true },
				{ entry: { code: 0, id: 'no-index' }, success: true },
				{ entry: entry('3'), success: true },
			],
			5,
		);
		expect(results.map((result) => (result === undefined ? 'none' : result.ok ? 'ok' : 'fail'))).toEqual(['ok', 'none', 'ok', 'none', 'none']);
	});

	it('trusts no entry when one counts from 0, so no record gets another record\'s outcome', () => {
		const reading = readDustessResponse(ok({ success: true, data: { success: [entry(0), entry(1)] } }), records(2));
		expect(reading).toEqual({ kind: 'perRecord', results: [undefined, undefined] });
	});

	it('does not report a "success" entry that carries an error code as a success, nor as refused: it may be stored', () => {
		const results = matchEntries([{ entry: entry(1, { code: 13001, msg: 'bad' }), success: true }], 1);
		expect(results[0]).toEqual({
			ok: false,
			mayBeStored: true,
			error: { message: 'Dustess listed this contact among the stored ones (id id-1) but with code 13001 (bad): it may or may not have been stored', vendorCode: 13001 },
		});
	});

	it('gives every record "no result" when an accepted call lists no entries', () => {
		expect(readDustessResponse(ok({ success: true, code: 0, msg: '', data: { success: null, fail: null } }), records(2))).toEqual({
			kind: 'perRecord',
			results: [undefined, undefined],
		});
	});

	it('asks for a new token and a resend on HTTP 401 or a token code in a 200 body', () => {
		const http401 = readDustessResponse(ok({ success: false, code: 401, msg: 'unauthorized' }, 401), records(1));
		expect(http401).toMatchObject({ kind: 'resend', refreshSession: true, error: { httpStatus: 401 } });
		const bodyCode = readDustessResponse(ok({ success: false, code: 40001, msg: 'accessToken 无效或已过期', data: null }), records(1));
		expect(bodyCode).toMatchObject({ kind: 'resend', refreshSession: true, error: { vendorCode: 40001, httpStatus: 200 } });
		// A code nobody documents is not taken for a token refusal, whatever its wording.
		const byWording = readDustessResponse(ok({ success: false, code: 99999, msg: 'token expired' }), records(1));
		expect(byWording).toMatchObject({ kind: 'unknown' });
		expect(dustessOperations.create.refusalCodes).toEqual([401, 40001]);
		const nonJson401 = readDustessResponse(ok('<html>401</html>', 401), records(1));
		expect(nonJson401).toMatchObject({ kind: 'resend', refreshSession: true });
	});

	it('masks a token the vendor echoes in a message', () => {
		const reading = readDustessResponse(
			ok({ success: false, code: 40001, msg: 'expired: /customer/v1/batchAddCustomer?accessToken=abc123secret&x=1' }),
			records(1),
		);
		expect(JSON.stringify(reading)).not.toContain('abc123secret');
		expect(JSON.stringify(reading)).toContain('accessToken=***');
	});

	it('reads a 200 without per-contact entries and without a documented refusal as an unknown outcome, never as a refusal to split', () => {
		const reading = readDustessResponse(ok({ success: false, code: 10002, msg: 'customer_list 最多 50 个', data: null }), records(60));
		expect(reading).toEqual({
			kind: 'unknown',
			error: { message: 'Dustess answered with code 10002 without a result per contact (customer_list 最多 50 个): the contacts may or may not have been stored', vendorCode: 10002, httpStatus: 200 },
			sessionMayExplain: true,
		});
		const silent = readDustessResponse(ok({ success: false, code: 4126, msg: '', data: { success: null, fail: null } }), records(2));
		expect(silent).toMatchObject({ kind: 'unknown', error: { vendorCode: 4126 } });
	});

	it('marks a whole-call refusal with a code it does not know as one a revoked token may explain, but not a 4126 without entries', () => {
		// Dustess publishes no token-refusal code (VENDORS.md §2).
		expect(readDustessResponse(ok({ success: false, code: 40014, msg: 'invalid credential', data: null }), records(2))).toMatchObject({ kind: 'unknown', sessionMayExplain: true });
		expect(readDustessResponse(ok({ success: false, msg: 'no' }), records(2))).toMatchObject({ kind: 'unknown', sessionMayExplain: true });
		expect(readDustessResponse(ok({ success: false, code: 4126, msg: '', data: null }), records(2))).not.toHaveProperty('sessionMayExplain');
		// Nothing refused: an empty body says nothing at all.
		expect(readDustessResponse(ok({}), records(2))).not.toHaveProperty('sessionMayExplain');
		// An HTTP error is the engine's to read, whatever its code.
		expect(readDustessResponse(ok({ success: false, code: 40014, msg: 'x' }, 500), records(2))).not.toHaveProperty('sessionMayExplain');
	});

	it('leaves HTTP errors to the engine defaults, with what Dustess said', () => {
		expect(readDustessResponse(ok({ success: false, code: 403, msg: 'no permission' }, 403), records(1))).toMatchObject({
			kind: 'fatal',
			error: { httpStatus: 403, vendorCode: 403, message: expect.stringContaining('no permission') },
		});
		expect(readDustessResponse(ok({ success: false, code: 413, msg: 'too large' }, 413), records(2))).toMatchObject({ kind: 'rejected' });
		expect(readDustessResponse(ok({ msg: 'oops' }, 500), records(2))).toMatchObject({ kind: 'unknown', error: { httpStatus: 500 } });
		expect(readDustessResponse(ok('<html>bad gateway</html>', 502), records(2))).toBeUndefined();
	});
});

describe('building a Dustess request', () => {
	const context: AdapterContext = {
		credentials: { baseUrl: 'https://example.test/dustess/', clientId: 'c', clientSecret: 's' },
		parameters: {},
		session: { accessToken: 'tok-1' },
		retry: { maxRetries: 3 },
	};

	it('posts customer_list to the operation endpoint with the token as accessToken', () => {
		const create = dustessOperations.create.buildRequest([{ remark: 'A', pool: 'p' }], context);
		expect(create).toEqual({
			method: 'POST',
			url: 'https://example.test/dustess/customer/v1/batchAddCustomer',
			qs: { accessToken: 'tok-1' },
			body: { customer_list: [{ remark: 'A', pool: 'p' }] },
		});
		expect(dustessOperations.update.buildRequest([{ id: 'x' }], context).url).toBe('https://example.test/dustess/customer/v1/batchEditCustomer');
	});

	it('puts a custom field value where its type needs it, leaving vendor-shaped fields as they are', () => {
		// Records as validation hands them over: a number type's value, and float_value, read as numbers.
		const contact = toVendorContact({
			remark: 'A',
			custom_fields: [
				{ id: 'f1', type: 'text', value: 'hello' },
				{ id: 'f2', type: 'number', value: 12.5 },
				{ id: 'f3', type: 'Int', value: 7 },
				{ id: 'f4', type: 'checkbox', value: 'red, green,,blue' },
				{ id: 'f5', type: 'multi-cascader', value: '组01/组001=path' },
				{ id: 'f6', type: 'date', value: '2024-05-01' },
				{ id: 'f7', type: 'number', float_value: 3 },
				{ id: 'f8', type: 'checkbox', array_value: ['a,b'] },
				{ id: 'f9', type: 'attachment', files_value: [{ name: 'a.pdf', url: 'https://x/a.pdf', file_type: 'pdf' }] },
			],
		});
		expect(contact.custom_fields).toEqual([
			{ id: 'f1', type: 'text', string_value: 'hello' },
			{ id: 'f2', type: 'number', float_value: 12.5 },
			{ id: 'f3', type: 'Int', float_value: 7 },
			{ id: 'f4', type: 'checkbox', array_value: ['red', 'green', 'blue'] },
			{ id: 'f5', type: 'multi-cascader', array_value: ['组01/组001=path'] },
			{ id: 'f6', type: 'date', string_value: '2024-05-01' },
			{ id: 'f7', type: 'number', float_value: 3 },
			{ id: 'f8', type: 'checkbox', array_value: ['a,b'] },
			{ id: 'f9', type: 'attachment', files_value: [{ name: 'a.pdf', url: 'https://x/a.pdf', file_type: 'pdf' }] },
		]);
	});

	it('declares the batch limits and which operation may be resent', () => {
		expect(dustessOperations.create.naturalKeys).toBe(contactMethodKeys);
		expect(dustessOperations.update.naturalKeys).toBeUndefined();
		expect(dustessOperations.create).toMatchObject({ maxBatchSize: 1000, defaultBatchSize: 50, resendIsSafe: false, credentialType: 'dustessApi' });
		expect(dustessOperations.update.resendIsSafe).toBe(true);
	});
});

describe('contactMethodKeys (Skip Duplicate Rows)', () => {
	const keys = (...mobiles: IDataObject[]) => contactMethodKeys({ mobiles });

	it('keys a mobile or landline by its digits: spacing and a leading + make no other customer', () => {
		expect(keys({ tel: '+86 139 0000 0001', type: 'mobile' })).toEqual(['phone:8613900000001']);
		expect(keys({ tel: '8613900000001', type: 'Landline' })).toEqual(keys({ tel: '+86-139-0000-0001', type: 'mobile' }));
	});

	it('keys any other method by its exact value and its type, never by the digits in it', () => {
		const weChat = '11b90rp60zya';
		expect(keys({ tel: 'zhang_san_1990', type: weChat })).not.toEqual(keys({ tel: 'li_si_1990', type: weChat }));
		expect(keys({ tel: 'zhang_san_1990', type: weChat })).toEqual(keys({ tel: ' zhang_san_1990 ', type: weChat }));
		expect(keys({ tel: 'zhang_san_1990', type: weChat })).not.toEqual(keys({ tel: 'Zhang_San_1990', type: weChat }));
		expect(keys({ tel: 'zhang_san_1990', type: weChat })).not.toEqual(keys({ tel: 'zhang_san_1990', type: 'other' }));
		expect(keys({ tel: '13900000001', type: 'other' })).not.toEqual(keys({ tel: '13900000001', type: 'mobile' }));
	});

	it('keys a method without a type as a phone only when it is written like one', () => {
		expect(keys({ tel: '139 0000 0001' })).toEqual(keys({ tel: '13900000001', type: 'mobile' }));
		expect(keys({ tel: 'zhang_san_1990' })).not.toEqual(keys({ tel: 'li_si_1990' }));
	});

	it('gives one key per method, and none for a record without methods', () => {
		expect(keys({ tel: '13900000001', type: 'mobile' }, { tel: 'wx', type: 'other' })).toHaveLength(2);
		expect(contactMethodKeys({ remark: 'A' })).toEqual([]);
	});
});

const n8n = n8nHarness();
let server: FakeServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
	clearTokenCache();
});
const tokenAnswer = { statusCode: 200, body: { success: true, code: 0, data: { accessToken: 'tok-1', expiresIn: 7200 } } };

describe('a 4xx answer that reports stored customers', () => {
	it('Dustess: a 400 carrying a 4126 body with contact 1 under data.success is split, and contact 1 is created again', async () => {
		let created = 0;
		server = await startFakeServer((request) => {
			if (request.path.endsWith('/auth/v1/access_token/token')) return tokenAnswer;
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

describe('Dustess: an entry listed under data.success that carries a non-zero code', () => {
	it('is reported VENDOR_REJECTED with mayBeStored: false and nextStep fixData, although Dustess listed it as stored, with an id', async () => {
		server = await startFakeServer((request) => {
			if (request.path.endsWith('/auth/v1/access_token/token')) return tokenAnswer;
			return { statusCode: 200, body: { success: true, code: 0, msg: '', data: { success: [{ code: 13002, index: 1, id: 'c-777', msg: 'merged into an existing contact' }], fail: null } } };
		});
		const run = await n8n.run({
			input: [{ remark: 'Zhang', pool: 'p1', mobiles: [{ tel: '13900000001', type: 'mobile' }] }],
			node: { type: 'dustessBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 0 } } },
			credentials: { dustessApi: { baseUrl: server.url, ...DUSTESS_CLIENT } },
		});
		expect(run.error).toBeUndefined();
		const [success, failure] = run.outputs;
		expect(success).toEqual([]);
		const error = failure[0].json.error as IDataObject;
		// Listed as a success, with the contact's id: if not a Success, then at least "may be stored".
		expect({ mayBeStored: error.mayBeStored, nextStep: error.nextStep }).toEqual({ mayBeStored: true, nextStep: 'checkVendorFirst' });
	});
});
