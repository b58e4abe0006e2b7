import type { BatchReading, VendorError, VendorResponse } from './adapter';

/** A short, readable excerpt of a body that is not the vendor's JSON (an HTML error page, say). */
export function bodyExcerpt(body: unknown): string {
	if (body === undefined || body === null || body === '') return 'an empty body';
	if (typeof body !== 'string') return 'an unexpected JSON body';
	const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
	return `a non-JSON body: "${text.length > 120 ? `${text.slice(0, 120)}…` : text}"`;
}

/**
 * A vendor's message as a clause inside one of ours, without the punctuation that closes it:
 * `(HTTP 401: Unauthorized)`, not `(HTTP 401: Unauthorized.)`.
 */
export function asClause(message: string): string {
	return message.trim().replace(/[\s.;:,!]+$/, '');
}

/**
 * What an HTTP status means when nothing vendor-specific decides it. An adapter that found the
 * vendor's own error (a message, a code) passes it in, so the reading tells what the vendor said.
 */
export function defaultReading(response: VendorResponse, vendorSaid?: VendorError): BatchReading {
	const { statusCode: status } = response;
	const said = vendorSaid?.message && asClause(vendorSaid.message) ? `: ${asClause(vendorSaid.message)}` : '';
	const error: VendorError = {
		...vendorSaid,
		httpStatus: status,
		message: `The vendor answered HTTP ${status}${said || ` with ${bodyExcerpt(response.body)}`}`,
	};
	if (status >= 200 && status < 300) return { kind: 'perRecord', results: [] };
	const code = vendorSaid?.vendorCode === undefined ? '' : `, code ${String(vendorSaid.vendorCode)}`;
	if (status === 401 || status === 403) {
		const check = "check the credential's login, secret and permissions";
		return { kind: 'fatal', error: { ...error, message: `Authentication failed (HTTP ${status}${said}): ${check}`, runCause: `Authentication failed (HTTP ${status}${code}): ${check}` } };
	}
	if (status === 404 || status === 405) {
		const check = 'check the base URL in the credential';
		return { kind: 'fatal', error: { ...error, message: `The vendor has no such endpoint (HTTP ${status}${said}): ${check}`, runCause: `The vendor has no such endpoint (HTTP ${status}${code}): ${check}` } };
	}
	if (status >= 400 && status < 500 && status !== 408) return { kind: 'rejected', error };
	return { kind: 'unknown', error };
}
