import type { IDataObject } from 'n8n-workflow';

import type { Problem } from '../schema/fieldSchema';
import type { VendorError } from './adapter';

export type FailureCode =
	/** The item did not pass validation (its fields or its request parameters) and was not sent. */
	| 'INVALID_RECORD'
	/** The same customer (by its natural key) came earlier in this run's input: not sent. */
	| 'DUPLICATE_IN_INPUT'
	/** The vendor refused this record. */
	| 'VENDOR_REJECTED'
	/** The vendor answered without a result for this record: it may have been stored. */
	| 'NO_RESULT'
	/** The request may have been stored (a 500, a timeout, a dropped connection…): not resent. */
	| 'OUTCOME_UNKNOWN'
	/** The vendor said it did not process the request (429, 503, no connection), after every retry. */
	| 'NOT_DELIVERED'
	/** The run stopped on a fatal error before this record was sent. */
	| 'NOT_SENT'
	/** The vendor refused the request for a reason no record causes (credentials, settings). */
	| 'CONFIGURATION_ERROR'
	/** A Failure item of this node came back after its last allowed attempt: not sent again. */
	| 'RETRIES_EXHAUSTED';

/**
 * What each code promises. `retriable`: sending the item again cannot create a duplicate (and
 * nothing about the item itself stands in the way). `mayBeStored`: the vendor may hold it already.
 * RETRIES_EXHAUSTED is not retriable because this node will not send the item again; it carries
 * `mayBeStored` over from the item's last attempt.
 */
const PROMISES: Record<FailureCode, { retriable: boolean; mayBeStored: boolean }> = {
	INVALID_RECORD: { retriable: false, mayBeStored: false },
	DUPLICATE_IN_INPUT: { retriable: false, mayBeStored: false },
	VENDOR_REJECTED: { retriable: false, mayBeStored: false },
	NO_RESULT: { retriable: false, mayBeStored: true },
	OUTCOME_UNKNOWN: { retriable: false, mayBeStored: true },
	NOT_DELIVERED: { retriable: true, mayBeStored: false },
	NOT_SENT: { retriable: true, mayBeStored: false },
	CONFIGURATION_ERROR: { retriable: true, mayBeStored: false },
	RETRIES_EXHAUSTED: { retriable: false, mayBeStored: false },
};

/**
 * What the user should do next about a Failure row (`error.nextStep`), for a Filter to act on:
 * - `sendAgainLater`: nothing was stored and the vendor was unavailable (429, 503, no
 *   connection, an outage that stopped the run), or a resend is harmless (an update by id):
 *   send the row again after a pause.
 * - `fixSettings`: the credential, the base URL or a node setting stands in the way.
 * - `fixData`: the row itself is invalid or the vendor refused it: correct it first.
 * - `checkVendorFirst`: the vendor may have stored it: look it up before sending it again.
 * - `none`: nothing to send again (a duplicate row, or retries exhausted).
 */
export type NextStep = 'sendAgainLater' | 'fixSettings' | 'fixData' | 'checkVendorFirst' | 'none';

/**
 * Why a code ended as it did, where one code has several causes: the node's settings (a refused
 * credential, a wrong address, a request parameter), the vendor being unavailable (overloaded,
 * down), or a resend being safe although the row may be stored (an idempotent update).
 */
export type FailureCause = 'settings' | 'vendorUnavailable' | 'safeResend';

/** The next step for every code: `usual`, unless the cause has an entry of its own. */
const NEXT_STEPS: Record<FailureCode, { usual: NextStep } & Partial<Record<FailureCause, NextStep>>> = {
	INVALID_RECORD: { usual: 'fixData', settings: 'fixSettings' },
	DUPLICATE_IN_INPUT: { usual: 'none' },
	VENDOR_REJECTED: { usual: 'fixData' },
	NO_RESULT: { usual: 'checkVendorFirst', safeResend: 'sendAgainLater' },
	OUTCOME_UNKNOWN: { usual: 'checkVendorFirst', safeResend: 'sendAgainLater' },
	NOT_DELIVERED: { usual: 'sendAgainLater', vendorUnavailable: 'sendAgainLater', settings: 'fixSettings' },
	NOT_SENT: { usual: 'sendAgainLater', vendorUnavailable: 'sendAgainLater', settings: 'fixSettings' },
	CONFIGURATION_ERROR: { usual: 'fixSettings' },
	RETRIES_EXHAUSTED: { usual: 'none' },
};

export function nextStepOf(code: FailureCode, cause?: FailureCause): NextStep {
	const steps = NEXT_STEPS[code];
	return (cause && steps[cause]) ?? steps.usual;
}

/** The `error` object of a Failure item. */
export interface FailureDetails {
	message: string;
	code: FailureCode;
	/** What to do next; set on every Failure item (see `withNextSteps`). */
	nextStep?: NextStep;
	/** True only when sending this item again cannot create a duplicate. */
	retriable: boolean;
	/** True when the vendor may have stored this customer although it is reported as a failure. */
	mayBeStored: boolean;
	field?: string;
	problems?: Problem[];
	vendorCode?: string | number;
	httpStatus?: number;
	requestId?: string;
	traceId?: string;
	batch?: number;
	/** For DUPLICATE_IN_INPUT: the index of the input item that carries the same customer. */
	duplicateOf?: number;
	/** For RETRIES_EXHAUSTED: the code the item's last attempt ended with. */
	lastCode?: string;
}

/**
 * The flags of a failure with this code. A record whose resend is idempotent (an update by id)
 * is retriable even when it may have been stored: writing it again changes nothing.
 */
export function promiseOf(code: FailureCode, resendIsSafe = false): { retriable: boolean; mayBeStored: boolean } {
	const promise = PROMISES[code];
	return promise.mayBeStored && resendIsSafe ? { ...promise, retriable: true } : promise;
}

/** The HTTP status and vendor code of an answer, in words: `HTTP 400, code 1002`. */
export function answerWords(error: VendorError): string {
	const parts = [error.httpStatus === undefined ? '' : `HTTP ${error.httpStatus}`, error.vendorCode === undefined ? '' : `code ${String(error.vendorCode)}`];
	return parts.filter(Boolean).join(', ') || 'no code';
}

/**
 * What the rows of other batches and the run summary say about the error that stopped a run: its
 * `runCause`, else, for an answer of the vendor, its status and code; the vendor's own text stays
 * on the rows of the batch it answered (it may quote their request). An error without either is
 * one the node worded itself.
 */
export function runCause(error: VendorError): string {
	if (error.runCause !== undefined) return error.runCause;
	if (error.httpStatus === undefined && error.vendorCode === undefined) return error.message;
	return `the vendor refused the request (${answerWords(error)})`;
}

/** Whether an error says the node's settings, rather than an unavailable vendor, stood in the way. */
function settingsAtFault(error: VendorError): boolean {
	if (error.cause) return error.cause === 'settings';
	// A 4xx, or a refusal coded in a 2xx body; a 429 or a 5xx is the vendor being unavailable.
	return error.httpStatus !== undefined && error.httpStatus !== 429 && error.httpStatus < 500;
}

/**
 * The cause behind a failure, where its code has several: a row the vendor never took is judged
 * by its own HTTP status, or else by the error that stopped the run (`stoppedBy`).
 */
export function causeOf(error: FailureDetails, stoppedBy?: VendorError): FailureCause | undefined {
	if (error.mayBeStored && error.retriable) return 'safeResend';
	if (error.code !== 'NOT_DELIVERED' && error.code !== 'NOT_SENT') return undefined;
	const evidence = error.httpStatus !== undefined ? { message: error.message, httpStatus: error.httpStatus } : stoppedBy;
	return evidence && settingsAtFault(evidence) ? 'settings' : 'vendorUnavailable';
}

/** Gives every Failure outcome its `nextStep` (kept where the code that failed it already knew). */
export function withNextSteps(outcomes: Outcome[], stoppedBy?: VendorError): void {
	for (const outcome of outcomes) {
		if (!outcome || outcome.ok) continue;
		const { message, code, nextStep, ...rest } = outcome.error;
		outcome.error = { message, code, nextStep: nextStep ?? nextStepOf(code, causeOf(outcome.error, stoppedBy)), ...rest };
	}
}

export type Outcome =
	/** `record`: the record as it was sent, kept only where the Success item carries it (Include Sent Record, Validate Only). */
	| { ok: true; record?: IDataObject; result: IDataObject; batch?: number }
	| { ok: false; error: FailureDetails; record?: IDataObject };
