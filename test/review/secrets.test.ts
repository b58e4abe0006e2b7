/**
 * Review of issue 15 items 4-6: no secret in any message, output, hint, log or error. The engine
 * masks a secret by its value, trimmed and URL-encoded. A vendor or proxy that quotes the request
 * it received quotes the JSON body, where a secret holding `"` or `\` appears JSON-escaped:
 * `Se"cret\9` is written `Se\"cret\\9`, which is the secret to anyone who reads it.
 */
import type { IDataObject } from 'n8n-workflow';

import { clearTokenCache } from '../../nodes/Dustess/accessToken';
import { n8nHarness } from '../helpers/n8nWorkflow';
import { startTestSandbox } from '../helpers/sandboxClient';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { allText, runExposures, secretLeaks } from '../helpers/secretsScan';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_TENANT_ID } from '../sandbox/vendors/nxcloud';
import { THULIUM_USER } from '../sandbox/vendors/thulium';
import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';

jest.setTimeout(60_000);

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(async () => sandbox.close());
beforeEach(async () => {
	await sandbox.reset();
	clearTokenCache();
});

const n8n = n8nHarness();

/** The secret as a JSON text writes it, without the quotes. */
const jsonEscaped = (secret: string) => JSON.stringify(secret).slice(1, -1);

describe('a secret with a quote or backslash, quoted back by the vendor in JSON', () => {
	it('NXCLOUD: the App Key echoed in the JSON body of an error answer reaches the Failure message JSON-escaped', async () => {
		const appKey = 'k3y"with\\quote';
		await sandbox.inject({ vendor: 'nxcloud', type: 'status', status: 500, body: { code: 500, message: 'internal error for request {{request}}' }, echoRequest: true });
		const run = await n8n.run({
			input: [{ first_name: 'Ann', last_name: 'Lee' }],
			node: { type: 'nxCloudBatchCustomers', parameters: { edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mappingMode: 'autoMapInputData', options: { maxRetries: 0 } } },
			credentials: { nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: appKey, region: 'custom', baseUrl: `${sandbox.url}/nxcloud` } },
		});
		const failure = run.outputs[1] ?? [];
		expect(failure.map((item) => (item.json.error as IDataObject).code)).toEqual(['OUTCOME_UNKNOWN']);
		// The vendor did quote it (the fault works as intended) …
		expect(JSON.stringify((await sandbox.requests('nxcloud'))[0].rawBody)).toContain(jsonEscaped(jsonEscaped(appKey)));
		// … and the run shows it in no form.
		expect(secretLeaks(runExposures(run), [appKey, jsonEscaped(appKey)])).toEqual([]);
	});

	it('Dustess: the client secret echoed by the token endpoint reaches the NOT_SENT messages and the run summary JSON-escaped', async () => {
		const clientSecret = 'Se"cret\\9-client';
		await sandbox.inject({
			vendor: 'dustess',
			type: 'status',
			path: '/auth/v1/access_token/token',
			status: 400,
			body: { success: false, code: 10003, msg: 'bad request: {{request}}', data: null },
			echoRequest: true,
		});
		const run = await n8n.run({
			input: [{ remark: 'Zhang', pool: 'p1' }],
			node: { type: 'dustessBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 0 } }, onError: 'continueRegularOutput' },
			credentials: { dustessApi: { baseUrl: `${sandbox.url}/dustess`, clientId: 'client-1', clientSecret } },
		});
		const failure = run.outputs[1] ?? [];
		expect(failure.map((item) => (item.json.error as IDataObject).code)).toEqual(['NOT_SENT']);
		expect(allText(failure)).toMatch(/refused the client ID or secret/);
		expect(secretLeaks(runExposures(run), [clientSecret, jsonEscaped(clientSecret)])).toEqual([]);
	});
});

describe("a vendor's fatal message that quotes the request", () => {
	it("puts the first batch's customers (name, email, phone) into the NOT_SENT message of every other customer and into the run summary", async () => {
		await sandbox.inject({ vendor: 'nxcloud', type: 'status', status: 200, body: { code: 1003, message: 'sign is invalid for {{request}}' }, echoRequest: true });
		const customers = [
			{ first_name: 'Zofia', last_name: 'Brzęczyszczykiewicz', email: 'zofia.b@example.pl', sms_phone: '48600999111' },
			{ first_name: 'Ann', last_name: 'Lee', email: 'ann@example.com' },
			{ first_name: 'Bo', last_name: 'Chen', email: 'bo@example.com' },
		];
		const run = await n8n.run({
			input: customers,
			node: {
				type: 'nxCloudBatchCustomers',
				parameters: { edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mappingMode: 'autoMapInputData', options: { batchSize: 1, maxRetries: 0 } },
				onError: 'continueRegularOutput',
			},
			credentials: { nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: 'app-key-1', region: 'custom', baseUrl: `${sandbox.url}/nxcloud` } },
		});
		const failure = run.outputs[1] ?? [];
		expect(failure.map((item) => (item.json.error as IDataObject).code)).toEqual(['CONFIGURATION_ERROR', 'NOT_SENT', 'NOT_SENT']);
		const firstCustomer = ['Brzęczyszczykiewicz', 'zofia.b@example.pl', '48600999111'];
		const otherRowsMessages = allText(failure.slice(1).map((item) => (item.json.error as IDataObject).message));
		const hints = allText(run.hints);
		expect(firstCustomer.filter((value) => otherRowsMessages.includes(value) || hints.includes(value))).toEqual([]);
	});
});

describe('attacks that held', () => {
	it('Thulium: a password with a quote, backslash and colon, echoed in the Authorization header by an error page, is masked', async () => {
		const password = 'pa"ss\\wo:rd 9';
		await sandbox.configure('thulium', { login: THULIUM_USER.login, password });
		await sandbox.inject({ vendor: 'thulium', type: 'status', status: 500, body: { request_id: 'r-1', errors: [{ message: 'crashed on {{request}}', code: 1 }] }, echoRequest: true });
		const run = await n8n.run({
			input: [{ surname: 'Nowak' }],
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 0 } } },
			credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, login: THULIUM_USER.login, password } },
		});
		expect((run.outputs[1] ?? []).map((item) => (item.json.error as IDataObject).code)).toEqual(['OUTCOME_UNKNOWN']);
		// The error page did quote the header, masked.
		expect(allText(run.outputs[1])).toMatch(/Basic \*\*\*/);
		const basic = Buffer.from(`${THULIUM_USER.login}:${password}`).toString('base64');
		expect(secretLeaks(runExposures(run), [password, jsonEscaped(password), basic])).toEqual([]);
	});

	it('an expression that fails on a customer value (a mapped field, a request parameter) names no customer value in its message', async () => {
		const run = await n8n.run({
			input: [{ raw: 'Jan Kowalski +48600100200', tenant: 'Jan Kowalski +48600100200' }],
			node: {
				type: 'nxCloudBatchCustomers',
				parameters: {
					edition: 'sea',
					tenantId: '={{ $json.tenant.toInt() }}',
					mappingMode: 'defineBelow',
					first_name: '={{ $json.raw.toNumber() }}',
					last_name: '={{ $json.raw.toDateTime().toISO() }}',
					options: { validateOnly: true },
				},
			},
			credentials: { nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: 'k', region: 'custom', baseUrl: `${sandbox.url}/nxcloud` } },
		});
		const failure = run.outputs[1] ?? [];
		expect(failure).toHaveLength(1);
		expect((failure[0].json.error as IDataObject).code).toBe('INVALID_RECORD');
		expect((failure[0].json.error as IDataObject).message).toMatch(/cannot convert/);
		const text = allText([failure[0].json.error, run.hints, run.logs]);
		for (const part of ['Kowalski', '48600100200']) expect(text).not.toContain(part);
	});
});

describe('attacks that held: Dustess secrets on failing paths', () => {
	it.each([
		['token endpoint 502 then refusal echoing the request', [{ vendor: 'dustess', type: 'status' as const, path: '/auth/v1/access_token/token', status: 502, body: '{{request}}', echoRequest: true }, { vendor: 'dustess', type: 'status' as const, path: '/auth/v1/access_token/token', status: 400, body: { code: 10003, msg: 'no: {{request}}' }, echoRequest: true }]],
		['batch 500 echoing the request', [{ vendor: 'dustess', type: 'status' as const, path: '/customer/', status: 500, body: { code: 500, msg: 'boom {{request}}' }, echoRequest: true }]],
		['batch 200 undocumented code echoing the request, token renewed', [{ vendor: 'dustess', type: 'status' as const, path: '/customer/', status: 200, body: { success: false, code: 777, msg: 'odd {{request}}' }, echoRequest: true }]],
		['batch connection dropped after storing', [{ vendor: 'dustess', type: 'storeThenDrop' as const, path: '/customer/' }]],
	])('%s: no client secret and no token anywhere', async (_name, faults) => {
		await sandbox.inject(...faults);
		const run = await n8n.run({
			input: [{ remark: 'Zhang', pool: 'p1' }, { remark: 'Li', pool: 'p1' }],
			node: { type: 'dustessBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { batchSize: 1, maxRetries: 1 } }, onError: 'continueRegularOutput' },
			credentials: { dustessApi: { baseUrl: `${sandbox.url}/dustess`, ...DUSTESS_CLIENT } },
		});
		const { tokens } = await sandbox.store<{ tokens: string[] }>('dustess');
		expect((run.outputs[1] ?? []).length).toBeGreaterThan(0);
		expect(secretLeaks(runExposures(run), [DUSTESS_CLIENT.clientSecret, ...tokens])).toEqual([]);
	});
});
