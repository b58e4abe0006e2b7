import type { IHttpRequestOptions } from 'n8n-workflow';

import { DustessApi } from '../../credentials/DustessApi.credentials';
import { clearTokenCache, getAccessToken, lifetimeSeconds, scrubTokens } from '../../nodes/Dustess/accessToken';
import { startFakeServer } from '../helpers/fakeServer';
import type { FakeServer } from '../helpers/fakeServer';
import { n8nHarness } from '../helpers/n8nWorkflow';

const n8n = n8nHarness();
const servers: FakeServer[] = [];

/**
 * A token endpoint that counts requests and hands out tok-1, tok-2, …, and the credentials that
 * point at it. `inNode` runs the test's calls inside a node of a real n8n run, so the requests
 * go through n8n's httpRequestWithAuthentication and the credential's own `authenticate`.
 */
async function tokenServer(answer: (count: number) => unknown = (count) => ({ success: true, code: 0, data: { accessToken: `tok-${count}`, expiresIn: 7200 } })) {
	const server = await startFakeServer((_request, count) => ({ statusCode: 200, body: answer(count) }));
	servers.push(server);
	const credentials = { baseUrl: `${server.url}/`, clientId: 'client-1', clientSecret: 'secret-1' };
	const inNode = <T>(body: Parameters<typeof n8n.inNode<T>>[1]) => n8n.inNode({ credentials: { dustessApi: credentials } }, body);
	return { credentials, requests: server.requests, inNode, url: server.url };
}

beforeEach(() => clearTokenCache());
afterEach(() => jest.restoreAllMocks());
afterAll(async () => Promise.all(servers.map((server) => server.close())));

describe('the Dustess token cache', () => {
	it('asks once with the client ID and secret in the body, then reuses the token', async () => {
		const { inNode, credentials, requests } = await tokenServer();
		const tokens = await inNode(async (fn) => [await getAccessToken(fn, credentials), await getAccessToken(fn, credentials)]);
		expect(tokens).toEqual(['tok-1', 'tok-1']);
		expect(requests).toHaveLength(1);
		expect(requests[0]).toMatchObject({
			method: 'POST',
			path: '/auth/v1/access_token/token',
			body: { clientId: 'client-1', clientSecret: 'secret-1' },
		});
	});

	it('shares one request between concurrent callers', async () => {
		const { inNode, credentials, requests } = await tokenServer();
		const tokens = await inNode(async (fn) => await Promise.all([getAccessToken(fn, credentials), getAccessToken(fn, credentials), getAccessToken(fn, credentials)]));
		expect(tokens).toEqual(['tok-1', 'tok-1', 'tok-1']);
		expect(requests).toHaveLength(1);
	});

	it('fetches a new token for a rejected one, but hands out a newer one another run already got', async () => {
		const { inNode, credentials, requests } = await tokenServer();
		await inNode(async (fn) => await getAccessToken(fn, credentials));
		expect(await inNode(async (fn) => await getAccessToken(fn, credentials, 'tok-1'))).toBe('tok-2');
		// A second run still holding tok-1 is told about tok-2 without another request.
		expect(await inNode(async (fn) => await getAccessToken(fn, credentials, 'tok-1'))).toBe('tok-2');
		expect(requests).toHaveLength(2);
	});

	it('renews shortly before expiresIn runs out, and assumes two hours when it is missing', async () => {
		const start = 1_700_000_000_000;
		const { inNode, credentials, requests } = await tokenServer((count) => ({ success: true, code: 0, data: { accessToken: `tok-${count}`, ...(count === 1 ? { expiresIn: 1000 } : {}) } }));
		const now = jest.spyOn(Date, 'now').mockReturnValue(start);
		await inNode(async (fn) => {
			await getAccessToken(fn, credentials);
			now.mockReturnValue(start + 899_000); // lifetime 1000 s, margin 100 s
			expect(await getAccessToken(fn, credentials)).toBe('tok-1');
			now.mockReturnValue(start + 901_000);
			expect(await getAccessToken(fn, credentials)).toBe('tok-2');
			now.mockReturnValue(start + 901_000 + 6_899_000); // 7200 s assumed, 300 s margin
			expect(await getAccessToken(fn, credentials)).toBe('tok-2');
			now.mockReturnValue(start + 901_000 + 6_901_000);
			expect(await getAccessToken(fn, credentials)).toBe('tok-3');
		});
		expect(requests).toHaveLength(3);
	});

	it('keeps one entry per credential', async () => {
		const { inNode, credentials, requests, url } = await tokenServer();
		await inNode(async (fn) => {
			await getAccessToken(fn, credentials);
			await getAccessToken(fn, { ...credentials, clientSecret: 'rotated' });
			await getAccessToken(fn, { ...credentials, baseUrl: `${url}/other` });
		});
		expect(requests).toHaveLength(3);
	});

	it('reads expiresIn as seconds, or as an epoch time when it can only be one', () => {
		const now = 1_700_000_000_000;
		expect(lifetimeSeconds(7200, now)).toBe(7200);
		expect(lifetimeSeconds('3600', now)).toBe(3600);
		expect(lifetimeSeconds(undefined, now)).toBe(7200);
		expect(lifetimeSeconds(now / 1000 + 600, now)).toBe(600);
		expect(lifetimeSeconds(now + 600_000, now)).toBe(600);
	});

	it('explains a refused secret without repeating it', async () => {
		const { inNode, credentials } = await tokenServer(() => ({ success: false, code: 10003, msg: 'clientId 或 clientSecret 错误', data: null }));
		const error = await inNode(async (fn) => await getAccessToken(fn, credentials).catch((caught: Error) => caught));
		expect((error as Error).message).toBe(
			'Dustess refused the client ID or secret when asked for an access token (HTTP 200, code 10003: clientId 或 clientSecret 错误): check the credential',
		);
	});

	it('masks tokens it issued and any accessToken query value', async () => {
		const { inNode, credentials } = await tokenServer();
		await inNode(async (fn) => await getAccessToken(fn, credentials));
		expect(scrubTokens('token tok-1 in https://x/y?accessToken=zzz&a=1')).toBe('token *** in https://x/y?accessToken=***&a=1');
	});
});

describe('the Dustess credential', () => {
	const credentials = { baseUrl: 'https://dustess.test/', clientId: 'client-1', clientSecret: 'secret-1' };
	const credential = new DustessApi();
	const authenticate = credential.authenticate as (c: object, o: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

	it('adds the client ID and secret to the token request only', async () => {
		const token = await authenticate(credentials, { url: 'https://d.test/auth/v1/access_token/token', method: 'POST', body: {} });
		expect(token.body).toEqual({ clientId: 'client-1', clientSecret: 'secret-1' });
		// The credential test's request: a relative url under baseURL.
		const test = await authenticate(credentials, { baseURL: 'https://d.test', url: '/auth/v1/access_token/token', method: 'POST' });
		expect(test.body).toEqual({ clientId: 'client-1', clientSecret: 'secret-1' });
		const call = { url: 'https://d.test/customer/v1/batchAddCustomer', method: 'POST' as const, qs: { accessToken: 't' }, body: { customer_list: [] } };
		expect(await authenticate(credentials, call)).toEqual(call);
		// A base URL ending in `#` or `?` makes a batch's URL end like the token request's: its JSON bytes are left as they are.
		const bytes = Buffer.from('{"customer_list":[]}');
		const lookalike = { url: 'https://d.test/auth/v1/access_token/token#/customer/v1/batchAddCustomer', method: 'POST' as const, body: bytes };
		expect((await authenticate(credentials, lookalike)).body).toBe(bytes);
	});

	it('tests by asking for a token, failing when Dustess answers success: false', () => {
		expect(credential.test.request).toMatchObject({ method: 'POST', url: '/auth/v1/access_token/token' });
		expect(credential.test.rules).toEqual([
			{ type: 'responseSuccessBody', properties: { key: 'success', value: false, message: 'Dustess refused the client ID or secret' } },
		]);
		expect(credential.properties.find((property) => property.name === 'clientSecret')?.typeOptions).toEqual({ password: true });
		expect(credential.properties.find((property) => property.name === 'baseUrl')?.default).toBe('https://qw-openapi-tx.dustess.com');
	});
});
