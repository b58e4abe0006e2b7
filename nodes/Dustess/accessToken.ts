import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { RetryPolicy } from '../shared/engine/adapter';
import { SessionError } from '../shared/engine/adapter';
import { connectionErrorCode, connectionWords, requestWithRetries, thrownStop } from '../shared/engine/transport';

/**
 * Dustess access tokens (VENDORS.md §2): `POST {base}/auth/v1/access_token/token` with
 * `{clientId, clientSecret}` → `{code: 0, success: true, data: {accessToken, expiresIn?}}`.
 *
 * n8n's expirable credential property refreshes only when a request throws HTTP 401, and
 * Dustess may say "token expired" inside a 200 body, so the token is cached here instead: one
 * entry per credential (base URL, client ID, a hash of the secret), shared by every execution
 * of this n8n process, reused until shortly before it expires, replaced when a call rejects it.
 */

export const DUSTESS_CREDENTIAL = 'dustessApi';
export const DEFAULT_BASE_URL = 'https://qw-openapi-tx.dustess.com';
/** The token endpoint [code]. */
export const GRANT_PATH = '/auth/v1/access_token/token';

/** The lifetime is not published; third-party code points to about two hours. */
const ASSUMED_LIFETIME_S = 2 * 60 * 60;
/** Renew this long before the stated expiry: at most 5 minutes, at most a tenth of the lifetime. */
const SAFETY_MARGIN_S = 5 * 60;
const TOKEN_REQUEST_TIMEOUT_MS = 30000;

interface CachedToken {
	token: string;
	expiresAt: number;
}

const cache = new Map<string, CachedToken>();
const fetching = new Map<string, Promise<CachedToken>>();
/** Recent tokens of this process, so that vendor messages echoing one can be scrubbed. */
const issued: string[] = [];
const REMEMBERED_TOKENS = 50;

export function dustessBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const base = String(credentials.baseUrl ?? '').trim() || DEFAULT_BASE_URL;
	return base.replace(/\/+$/, '');
}

function cacheKey(credentials: ICredentialDataDecryptedObject): string {
	const secret = createHash('sha256').update(String(credentials.clientSecret ?? '')).digest('hex');
	return [dustessBaseUrl(credentials), String(credentials.clientId ?? ''), secret].join('\n');
}

/** Forgets every cached token (tests; a credential whose secret was rotated gets a new key anyway). */
export function clearTokenCache(): void {
	cache.clear();
	fetching.clear();
}

/** Masks every token this process obtained, and any `accessToken=` query value, in a text. */
export function scrubTokens(text: string): string {
	let scrubbed = text.replace(/(accessToken=)[^&\s"'#]+/gi, '$1***');
	for (const token of issued) scrubbed = scrubbed.split(token).join('***');
	return scrubbed;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Seconds until expiry from `expiresIn`. The unit is not published: a lifetime in seconds is
 * assumed, and values that can only be epoch timestamps (seconds or milliseconds) are read so.
 */
export function lifetimeSeconds(expiresIn: unknown, now: number): number {
	const value = Number(expiresIn);
	if (expiresIn === undefined || expiresIn === null || expiresIn === '' || !Number.isFinite(value) || value <= 0) {
		return ASSUMED_LIFETIME_S;
	}
	if (value > 1e12) return Math.max((value - now) / 1000, 0);
	if (value > 1e9) return Math.max(value - now / 1000, 0);
	return value;
}

function expiryOf(expiresIn: unknown, now: number): number {
	const lifetime = lifetimeSeconds(expiresIn, now);
	const margin = Math.min(SAFETY_MARGIN_S, lifetime / 10);
	return now + (lifetime - margin) * 1000;
}

/** What the vendor said, e.g. `code 10003: clientSecret error`, for an error message. */
function vendorText(body: unknown): string {
	if (!isObject(body)) return '';
	return [body.code !== undefined ? `code ${String(body.code)}` : '', body.msg ? String(body.msg) : ''].filter(Boolean).join(': ');
}

async function requestToken(fn: IExecuteFunctions, credentials: ICredentialDataDecryptedObject, policy: RetryPolicy): Promise<CachedToken> {
	// The credential's `authenticate` adds clientId and clientSecret to this request's body only.
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: `${dustessBaseUrl(credentials)}${GRANT_PATH}`,
		body: {},
		headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
		json: true,
		timeout: TOKEN_REQUEST_TIMEOUT_MS,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	// A token request creates nothing: it is repeated whenever the vendor did not take it.
	const answer = await requestWithRetries(
		policy,
		async () => (await fn.helpers.httpRequestWithAuthentication.call(fn, DUSTESS_CREDENTIAL, options)) as { statusCode: number; body: unknown },
	);
	if ('failed' in answer) {
		const code = connectionErrorCode(answer.failed);
		const message = `Could not get a Dustess access token: no answer from the token endpoint (${connectionWords(code)}). Check the base URL in the credential.`;
		// The engine tells a wrong address or a failed TLS handshake (the settings' fault) from an outage.
		throw new SessionError(fn.getNode(), { ...thrownStop(answer.failed), message, runCause: message });
	}
	const { statusCode, body } = answer.response;
	const data = isObject(body) && isObject(body.data) ? body.data : {};
	const token = data.accessToken ?? data.access_token;
	const refused = !isObject(body) || body.success === false || (body.code !== undefined && Number(body.code) !== 0);
	if (statusCode >= 200 && statusCode < 300 && !refused && typeof token === 'string' && token !== '') {
		const now = Date.now();
		issued.push(token);
		if (issued.length > REMEMBERED_TOKENS) issued.shift();
		return { token, expiresAt: expiryOf(data.expiresIn ?? data.expires_in, now) };
	}
	const said = vendorText(body);
	const code = isObject(body) && body.code !== undefined ? `, code ${String(body.code)}` : '';
	let message: string;
	let runCause: string;
	if (statusCode >= 500) {
		message = `Could not get a Dustess access token: the token endpoint answered HTTP ${statusCode}${said ? ` (${said})` : ''}`;
		runCause = `Could not get a Dustess access token: the token endpoint answered HTTP ${statusCode}${code}`;
	} else if (!isObject(body) || statusCode === 404) {
		message = `Could not get a Dustess access token: the token endpoint answered HTTP ${statusCode} without Dustess's JSON. Check the base URL in the credential.`;
		runCause = message;
	} else {
		message = `Dustess refused the client ID or secret when asked for an access token (HTTP ${statusCode}${said ? `, ${said}` : ''}): check the credential`;
		runCause = `Dustess refused the client ID or secret when asked for an access token (HTTP ${statusCode}${code}): check the credential`;
	}
	throw new SessionError(fn.getNode(), { message: scrubTokens(message), runCause: scrubTokens(runCause), httpStatus: statusCode });
}

/**
 * The access token for these credentials: the cached one while it is valid, otherwise a new
 * one. `rejected` is a token a call was just refused with: it is not handed out again, but a
 * newer token another execution already fetched is. Concurrent callers share one request.
 */
export async function getAccessToken(
	fn: IExecuteFunctions,
	credentials: ICredentialDataDecryptedObject,
	rejected?: string,
	policy: RetryPolicy = { maxRetries: 3 },
): Promise<string> {
	const key = cacheKey(credentials);
	const cached = cache.get(key);
	if (cached && cached.token !== rejected && cached.expiresAt > Date.now()) return cached.token;
	if (cached) cache.delete(key);

	let pending = fetching.get(key);
	if (!pending) {
		pending = requestToken(fn, credentials, policy)
			.then((fresh) => {
				cache.set(key, fresh);
				return fresh;
			})
			.finally(() => fetching.delete(key));
		fetching.set(key, pending);
	}
	return (await pending).token;
}
