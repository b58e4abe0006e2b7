import type { IDataObject } from 'n8n-workflow';

import type { Problem } from '../schema/fieldSchema';

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
	| 'CONFIGURATION_ERROR';

/**
 * What each code promises. `retriable`: sending the item again cannot create a duplicate (and
 * nothing about the item itself stands in the way). `mayBeStored`: the vendor may hold it already.
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
};

/** The `error` object of a Failure item. */
export interface FailureDetails {
	message: string;
	code: FailureCode;
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
}

/**
 * The flags of a failure with this code. A record whose resend is idempotent (an update by id)
 * is retriable even when it may have been stored: writing it again changes nothing.
 */
export function promiseOf(code: FailureCode, resendIsSafe = false): { retriable: boolean; mayBeStored: boolean } {
	const promise = PROMISES[code];
	return promise.mayBeStored && resendIsSafe ? { ...promise, retriable: true } : promise;
}

export type Outcome =
	| { ok: true; record: IDataObject; result: IDataObject; batch?: number }
	| { ok: false; error: FailureDetails; record?: IDataObject };
