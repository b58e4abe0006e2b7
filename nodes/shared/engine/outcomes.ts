import type { IDataObject } from 'n8n-workflow';

import type { Problem } from '../schema/fieldSchema';

export type FailureCode =
	/** The item did not pass validation and was not sent. */
	| 'INVALID_RECORD'
	/** The vendor refused this record. */
	| 'VENDOR_REJECTED'
	/** The vendor answered without a result for this record. */
	| 'NO_RESULT'
	/** The request may have been stored: not resent, to create nothing twice. */
	| 'OUTCOME_UNKNOWN'
	/** The vendor did not take the request (rate limit, unavailable, no connection) after every retry. */
	| 'NOT_DELIVERED'
	/** Credentials or configuration are wrong, so the record was not sent. */
	| 'CONFIGURATION_ERROR';

/** The `error` object of a Failure item. */
export interface FailureDetails {
	message: string;
	code: FailureCode;
	/** True when sending the item again later may succeed without changing it. */
	retriable: boolean;
	field?: string;
	problems?: Problem[];
	vendorCode?: string | number;
	httpStatus?: number;
	requestId?: string;
	traceId?: string;
	batch?: number;
}

export type Outcome =
	| { ok: true; record: IDataObject; result: IDataObject; batch?: number }
	| { ok: false; error: FailureDetails; record?: IDataObject };
