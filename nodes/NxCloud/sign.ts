import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * NXCLOUD's request signature (VENDORS.md §1, the vendor's "API interface invocation
 * convention"). Every request carries `accessKey`, `ts`, `bizType`, `action` and `sign`; the
 * secret itself is never sent.
 *
 *   sign = lowercase hex MD5( headersStr + bodyStr + "&accessSecret=" + secret )  (UTF-8)
 *
 * `headersStr` is the required headers except `sign`, sorted by name, as `key=value` joined by
 * `&`; `bodyStr` is `&body=` followed by the request body exactly as it is sent (so the body must
 * be serialised once, and those bytes both signed and sent), left out when there is no body.
 */

/** `bizType` and `action` of the CDP customer endpoints: fixed values [doc]. */
export const NXCLOUD_BIZ_TYPE = '2';
export const NXCLOUD_ACTION = 'mt';

export interface NxCloudSignatureHeaders {
	accessKey: string;
	action: string;
	bizType: string;
	ts: string;
	sign: string;
}

export interface SignatureInput {
	accessKey: string;
	accessSecret: string;
	/** The body text exactly as it is sent; undefined (or empty) for a request without a body. */
	body?: string;
	/** Milliseconds since the epoch; now when left out. */
	ts?: number | string;
	bizType?: string;
	action?: string;
}

/** The text that is hashed. */
export function signingText(headers: Record<string, string>, body: string | undefined, accessSecret: string): string {
	const headersText = Object.keys(headers)
		.filter((name) => name !== 'sign')
		.sort()
		.map((name) => `${name}=${headers[name]}`)
		.join('&');
	const bodyText = body === undefined || body === '' ? '' : `&body=${body}`;
	return `${headersText}${bodyText}&accessSecret=${accessSecret}`;
}

export function md5Hex(text: string): string {
	return createHash('md5').update(text, 'utf8').digest('hex');
}

/** The five headers of one request, with a `ts` of now unless one is given. */
export function signatureHeaders(input: SignatureInput): NxCloudSignatureHeaders {
	const headers = {
		accessKey: input.accessKey,
		action: input.action ?? NXCLOUD_ACTION,
		bizType: input.bizType ?? NXCLOUD_BIZ_TYPE,
		ts: String(input.ts ?? Date.now()),
	};
	return { ...headers, sign: md5Hex(signingText(headers, input.body, input.accessSecret)) };
}

/**
 * Signs a request as NXCLOUD requires (VENDORS.md §1). n8n calls this for every request, retries
 * included, so each attempt gets its own `ts` and `sign`. The body is signed as the exact text that
 * is sent: a string body or bytes are left as they are, an object is serialised once here and sent
 * as that text.
 */
export async function signRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const method = String(requestOptions.method ?? 'GET').toUpperCase();
	const signed: IHttpRequestOptions = { ...requestOptions };
	let body: string | undefined;
	// n8n sends no body with GET (the credential test's request carries an empty object).
	if (method !== 'GET' && method !== 'HEAD' && requestOptions.body !== undefined && requestOptions.body !== null) {
		if (Buffer.isBuffer(requestOptions.body)) {
			// The engine's JSON bytes (engine/jsonBody): signed as their text, sent as they are.
			body = requestOptions.body.toString('utf8');
		} else {
			body = typeof requestOptions.body === 'string' ? requestOptions.body : JSON.stringify(requestOptions.body);
			signed.body = body;
		}
	}
	const headers = signatureHeaders({
		accessKey: String(credentials.accessKey ?? '').trim(),
		accessSecret: String(credentials.accessSecret ?? ''),
		body,
	});
	signed.headers = { ...(requestOptions.headers ?? {}), ...headers };
	return signed;
}
