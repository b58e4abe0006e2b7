import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { AdapterContext, BatchOperation, BatchReading, VendorError, VendorResponse } from './adapter';
import { defaultReading } from './defaultReading';

export interface TransportSettings {
	maxRetries: number;
	timeout: number;
	resendUnknownOutcomes: boolean;
	/** Milliseconds; the first backoff step, doubled each retry. */
	backoffBase?: number;
}

/** The vendor did not take the request (after every retry): nothing was written. */
export type DeliveryResult = BatchReading | { kind: 'notDelivered'; error: VendorError };

/** Statuses that mean the request was not processed, so resending is safe. */
const RESEND_STATUSES = new Set([429, 502, 503, 504]);
/** Connection errors raised before the request reached the vendor. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** The address itself is wrong: no retry will help. */
const BAD_ADDRESS = new Set(['ENOTFOUND', 'ERR_INVALID_URL', 'ERR_INVALID_PROTOCOL']);
const MAX_WAIT = 10 * 60 * 1000;

function connectionErrorCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 4; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	const message = String((error as Error)?.message ?? '');
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	if (/socket hang up/i.test(message)) return 'ECONNRESET';
	return undefined;
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

/**
 * Session state shared by every batch of a run. `version` grows on each refresh, so a batch
 * rejected with an older session resends with the new one instead of refreshing again.
 */
export interface SessionState {
	context: AdapterContext;
	version: number;
	/** Sessions replaced by a refresh: their values stay secret too. */
	replaced: IDataObject[];
	refreshing?: Promise<void>;
}

async function refreshSession(fn: IExecuteFunctions, operation: BatchOperation, state: SessionState, usedVersion: number) {
	if (state.version !== usedVersion || !operation.openSession) return;
	if (!state.refreshing) {
		state.refreshing = (async () => {
			const fresh = await operation.openSession!.call(fn, state.context, true);
			state.replaced.push(state.context.session);
			state.context.session = fresh;
			state.version++;
		})().finally(() => {
			state.refreshing = undefined;
		});
	}
	await state.refreshing;
}

/**
 * Sends one batch and reads the answer: retries what the vendor did not take, resends once
 * what the adapter says can be resent (refreshing the session if asked), never resends what
 * may have been written unless that is safe or allowed.
 */
export async function deliver(
	fn: IExecuteFunctions,
	operation: BatchOperation,
	state: SessionState,
	records: IDataObject[],
	settings: TransportSettings,
): Promise<DeliveryResult> {
	let retries = 0;
	let resent = false;
	const resendAllowed = operation.resendIsSafe || settings.resendUnknownOutcomes;

	const waitBeforeRetry = async (waitMs?: number) => {
		await sleep(waitMs ?? backoffMs(retries, settings.backoffBase));
		retries++;
	};

	for (;;) {
		const sessionVersion = state.version;
		const request = operation.buildRequest(records, state.context);
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			qs: request.qs,
			body: request.body,
			headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json', ...request.headers },
			json: true,
			timeout: settings.timeout,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};

		let response: VendorResponse;
		try {
			const raw = (await fn.helpers.httpRequestWithAuthentication.call(fn, operation.credentialType, options)) as {
				statusCode: number;
				headers: Record<string, unknown>;
				body: unknown;
			};
			response = { statusCode: raw.statusCode, headers: raw.headers ?? {}, body: raw.body };
		} catch (error) {
			const code = connectionErrorCode(error);
			if (code !== undefined && BAD_ADDRESS.has(code)) {
				return { kind: 'fatal', error: { message: `The vendor's address cannot be resolved (${code}): check the base URL in the credential` } };
			}
			if (code !== undefined && NOT_CONNECTED.has(code)) {
				if (retries < settings.maxRetries) {
					await waitBeforeRetry();
					continue;
				}
				const attempts = `${retries + 1} attempt${retries === 0 ? '' : 's'}`;
				return { kind: 'fatal', error: { message: `Could not connect to the vendor (${code}) after ${attempts}: check the base URL and that the service is up` } };
			}
			const reason = code === 'ETIMEDOUT' || code === 'ECONNABORTED' ? 'the request timed out' : `the connection failed (${code ?? 'no response'})`;
			if (resendAllowed && retries < settings.maxRetries) {
				await waitBeforeRetry();
				continue;
			}
			return { kind: 'unknown', error: { message: `No answer from the vendor: ${reason}; the customers may or may not have been stored` } };
		}

		if (RESEND_STATUSES.has(response.statusCode)) {
			if (retries < settings.maxRetries) {
				await waitBeforeRetry(retryAfterMs(response.headers));
				continue;
			}
			const reading = operation.readResponse(response, records) ?? defaultReading(response);
			const said = 'error' in reading ? reading.error : { message: '' };
			const attempts = `${retries + 1} attempt${retries === 0 ? '' : 's'}`;
			return {
				kind: 'notDelivered',
				error: { ...said, message: `The vendor did not take the request after ${attempts}: ${said.message || `HTTP ${response.statusCode}`}`, httpStatus: response.statusCode },
			};
		}

		const reading = operation.readResponse(response, records) ?? defaultReading(response);
		if (reading.kind === 'resend') {
			if (resent) {
				return reading.refreshSession ? { kind: 'fatal', error: reading.error } : { kind: 'notDelivered', error: reading.error };
			}
			resent = true;
			if (reading.refreshSession) await refreshSession(fn, operation, state, sessionVersion);
			continue;
		}
		if (reading.kind === 'unknown' && resendAllowed && retries < settings.maxRetries) {
			await waitBeforeRetry();
			continue;
		}
		return reading;
	}
}
