import type { IDataObject } from 'n8n-workflow';

import { NxCloudApi } from '../../../credentials/NxCloudApi.credentials';
import { ThuliumApi } from '../../../credentials/ThuliumApi.credentials';
import { passwordValues, secretRedactor } from '../../../nodes/shared/engine/redactSecrets';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import { useTestSandbox } from '../../helpers/sandboxClient';
import { allText, runExposures, secretLeaks } from '../../helpers/secretsScan';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_TENANT_ID } from '../../sandbox/vendors/nxcloud';
import { THULIUM_USER } from '../../sandbox/vendors/thulium';

jest.setTimeout(60_000);

/** The secret as a JSON text writes it, without the quotes. */
const jsonEscaped = (secret: string) => JSON.stringify(secret).slice(1, -1);

describe('masking secrets', () => {
	it('masks a secret that contains another secret whole (longest first)', () => {
		const redact = secretRedactor(['key1', 'key1-and-more-secret'], () => []);
		expect(redact('sent key1-and-more-secret and key1')).toBe('sent *** and ***');
	});

	it('masks short secrets and URL-encoded forms', () => {
		const redact = secretRedactor(['p@w', 'ab'], () => []);
		expect(redact('pw=p%40w, p@w, ab')).toBe('pw=***, ***, ***');
	});

	it('masks a secret with a quote or a backslash as a JSON text writes it (a vendor quoting the request body)', () => {
		const redact = secretRedactor(['Se"cret\\9'], () => []);
		expect(redact(`body: {"clientSecret":"${jsonEscaped('Se"cret\\9')}"}`)).toBe('body: {"clientSecret":"***"}');
	});

	it('masks current and replaced session values', () => {
		const sessions = [{ accessToken: 'tok-old' }, { accessToken: 'tok-new' }];
		const redact = secretRedactor([], () => sessions);
		expect(redact('tok-old then tok-new')).toBe('*** then ***');
	});

	it('masks secrets it cannot know by value: a Basic header, a signature, a token in a URL', () => {
		const redact = secretRedactor([], () => []);
		expect(redact('Authorization: Basic YXBpOnBhc3M=')).toBe('Authorization: Basic ***');
		expect(redact('{"sign":"87c3560d3331ae23f1021e2025722354"}')).toBe('{"sign":"***"}');
		expect(redact('GET /x?accessToken=abc.def&y=1')).toBe('GET /x?accessToken=***&y=1');
		expect(redact('GET /fields?tenant_id=144&app_key=46oKF%3Dos')).toBe('GET /fields?tenant_id=144&app_key=***');
	});

	it('finds the password-typed fields of a credential', () => {
		expect(passwordValues(new ThuliumApi(), { login: 'api_user', password: 'pw', systemName: 'x' })).toEqual(['pw']);
		expect(passwordValues(new ThuliumApi(), { login: 'api_user', password: '' })).toEqual([]);
		// A request carries a value trimmed (NXCLOUD's app_key): both forms are secrets.
		expect(passwordValues(new NxCloudApi(), { accessKey: 'k', accessSecret: 'as', appSecretKey: ' ak ' })).toEqual(['as', ' ak ', 'ak']);
	});
});

describe('a secret with a quote or backslash, quoted back by the vendor in JSON', () => {
	const sandbox = useTestSandbox();
	const n8n = n8nHarness();

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
});
