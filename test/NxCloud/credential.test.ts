import type { IDataObject } from 'n8n-workflow';

import { NxCloudApi } from '../../credentials/NxCloudApi.credentials';
import { nxCloudOperations } from '../../nodes/NxCloud/adapter';
import { NxCloudBatchCustomers } from '../../nodes/NxCloud/NxCloudBatchCustomers.node';
import { signatureHeaders } from '../../nodes/NxCloud/sign';
import { n8nHarness } from '../helpers/n8nWorkflow';
import { useTestSandbox } from '../helpers/sandboxClient';
import {
	NXCLOUD_ACCESS_KEY,
	NXCLOUD_ACCESS_SECRET,
	NXCLOUD_APP_KEY,
	NXCLOUD_CUSTOM_FIELDS,
	NXCLOUD_FORBIDDEN_ACCESS_KEY,
	NXCLOUD_TENANT_ID,
} from '../sandbox/vendors/nxcloud';

const sandbox = useTestSandbox();

const n8n = n8nHarness();
const credential = new NxCloudApi();
const goodCredentials = () => ({ accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${sandbox.url}/nxcloud/` });

/** The credential's `={{ … }}` expressions, evaluated by n8n over `$credentials`. */
const evaluate = (expression: string, credentials: IDataObject) => n8n.evaluate(expression, { $credentials: credentials });

/** n8n's credential test: the test request routed by n8n-core (through `authenticate`), then the rules. */
const testCredential = async (credentials: IDataObject) => await n8n.testCredential('nxCloudApi', credentials);

describe('NXCLOUD credential', () => {
	it('resolves the test request base URL from the region or the custom URL', () => {
		const baseURL = credential.test.request.baseURL as string;
		expect(evaluate(baseURL, { region: 'https://api-idn.nxlink.ai' })).toBe('https://api-idn.nxlink.ai');
		expect(evaluate(baseURL, { region: 'custom', baseUrl: ' https://proxy.example/nx// ' })).toBe('https://proxy.example/nx');
	});

	it('holds the App Key as a required secret (encrypted by n8n, masked in the editor); the node has no App Key parameter', () => {
		expect(credential.properties.find((property) => property.displayName === 'App Key')).toMatchObject({
			name: 'appSecretKey',
			type: 'string',
			required: true,
			typeOptions: { password: true },
		});
		const nodeProperties = new NxCloudBatchCustomers().description.properties;
		expect(nodeProperties.filter((property) => /app ?key/i.test(`${property.name} ${property.displayName}`))).toEqual([]);
	});

	it('shows the request parameters the adapter declares, under the same names, labels and defaults', () => {
		const nodeProperties = new NxCloudBatchCustomers().description.properties;
		for (const parameter of nxCloudOperations.standard.requestParameters!) {
			const property = nodeProperties.find((candidate) => candidate.name === parameter.name)!;
			expect(property.displayName).toBe(parameter.label);
			expect(property.description).toBe(parameter.description);
			if (parameter.default !== undefined) expect(property.default).toBe(parameter.default);
			if (parameter.options) expect(property.options).toEqual(parameter.options.map(({ name, value, description }) => ({ name, value, description })));
		}
	});

	it('passes the test with a working key and secret: the signed fields call is refused only for its missing tenant (1002)', async () => {
		expect(await testCredential(goodCredentials())).toEqual({ status: 'OK', message: 'Connection successful!' });
		const [request] = await sandbox.requests('nxcloud');
		expect(request).toMatchObject({ method: 'GET', path: '/saas/cdp/openapi/customers/fields', rawBody: '' });
		expect(request.headers).toMatchObject({ accesskey: NXCLOUD_ACCESS_KEY, biztype: '2', action: 'mt' });
	});

	it.each([
		['a wrong secret', { accessSecret: 'not-the-secret' }, /code 1003\): check the access secret/],
		['an unknown key', { accessKey: 'who-is-this' }, /code 1005\)/],
		['a key without permission', { accessKey: NXCLOUD_FORBIDDEN_ACCESS_KEY, accessSecret: 'forbidden-secret' }, /code 1005\)/],
		['an empty key', { accessKey: '' }, /code 1001\)/],
	])('fails the test with %s', async (_, override, message) => {
		const result = await testCredential({ ...goodCredentials(), ...override });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
	});

	it('fails the test when the server clock and n8n’s differ by more than 60 s', async () => {
		await sandbox.configure('nxcloud', { clockOffsetMs: -90_000 });
		expect(await testCredential(goodCredentials())).toMatchObject({ status: 'Error', message: expect.stringMatching(/code 1004/) });
	});

	it('fails the test when the address answers something that is not the NXCLOUD API', async () => {
		await sandbox.inject({ vendor: 'nxcloud', type: 'html', status: 200 });
		expect(await testCredential(goodCredentials())).toMatchObject({ status: 'Error', message: expect.stringMatching(/region or base URL/) });
	});
});

describe('NXCLOUD sandbox: signature and limits', () => {
	const post = async (path: string, rawBody: string, headers: Record<string, string>) => {
		const response = await fetch(`${sandbox.url}/nxcloud${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: rawBody });
		return (await response.json()) as IDataObject;
	};
	const signed = (body: string, override: Partial<Parameters<typeof signatureHeaders>[0]> = {}) =>
		signatureHeaders({ accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, body, ...override }) as unknown as Record<string, string>;
	const batch = (customers: unknown[]) => JSON.stringify({ type: 1, tenant_id: NXCLOUD_TENANT_ID, app_key: NXCLOUD_APP_KEY, customers });
	const SEA = '/saas/sea/cdp/openapi/customers/batch_create';
	const STANDARD = '/saas/cdp/openapi/customers/batch_create';

	it('verifies the signature over the raw body: the same data re-serialised fails with 1003', async () => {
		const body = batch([{ first_name: '牛', last_name: '小信' }]);
		expect(await post(SEA, body, signed(body))).toMatchObject({ code: 0 });
		const reserialised = JSON.stringify(JSON.parse(body), null, 1);
		expect(await post(SEA, reserialised, signed(body))).toMatchObject({ code: 1003 });
		expect(await post(SEA, body, signed(body, { accessSecret: 'other' }))).toMatchObject({ code: 1003 });
	});

	it('answers the documented codes for headers, timestamp, bizType and action', async () => {
		const body = batch([{ first_name: 'a', last_name: 'b' }]);
		const { sign: _sign, ...unsigned } = signed(body);
		expect(await post(SEA, body, unsigned)).toMatchObject({ code: 1001, message: 'missing common header: sign' });
		expect(await post(SEA, body, signed(body, { ts: Date.now() - 61_000 }))).toMatchObject({ code: 1004 });
		expect(await post(SEA, body, signed(body, { bizType: '1' }))).toMatchObject({ code: 1002 });
		expect(await post(SEA, body, signed(body, { action: 'send' }))).toMatchObject({ code: 1002 });
		expect(await post(SEA, body, signed(body))).toEqual({ code: 0, message: '', data: '', traceId: expect.any(String) });
	});

	it('refuses more than 100 customers and each edition’s field rules, for the whole batch', async () => {
		const many = batch(Array.from({ length: 101 }, (_, index) => ({ first_name: `f${index}`, last_name: 'l' })));
		expect(await post(SEA, many, signed(many))).toMatchObject({ code: 1002, message: expect.stringMatching(/exceeds the limit of 100/) });
		const cases: Array<[string, unknown, RegExp]> = [
			[SEA, { first_name: 'a' }, /customers\[1\]\.last_name is required/],
			[SEA, { first_name: 'a', last_name: 'b', birthday: '1990-02-30' }, /birthday must be a date/],
			[SEA, { first_name: 'a', last_name: 'b', gender: '1' }, /gender must be 1/],
			[SEA, { first_name: 'a', last_name: 'b', customize_field: { customize_1_14: 'x' } }, /customize_field must be a string/],
			[SEA, { first_name: 'a', last_name: 'b', customize_field: '{"nope":1}' }, /unknown custom field nope/],
			[SEA, { first_name: 'a', last_name: 'b', remark: 'r'.repeat(101) }, /remark exceeds 100/],
			[STANDARD, { first_name: 'a' }, /full_name is required/],
			[STANDARD, { full_name: 'a', whats_app_phone: '+1 555' }, /digits only/],
			[STANDARD, { full_name: 'a', remark: 'r'.repeat(101) }, /remark exceeds 100/],
		];
		for (const [path, customer, message] of cases) {
			const body = batch([{ first_name: 'ok', last_name: 'ok', full_name: 'ok' }, customer]);
			expect(await post(path, body, signed(body))).toMatchObject({ code: 1002, message: expect.stringMatching(message) });
		}
		expect((await sandbox.store<{ customers: unknown[] }>('nxcloud')).customers).toHaveLength(0);
		await sandbox.configure('nxcloud', { indonesia: true });
		const long = batch([{ full_name: 'a', remark: 'r'.repeat(2000) }]);
		expect(await post(STANDARD, long, signed(long))).toMatchObject({ code: 0 });
	});
});

describe('NXCLOUD custom field picker', () => {
	/** n8n-core's load-options context for the node with these parameters, as the editor asks for the list. */
	const loadOptionsContext = (parameters: IDataObject, credentials: IDataObject = {}) =>
		n8n.loadOptionsContext({ node: { type: 'nxCloudBatchCustomers', parameters }, credentials: { nxCloudApi: { ...goodCredentials(), ...credentials } } });
	const getCustomFields = (parameters: IDataObject, credentials: IDataObject = {}) =>
		new NxCloudBatchCustomers().methods.loadOptions.getCustomFields.call(loadOptionsContext(parameters, credentials));

	it('lists the tenant’s custom fields from the signed fields endpoint, with the App Key from the credential', async () => {
		const options = await getCustomFields({ tenantId: ` ${NXCLOUD_TENANT_ID} ` });
		expect(options.map((option) => option.value).sort()).toEqual(NXCLOUD_CUSTOM_FIELDS.map((field) => field.field_key).sort());
		expect(options.map((option) => option.name)).toContain('Membership Level (customize_1_14)');
		const [request] = await sandbox.requests('nxcloud');
		expect(request.query).toEqual({ tenant_id: String(NXCLOUD_TENANT_ID), app_key: NXCLOUD_APP_KEY });
	});

	it('explains why the list is empty-handed', async () => {
		await expect(getCustomFields({ tenantId: '' })).rejects.toThrow(/^Invalid node parameter: 'Tenant ID' \(tenantId\) is required: enter your tenant's ID/);
		await expect(getCustomFields({ tenantId: String(NXCLOUD_TENANT_ID) }, { appSecretKey: '' })).rejects.toThrow(/credential has no App Key/);
		await expect(getCustomFields({ tenantId: '1' })).rejects.toThrow(/code 1005/);
		expect(await sandbox.requests('nxcloud')).toHaveLength(1);
	});

	it('offers the picker in both editions’ Custom Fields, reloaded when the Tenant ID changes', () => {
		const additional = new NxCloudBatchCustomers().description.properties.filter((property) => property.name === 'additionalFields');
		expect(additional).toHaveLength(2);
		for (const property of additional) {
			const custom = (property.options as unknown as IDataObject[]).find((option) => option.name === 'customize_field') as IDataObject;
			const values = ((custom.options as IDataObject[])[0].values as IDataObject[]).find((value) => value.name === 'name');
			expect(values).toMatchObject({ type: 'options', typeOptions: { loadOptionsMethod: 'getCustomFields', loadOptionsDependsOn: ['tenantId'] } });
		}
	});
});
