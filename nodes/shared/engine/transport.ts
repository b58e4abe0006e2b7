import type { IAdditionalCredentialOptions, ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { AdapterContext, BatchOperation, BatchReading, RetryPolicy, VendorError, VendorResponse } from './adapter';
import { SessionError } from './adapter';
import { defaultReading } from './defaultReading';
import { jsonBody } from './jsonBody';
import type { FailureCode } from './outcomes';
import { answerWords } from './outcomes';
import type { RunControl } from './runControl';
import { unexpectedCause } from './unexpectedErrors';

export interface TransportSettings extends RetryPolicy {
	timeout: number;
	resendUnknownOutcomes: boolean;
}

/**
 * What became of one call, after every retry the rules allow.
 * - `notDelivered`: the vendor said it did not process the request (429, 503, no connection).
 * - `notSent`: the run stopped before the request went out (again).
 * - `stopped`: a fatal error, which stopped the run; `recordCode` (and `recordError`, when it
 *   differs from the run's cause) tells what it means for this call's records.
 */
export type DeliveryResult =
	| Exclude<BatchReading, { kind: 'fatal' | 'resend' }>
	| { kind: 'notDelivered'; error: VendorError }
	| { kind: 'notSent' }
	| { kind: 'stopped'; error: VendorError; recordCode: FailureCode; recordError?: VendorError };

/** Statuses that say the request was not processed, so sending it again is safe [RFC 9110]. */
const NOT_PROCESSED_STATUSES = new Set([429, 503]);
/** Statuses a request that creates nothing (a token request) may also be repeated after. */
const GATEWAY_STATUSES = new Set([502, 504]);
/** Connection errors raised before the request reached the vendor. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** The address itself is wrong: no retry will help. */
const BAD_ADDRESS = new Set(['ENOTFOUND', 'ERR_INVALID_URL', 'ERR_INVALID_PROTOCOL']);
/**
 * A TLS handshake that failed: `https://` on a plain-HTTP port (EPROTO, "wrong version number"), a
 * certificate Node does not trust (self-signed, expired, for another host, an unknown issuer). The
 * handshake comes before the first byte of the request, so nothing was sent; like a wrong address,
 * no retry will help. Node gives OpenSSL's names for certificate errors, `ERR_SSL_*` and
 * `ERR_TLS_*` for others (n8n 1.x keeps only the name, as the error's `httpCode`, and the message).
 */
const TLS_FAILURE = /^(EPROTO|ERR_SSL_\w+|ERR_TLS_\w+|\w*CERT\w*|UNABLE_TO_\w+|HOSTNAME_MISMATCH)$/;
/** An OpenSSL error on an established connection (a corrupted record): the request may have gone out. */
const AFTER_HANDSHAKE = /RECORD_MAC|DECRYPTION_FAILED/;
/** OpenSSL's and Node's words for a failed handshake, where only a message is left to read. */
const TLS_TEXTS = /self[- ]signed certificate|certificate has expired|certificate is not yet valid|unable to verify the first certificate|unable to get (local )?issuer certificate|does not match certificate's altnames|wrong version number/i;

export function isTlsFailure(code: string | undefined): boolean {
	return code !== undefined && TLS_FAILURE.test(code) && !AFTER_HANDSHAKE.test(code);
}

/** Codes that say the node's settings (the base URL) are wrong: no request went out, and none will. */
function isSettingsFailure(code: string | undefined): boolean {
	return code !== undefined && (BAD_ADDRESS.has(code) || isTlsFailure(code));
}
/** Plain words for connection errors: n8n replaces a message that names the code with its own text. */
const CONNECTION_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	EAI_AGAIN: 'name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ENOTFOUND: 'host not found',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	ECONNRESET: 'connection reset',
	ERR_INVALID_URL: 'invalid URL',
	ERR_INVALID_PROTOCOL: 'invalid URL',
};
const MAX_WAIT = 10 * 60 * 1000;

/**
 * n8n 1.x wraps a connection error in a NodeApiError that keeps neither its code nor its cause:
 * only the original message (in `messages`) and n8n's descriptive text are left to read.
 */
const DESCRIPTIVE_TEXTS: Array<[RegExp, string]> = [
	[/refused the connection/i, 'ECONNREFUSED'],
	[/incorrect host|cannot be established/i, 'ENOTFOUND'],
	[/host is unreachable/i, 'EHOSTUNREACH'],
	[/DNS server returned an error/i, 'EAI_AGAIN'],
	[/connection timed out/i, 'ETIMEDOUT'],
	[/connection was aborted/i, 'ECONNABORTED'],
	[/closed (the connection )?unexpectedly/i, 'ECONNRESET'],
];

export function connectionErrorCode(error: unknown): string | undefined {
	const texts: string[] = [];
	let current = error as { code?: unknown; httpCode?: unknown; cause?: unknown; message?: unknown; messages?: unknown } | undefined;
	for (let depth = 0; current && depth < 4; depth++) {
		if (typeof current.code === 'string' && (/^E[A-Z_]+$/.test(current.code) || isTlsFailure(current.code))) return current.code;
		// n8n 1.x keeps the code as the wrapping error's httpCode (a name, where a status would be digits).
		if (typeof current.httpCode === 'string' && (/^E[A-Z_]+$/.test(current.httpCode) || isTlsFailure(current.httpCode))) return current.httpCode;
		if (Array.isArray(current.messages)) texts.push(...current.messages.map(String));
		if (typeof current.message === 'string') texts.push(current.message);
		current = current.cause as typeof current;
	}
	for (const text of texts) {
		const named = /\b(E[A-Z][A-Z_]{2,})\b/.exec(text)?.[1];
		if (named && (CONNECTION_WORDS[named] !== undefined || NOT_CONNECTED.has(named) || isTlsFailure(named))) return named;
	}
	for (const text of texts) if (TLS_TEXTS.test(text)) return 'ERR_SSL_HANDSHAKE';
	for (const text of texts) {
		for (const [pattern, code] of DESCRIPTIVE_TEXTS) if (pattern.test(text)) return code;
		if (/timeout/i.test(text)) return 'ETIMEDOUT';
		if (/socket hang up/i.test(text)) return 'ECONNRESET';
	}
	return undefined;
}

export function connectionWords(code: string | undefined): string {
	if (code === undefined) return 'no response';
	if (isTlsFailure(code)) return 'TLS handshake failed';
	return CONNECTION_WORDS[code] ?? code.toLowerCase().replace(/^e/, '').replace(/_/g, ' ');
}

/** Errors in n8n's own words (its HTTP helper, a credential's test): no record is quoted in them. */
const N8N_ERRORS: ReadonlySet<string> = new Set(['NodeApiError', 'NodeOperationError']);

/**
 * Why a thrown error stopped the run (a session that could not be had or renewed, a request that
 * could not be built): what `openSession` said in a SessionError, else the error's HTTP status
 * where n8n kept one, and the settings as the cause when the connection failed on the address.
 * Any other exception is named by its kind only.
 */
export function thrownStop(error: unknown): VendorError {
	if (error instanceof SessionError) return error.reason;
	const message = error instanceof Error ? error.message : String(error);
	const httpCode = (error as { httpCode?: unknown } | undefined)?.httpCode;
	const status = typeof httpCode === 'string' || typeof httpCode === 'number' ? Number(httpCode) : NaN;
	if (Number.isInteger(status) && status >= 100) return { message, httpStatus: status };
	const code = connectionErrorCode(error);
	if (code !== undefined || N8N_ERRORS.has((error as Error | undefined)?.name ?? '')) return isSettingsFailure(code) ? { message, cause: 'settings' } : { message };
	// Anything else is a bug (an adapter's buildRequest, say): its words may quote a record.
	return { message: `The node failed: ${unexpectedCause(error)}` };
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers ?? {}).find((candidate) => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

/** Milliseconds to wait as the vendor's Retry-After says (seconds or an HTTP date), if it says. */
export function retryAfterMs(headers: Record<string, unknown>, now = Date.now()): number | undefined {
	const value = header(headers, 'retry-after');
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.min(Math.max(seconds, 0) * 1000, MAX_WAIT);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.min(Math.max(date - now, 0), MAX_WAIT);
}

export function backoffMs(attempt: number, base = 500): number {
	const ceiling = Math.min(base * 2 ** attempt, 30000);
	return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function attempts(retries: number): string {
	return `${retries + 1} attempt${retries === 0 ? '' : 's'}`;
}

type RawResponse = { statusCode: number; headers?: Record<string, unknown>; body: unknown };

/**
 * A call that creates nothing (a token request), repeated while the vendor did not take it:
 * 429, 502, 503, 504 or no connection, as often as the policy allows. `attempt` returns the
 * response or throws what the HTTP helper threw; the last of those is handed back.
 */
export async function requestWithRetries(
	policy: RetryPolicy,
	attempt: () => Promise<RawResponse>,
): Promise<{ response: RawResponse } | { failed: unknown }> {
	const { run } = policy;
	const wait = async (ms: number) => (run ? await run.sleep(ms) : await sleep(ms));
	for (let retries = 0; ; retries++) {
		const answered = run ? await run.pacer.slot() : () => {};
		if (run?.stopped) return { failed: new Error('the run stopped') };
		let response: RawResponse;
		try {
			response = await attempt().finally(answered);
		} catch (error) {
			if (retries >= policy.maxRetries || isSettingsFailure(connectionErrorCode(error))) return { failed: error };
			await wait(backoffMs(retries, policy.backoffBase));
			continue;
		}
		const busy = NOT_PROCESSED_STATUSES.has(response.statusCode) || GATEWAY_STATUSES.has(response.statusCode);
		if (!busy || retries >= policy.maxRetries) return { response };
		const retryAfter = retryAfterMs(response.headers ?? {});
		if (response.statusCode === 429 && retryAfter !== undefined) run?.pacer.pause(retryAfter);
		await wait(retryAfter ?? backoffMs(retries, policy.backoffBase));
	}
}

/**
 * Session state shared by every batch of a run. `version` grows on each refresh, so a batch
 * rejected with an older session resends with the new one instead of refreshing again.
 */
export interface SessionState {
	context: Omit<AdapterContext, 'parameters'>;
	version: number;
	/** Sessions replaced by a refresh: their values stay secret too. */
	replaced: IDataObject[];
	/** The refresh under way: no request goes out meanwhile. */
	refreshing?: Promise<void>;
	/** The credential the run read at its start, handed to every request (see `credentialOptions`). */
	credentialOptions?: IAdditionalCredentialOptions;
	trial?: SessionTrial;
}

/**
 * The credential the run read, in the form `httpRequestWithAuthentication` takes it: n8n-core
 * (1.123 and 2.41 alike) then uses these values instead of loading and decrypting the credential
 * from its database again for every request, and still applies the credential's `authenticate`.
 * None of our credentials has a `preAuthentication` whose values could expire during a run.
 */
export function credentialOptions(fn: IExecuteFunctions, type: string, data: ICredentialDataDecryptedObject): IAdditionalCredentialOptions {
	const stored = fn.getNode().credentials?.[type];
	return { credentialsDecrypted: { id: stored?.id ?? '', name: stored?.name ?? '', type, data } };
}

/**
 * A session renewed after an unexplained refusal (`sessionMayExplain`) is on trial: its first
 * request the vendor answers goes alone, and the same refusal to it stops the run.
 */
interface SessionTrial {
	/** The renewed session's version. */
	version: number;
	/** The refusal that made the engine renew the session. */
	refusal: VendorError;
	/** The trial request, while it is under way: no other request goes out meanwhile. */
	underWay?: Promise<void>;
}

/** A request's permission to go out, with the session version it must use. */
interface Turn {
	version: number;
	/** Set when this request is the trial of a renewed session. */
	trial?: SessionTrial;
	/** Tells the pacer that the request was answered (or failed, or did not go out). */
	answered(): void;
	/** Ends this request's trial, if it is one, and its pacing (again: no effect). */
	end(): void;
}

/**
 * Waits until a request may go out: no session refresh or session trial under way, and the
 * pacer's turn. Undefined once the run stops.
 */
async function takeTurn(state: SessionState, run: RunControl): Promise<Turn | undefined> {
	for (;;) {
		const blocker = state.refreshing ?? state.trial?.underWay;
		if (blocker) await run.until(blocker);
		else {
			const answered = await run.pacer.slot();
			// Checked and claimed with no wait in between: one trial request, never two.
			if (!run.stopped && !state.refreshing && !state.trial?.underWay) {
				const trial = state.trial?.version === state.version ? state.trial : undefined;
				let endTrial = () => {};
				if (trial) {
					trial.underWay = new Promise<void>((resolve) => {
						endTrial = () => {
							trial.underWay = undefined;
							resolve();
						};
					});
				}
				const end = () => {
					answered();
					endTrial();
				};
				return { version: state.version, trial, answered, end };
			}
			answered();
		}
		if (run.stopped) return undefined;
	}
}

/** Renews the session once for every batch refused with version `usedVersion`, and waits for it (or for the run to stop). */
async function refreshSession(fn: IExecuteFunctions, operation: BatchOperation, state: SessionState, usedVersion: number, run: RunControl) {
	if (state.version !== usedVersion || !operation.openSession) return;
	if (!state.refreshing) {
		state.refreshing = (async () => {
			const fresh = await operation.openSession!.call(fn, { ...state.context, parameters: {} }, true);
			state.replaced.push(state.context.session);
			state.context.session = fresh;
			state.version++;
		})().finally(() => {
			state.refreshing = undefined;
		});
	}
	await run.until(state.refreshing);
}

/**
 * Whether an answer speaks of single records: then the vendor processed the request. Adapters
 * report per-record entries on any status, and the HTTP defaults read only a 2xx per record, so a
 * 429 or 503 read per record carried entries (even ones that cannot be matched to a record).
 */
function reportsRecords(reading: BatchReading): boolean {
	return reading.kind === 'perRecord';
}

function sameAnswer(a: VendorError, b: VendorError): boolean {
	return String(a.vendorCode) === String(b.vendorCode) && a.httpStatus === b.httpStatus;
}

/**
 * The delivery rule for what a reading claims. `rejected`, `resend` and `fatal` say nothing was
 * stored: that is believed from an HTTP 4xx, or from a vendor code the operation documents as a
 * whole-request refusal; from anything else the outcome is unknown, so no adapter can make the
 * engine split or resend a batch the vendor may have stored.
 */
export function trustedReading(reading: BatchReading, response: VendorResponse, operation: BatchOperation): BatchReading {
	if (reading.kind !== 'rejected' && reading.kind !== 'resend' && reading.kind !== 'fatal') return reading;
	if (response.statusCode >= 400 && response.statusCode < 500) return reading;
	const code = reading.error.vendorCode;
	if (code !== undefined && (operation.refusalCodes ?? []).some((refusal) => String(refusal) === String(code))) return reading;
	return {
		kind: 'unknown',
		error: { ...reading.error, message: `${reading.error.message}; the answer does not prove that nothing was stored` },
	};
}

/**
 * Sends one batch and reads the answer: retries what the vendor did not take (pausing the whole
 * run for a Retry-After), resends what the vendor refused without storing when sending again can
 * work (refreshing the session if asked), and never resends what may have been written unless
 * that is safe or allowed. An unexplained refusal renews the session before anything else is
 * sent; the same refusal to the renewed session stops the run. A fatal answer stops the run at
 * once, and no new attempt (nor wait) goes on once the run is stopping.
 */
export async function deliver(
	fn: IExecuteFunctions,
	operation: BatchOperation,
	state: SessionState,
	parameters: IDataObject,
	records: IDataObject[],
	settings: TransportSettings,
	run: RunControl,
): Promise<DeliveryResult> {
	let retries = 0;
	let resends = 0;
	let unknown: Extract<BatchReading, { kind: 'unknown' }> | undefined;
	const resendAllowed = operation.resendIsSafe || settings.resendUnknownOutcomes;

	const read = (response: VendorResponse): BatchReading => {
		try {
			return operation.readResponse(response, records) ?? defaultReading(response);
		} catch (error) {
			// The exception's own words may quote the answer, and so a customer (V8 quotes the text JSON.parse refuses).
			return { kind: 'unknown', error: { message: `The vendor's answer could not be read (${unexpectedCause(error)}): the customers may or may not have been stored`, httpStatus: response.statusCode } };
		}
	};

	// The run stops here, not when the batch is recorded, so that no half, retry or other batch
	// starts after a fatal answer. Once an attempt may have been stored, every later ending of
	// this call may have stored too.
	const stopped = (recordCode: FailureCode, error: VendorError, recordError = unknown?.error): DeliveryResult => {
		run.stop(error);
		return { kind: 'stopped', recordCode: unknown ? 'OUTCOME_UNKNOWN' : recordCode, error, ...(recordError ? { recordError } : {}) };
	};

	const backoff = async (waitMs?: number) => {
		await run.sleep(waitMs ?? backoffMs(retries, settings.backoffBase));
		retries++;
		run.stats.retries++;
	};

	/** One request and what its answer means; 'again' when the rules call for another attempt. */
	const attempt = async (turn: Turn): Promise<DeliveryResult | 'again'> => {
		const sessionVersion = turn.version;
		const request = operation.buildRequest(records, { ...state.context, parameters });
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			qs: request.qs,
			body: jsonBody(request.body),
			headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json', ...request.headers },
			json: true,
			timeout: settings.timeout,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};

		let response: VendorResponse;
		run.stats.requests++;
		try {
			const raw = (await fn.helpers.httpRequestWithAuthentication.call(fn, operation.credentialType, options, state.credentialOptions).finally(turn.answered)) as {
				statusCode: number;
				headers: Record<string, unknown>;
				body: unknown;
			};
			response = { statusCode: raw.statusCode, headers: raw.headers ?? {}, body: raw.body };
		} catch (error) {
			const code = connectionErrorCode(error);
			if (isTlsFailure(code)) {
				return stopped('NOT_DELIVERED', {
					message: `The secure connection to the vendor could not be set up (${connectionWords(code)}), so nothing was sent: check the base URL in the credential (https only where the server speaks it) and that the server's certificate is valid and trusted`,
					cause: 'settings',
				});
			}
			if (code !== undefined && BAD_ADDRESS.has(code)) {
				return stopped('NOT_DELIVERED', {
					message: `The vendor's address cannot be reached (${connectionWords(code)}): check the base URL in the credential`,
					cause: 'settings',
				});
			}
			if (code !== undefined && NOT_CONNECTED.has(code)) {
				if (retries < settings.maxRetries) {
					await backoff();
					return 'again';
				}
				return stopped('NOT_DELIVERED', {
					message: `Could not connect to the vendor (${connectionWords(code)}) after ${attempts(retries)}: check the base URL and that the service is up`,
				});
			}
			const reason = code === 'ETIMEDOUT' || code === 'ECONNABORTED' ? 'the request timed out' : `the connection failed (${connectionWords(code)})`;
			unknown = { kind: 'unknown', error: { message: `No answer from the vendor: ${reason}; the customers may or may not have been stored` } };
			if (resendAllowed && retries < settings.maxRetries) {
				await backoff();
				return 'again';
			}
			return unknown;
		}

		// A 429 or 503 means "not processed" only when the answer reports nothing per record: one
		// that lists records (a stored one, say) was processed, and is read like any other answer.
		const answer = read(response);
		const notProcessed = NOT_PROCESSED_STATUSES.has(response.statusCode) && !reportsRecords(answer);
		if (NOT_PROCESSED_STATUSES.has(response.statusCode)) {
			const waitMs = retryAfterMs(response.headers);
			if (response.statusCode === 429) {
				run.stats.rateLimited++;
				// The vendor's limit holds for every batch of the run, not only this one.
				if (waitMs !== undefined) run.pacer.pause(waitMs);
			}
			if (notProcessed && retries < settings.maxRetries) {
				await backoff(waitMs);
				return 'again';
			}
		}
		if (notProcessed) {
			if (unknown) return unknown;
			const said = 'error' in answer ? answer.error : { message: '' };
			return {
				kind: 'notDelivered',
				error: {
					...said,
					message: `The vendor did not take the request after ${attempts(retries)}: ${said.message || `HTTP ${response.statusCode}`}`,
					httpStatus: response.statusCode,
				},
			};
		}

		const reading = trustedReading(answer, response, operation);
		const unexplained = reading.kind === 'unknown' && reading.sessionMayExplain === true && operation.openSession !== undefined;
		if (turn.trial) {
			if (reading.kind === 'unknown' && unexplained && sameAnswer(reading.error, turn.trial.refusal)) {
				unknown = reading;
				const cause = `The vendor refused a request made with a renewed session the same way as before the renewal (${answerWords(reading.error)}) and did not say why: a configuration problem, not one customer's; check the credential (its access may have been revoked) and the node's settings`;
				return stopped('OUTCOME_UNKNOWN', { message: cause, cause: 'settings' });
			}
			// Any other answer: the renewed session is not refused the same way.
			if (state.trial === turn.trial) state.trial = undefined;
		}
		if (reading.kind === 'unknown' && unexplained) {
			// The refused batch keeps its honest outcome and is never resent; nothing else goes out
			// until the session is renewed, and the renewed session's first request is its trial.
			unknown = reading;
			if (sessionVersion === state.version) {
				state.trial = { version: sessionVersion + 1, refusal: reading.error };
				await refreshSession(fn, operation, state, sessionVersion, run);
			}
			return reading;
		}
		if (reading.kind === 'resend') {
			// Refused without storing, so sending again is safe: once for a stale request (a
			// timestamp), as often as retries allow for a session another worker may have replaced.
			if (resends < (reading.refreshSession ? Math.max(settings.maxRetries, 1) : 1)) {
				if (resends > 0) await backoff();
				resends++;
				if (reading.refreshSession) await refreshSession(fn, operation, state, sessionVersion, run);
				return 'again';
			}
			if (unknown) return unknown;
			// Refused again after the cure (a fresh token, a fresh timestamp): no batch can do better.
			return stopped('CONFIGURATION_ERROR', reading.error);
		}
		if (reading.kind === 'fatal') return stopped('CONFIGURATION_ERROR', reading.error);
		if (reading.kind === 'unknown') {
			unknown = reading;
			if (resendAllowed && retries < settings.maxRetries) {
				await backoff();
				return 'again';
			}
		}
		if (reading.kind === 'rejected' && unknown) return unknown;
		return reading;
	};

	try {
		for (;;) {
			const turn = await takeTurn(state, run);
			if (!turn) return unknown ?? { kind: 'notSent' };
			try {
				const result = await attempt(turn);
				if (result !== 'again') return result;
			} finally {
				turn.end();
			}
		}
	} catch (error) {
		// A session that could not be renewed, a request that could not be built: nothing of this
		// attempt went out.
		if (run.stopped) return unknown ?? { kind: 'notSent' };
		return stopped('NOT_SENT', thrownStop(error));
	}
}
