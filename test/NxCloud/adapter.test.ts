import type { IDataObject } from 'n8n-workflow';

import { NXCLOUD_MISSING_APP_KEY, nxCloudBaseUrl, nxCloudOperationFor, nxCloudOperations } from '../../nodes/NxCloud/adapter';
import { readRequestParameter } from '../../nodes/shared/engine/requestParameters';
import { validateRecord } from '../../nodes/shared/schema/validateRecord';

const credentials = { accessKey: 'k', accessSecret: 's', appSecretKey: ' 46oKF=os ', region: 'https://api-hk.nxlink.ai' };
const context = (parameters: IDataObject) => ({ credentials, parameters, session: {}, retry: { maxRetries: 3 } });
const records = [{ first_name: 'A', last_name: 'B' }, { first_name: 'C', last_name: 'D' }];
const read = (body: unknown, statusCode = 200) => nxCloudOperations.sea.readResponse({ statusCode, headers: {}, body }, records);

describe('NXCLOUD adapter: requests', () => {
	it('builds the SEA request as one JSON text: type, tenant_id (integer), app_key from the credential, customers', () => {
		const request = nxCloudOperations.sea.buildRequest(records, context({ tenantId: 144, mode: 2 }));
		expect(request.method).toBe('POST');
		expect(request.url).toBe('https://api-hk.nxlink.ai/saas/sea/cdp/openapi/customers/batch_create');
		expect(typeof request.body).toBe('string');
		expect(request.body).toBe(JSON.stringify({ type: 2, tenant_id: 144, app_key: '46oKF=os', customers: records }));
	});

	it('builds the standard request with strict_binding on its own path', () => {
		const request = nxCloudOperations.standard.buildRequest([{ full_name: 'X' }], context({ tenantId: 7, mode: 0, strictBinding: true }));
		expect(request.url).toBe('https://api-hk.nxlink.ai/saas/cdp/openapi/customers/batch_create');
		expect(JSON.parse(request.body as string)).toEqual({ type: 0, tenant_id: 7, app_key: '46oKF=os', strict_binding: true, customers: [{ full_name: 'X' }] });
	});

	it('declares its request parameters as schema data, read by the engine: Tenant ID, Mode, and Strict Binding for the standard edition', () => {
		const names = (operation: typeof nxCloudOperations.sea) => (operation.requestParameters ?? []).map((parameter) => `${parameter.name}:${parameter.type}`);
		expect(names(nxCloudOperations.standard)).toEqual(['tenantId:integer', 'mode:options', 'strictBinding:boolean']);
		expect(names(nxCloudOperations.sea)).toEqual(['tenantId:integer', 'mode:options']);
		const [tenantId, mode, strictBinding] = nxCloudOperations.standard.requestParameters!;
		expect(readRequestParameter(' 12 ', tenantId)).toEqual({ ok: true, value: 12 });
		expect(readRequestParameter(12, tenantId)).toEqual({ ok: true, value: 12 });
		expect(readRequestParameter('tenant-144', tenantId)).toMatchObject({ ok: false, message: "Invalid node parameter: 'Tenant ID' (tenantId) must be a whole number, got text of 10 characters" });
		expect(readRequestParameter('12.5', tenantId)).toMatchObject({ ok: false, message: "Invalid node parameter: 'Tenant ID' (tenantId) must be a whole number, got a number with a fraction" });
		expect(readRequestParameter('', tenantId)).toMatchObject({ ok: false, message: "Invalid node parameter: 'Tenant ID' (tenantId) is required" });
		expect(mode.default).toBe(1);
		expect(readRequestParameter('keep', mode)).toEqual({ ok: true, value: 2 });
		expect(readRequestParameter(' Replace Existing Data ', mode)).toEqual({ ok: true, value: 0 });
		expect(readRequestParameter(3, mode)).toMatchObject({ ok: false, message: "Invalid node parameter: 'Mode' (mode) must be one of Replace Existing Data, Merge With Existing Data, Keep Existing Data, got a number" });
		expect(strictBinding.default).toBe(false);
		expect(readRequestParameter('TRUE', strictBinding)).toEqual({ ok: true, value: true });
	});

	it('takes the App Key from the credential: an empty one is a configuration problem before any call', () => {
		expect(nxCloudOperations.sea.credentialProblem!({ ...credentials, appSecretKey: '  ' })).toBe(NXCLOUD_MISSING_APP_KEY);
		expect(nxCloudOperations.sea.credentialProblem!({ accessKey: 'k', accessSecret: 's' })).toBe(NXCLOUD_MISSING_APP_KEY);
		expect(nxCloudOperations.sea.credentialProblem!(credentials)).toBeUndefined();
		expect(NXCLOUD_MISSING_APP_KEY).toMatch(/credential has no App Key/);
	});

	it('declares every documented error code as a whole-request refusal, and the access secret and App Key as secrets', () => {
		expect(nxCloudOperations.sea.refusalCodes).toEqual([1001, 1002, 1003, 1004, 1005]);
		expect(nxCloudOperations.sea.credentialSecrets({ accessKey: 'ak', accessSecret: 'as-secret', appSecretKey: ' app-key ', region: 'custom' })).toEqual([
			'as-secret',
			' app-key ',
			'app-key',
		]);
	});

	it('resolves the base URL from the region or the custom URL', () => {
		expect(nxCloudBaseUrl({ region: 'https://chl-api.nxlink.ai' })).toBe('https://chl-api.nxlink.ai');
		expect(nxCloudBaseUrl({ region: 'custom', baseUrl: ' https://proxy.example/nx/ ' })).toBe('https://proxy.example/nx');
		expect(nxCloudBaseUrl({})).toBe('https://api-hk.nxlink.ai');
	});

	it('allows 2000-character remarks only for the standard edition on the Indonesian region', () => {
		const remarkMax = (edition: 'sea' | 'standard', region: string) =>
			nxCloudOperationFor(edition, { region }).schema.fields.find((field) => field.name === 'remark')!.maxLength;
		expect(remarkMax('standard', 'https://api-idn.nxlink.ai')).toBe(2000);
		expect(remarkMax('standard', 'https://api-hk.nxlink.ai')).toBe(100);
		expect(remarkMax('sea', 'https://api-idn.nxlink.ai')).toBe(100);
	});

	it('caps batches at 100 and never resends a create on its own', () => {
		for (const operation of Object.values(nxCloudOperations)) {
			expect(operation.maxBatchSize).toBe(100);
			expect(operation.resendIsSafe).toBe(false);
		}
	});
});

describe('NXCLOUD adapter: responses', () => {
	it('code 0: every customer of the batch succeeded, each with the traceId', () => {
		expect(read({ code: 0, message: '', data: '', traceId: 't-1' })).toEqual({
			kind: 'perRecord',
			results: [
				{ ok: true, result: { traceId: 't-1' } },
				{ ok: true, result: { traceId: 't-1' } },
			],
		});
	});

	it('1002: the batch was refused, to be split by the engine', () => {
		expect(read({ code: 1002, message: 'customers[1].email exceeds 50 characters', traceId: 't' })).toEqual({
			kind: 'rejected',
			error: { message: 'customers[1].email exceeds 50 characters', vendorCode: 1002, httpStatus: 200, traceId: 't' },
		});
	});

	it('1004: resend once (the credential signs again with a fresh ts)', () => {
		expect(read({ code: 1004, message: 'timestamp expired' })).toMatchObject({ kind: 'resend', error: { vendorCode: 1004, message: expect.stringMatching(/clock of the n8n server/) } });
	});

	it.each([
		[1001, /required header is missing.*access key and an access secret/],
		[1003, /signature.*check the access secret/],
		[1005, /refused the access key.*App Key in the credential.*permission for this Tenant ID/],
	])('%i: a credential/configuration error saying what to check', (code, message) => {
		const reading = read({ code, message: 'vendor says', traceId: 't' });
		expect(reading).toMatchObject({ kind: 'fatal', error: { vendorCode: code, traceId: 't' } });
		expect((reading as { error: { message: string } }).error.message).toMatch(message);
		expect((reading as { error: { message: string } }).error.message).toContain('(NXCLOUD: vendor says)');
	});

	it('an undocumented code: outcome unknown', () => {
		expect(read({ code: 5000, message: 'busy' })).toMatchObject({ kind: 'unknown', error: { message: 'NXCLOUD answered code 5000: busy', vendorCode: 5000 } });
	});

	it('no NXCLOUD envelope: the engine’s HTTP defaults apply', () => {
		expect(read('<html>bad gateway</html>', 502)).toBeUndefined();
		expect(read({ error: 'x' }, 500)).toBeUndefined();
	});
});

describe('NXCLOUD field schemas', () => {
	const sea = nxCloudOperations.sea.schema;
	const standard = nxCloudOperations.standard.schema;

	it('formats what the vendor expects: birthday, gender, tags as tagStr, custom fields as a JSON text', () => {
		const { record, problems } = validateRecord(
			{
				first_name: '牛',
				last_name: '小信',
				birthday: new Date(Date.UTC(1976, 3, 12)),
				gender: 'Female',
				tagStr: ['vip', ' 99 '],
				customize_field: { customize_1_14: 'aa', empty: '' },
				sms_phone: 18163725558,
			},
			sea,
		);
		expect(problems).toEqual([]);
		expect(record).toEqual({
			first_name: '牛',
			last_name: '小信',
			birthday: '1976-04-12',
			gender: 0,
			tagStr: 'vip,99',
			customize_field: '{"customize_1_14":"aa"}',
			sms_phone: '18163725558',
		});
	});

	it('accepts ISO date-times, JSON-text custom fields and gender aliases', () => {
		const { record, problems } = validateRecord(
			{ first_name: 'A', last_name: 'B', birthday: '2015-08-19T23:30:00-05:00', gender: 'm', customize_field: '{"customize_1_15":"x"}', tagStr: 'a,b' },
			sea,
		);
		expect(problems).toEqual([]);
		expect(record).toMatchObject({ birthday: '2015-08-19', gender: 1, customize_field: '{"customize_1_15":"x"}', tagStr: 'a,b' });
	});

	it('enforces each edition’s required fields and documented limits', () => {
		const seaProblems = validateRecord({ first_name: 'x'.repeat(129), email: `${'a'.repeat(45)}@b.com` }, sea).problems.map((problem) => `${problem.field}:${problem.rule}`);
		expect(seaProblems).toEqual(expect.arrayContaining(['first_name:maxLength', 'last_name:required', 'email:maxLength']));
		// SEA phones are not restricted to digits [doc]; standard phones are.
		expect(validateRecord({ first_name: 'a', last_name: 'b', sms_phone: '+86 181' }, sea).problems).toEqual([]);
		const standardProblems = validateRecord({ first_name: 'a', sms_phone: '+86181', zalo: '1'.repeat(33), line: 'x'.repeat(51) }, standard).problems.map(
			(problem) => `${problem.field}:${problem.rule}`,
		);
		expect(standardProblems).toEqual(['full_name:required', 'sms_phone:format', 'zalo:maxLength', 'line:maxLength']);
	});

	it('documents the Indonesian remark limit in the standard edition’s remark description', () => {
		expect(standard.fields.find((field) => field.name === 'remark')!.description).toMatch(/Indonesian region allows 2000/);
	});
});
