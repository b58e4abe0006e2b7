import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INode,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FieldSchema, RecordSchema } from '../schema/fieldSchema';
import type { RunControl } from './runControl';

/** What a vendor said about one record, or about a whole call. */
export interface VendorError {
	message: string;
	vendorCode?: string | number;
	httpStatus?: number;
	requestId?: string;
	traceId?: string;
	/** The record's field at fault, where the vendor names one. */
	field?: string;
	/**
	 * What stood in the way, where no HTTP status tells (a wrong address, a credential that cannot
	 * be read): it decides the `nextStep` of the rows a stopped run did not send.
	 */
	cause?: 'settings' | 'vendorUnavailable';
	/**
	 * The cause in our own words (what was refused, the HTTP status, the vendor code, what to
	 * check), without the vendor's free text, which may quote the request and so the customers of
	 * the batch it answered. The rows of other batches and the run summary say this about a run the
	 * error stopped; without it they name the HTTP status and the vendor code.
	 */
	runCause?: string;
}

/**
 * What the vendor said about one record. A refusal with `mayBeStored` contradicts itself (an entry
 * listed among the stored ones that carries an error code): the engine reports that record as an
 * unknown outcome, never as refused.
 */
export type RecordResult = { ok: true; result: IDataObject } | { ok: false; error: VendorError; mayBeStored?: boolean };

/**
 * What `openSession` throws when it knows why no session can be had: the run stops on `reason`
 * (its HTTP status, or its cause when no status tells, decides what the rows not sent should do).
 */
export class SessionError extends NodeOperationError {
	readonly reason: VendorError;

	constructor(node: INode, reason: VendorError) {
		super(node, reason.message);
		this.reason = reason;
	}
}

/**
 * How the engine should treat one response. An adapter only reports what the vendor said; the
 * engine decides what may be resent or split (see `trustedReading` in transport.ts).
 * - `perRecord`: one entry per record of the batch, same order; `undefined` = the vendor said
 *   nothing about that record (a Failure that may be stored, never a Success). A refused entry
 *   carries the status the vendor gave it, if any: a 5xx, 408 or 429 there says nothing about
 *   storage, and the engine reports that record as an unknown outcome, not as refused. An adapter
 *   reports `perRecord` whenever the body holds per-record entries, whatever the HTTP status (a
 *   400 or a 503 that lists stored records proves that the request was processed): the engine
 *   never splits or resends such an answer.
 * - `rejected`: the whole request was refused and nothing was written; the engine splits it to
 *   find the records at fault.
 * - `resend`: nothing was written and sending again can work (an expired timestamp, an expired
 *   token when `refreshSession` is set).
 * - `fatal`: nothing was written, and no later batch can succeed either (credentials, settings).
 * - `unknown`: the vendor may have written the records (a 500 after storing, say).
 *
 * An `unknown` reading with `sessionMayExplain` is a whole-request refusal the vendor does not
 * explain (a 2xx with a code it does not document and nothing per record): a revoked session may
 * be the cause, so the engine renews the session before anything else is sent (operations with
 * `openSession` only).
 *
 * `rejected`, `resend` and `fatal` claim that nothing was stored. The engine believes that claim
 * from an HTTP 4xx status, or from a vendor code the operation lists in `refusalCodes`; any other
 * answer (a 2xx or 5xx with an unlisted code) is read as `unknown`.
 */
export type BatchReading =
	| { kind: 'perRecord'; results: Array<RecordResult | undefined> }
	| { kind: 'rejected'; error: VendorError }
	| { kind: 'resend'; error: VendorError; refreshSession?: boolean }
	| { kind: 'fatal'; error: VendorError }
	| { kind: 'unknown'; error: VendorError; sessionMayExplain?: boolean };

export interface VendorResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	/** Parsed JSON when the body was JSON, the raw text otherwise. */
	body: unknown;
}

export interface VendorRequest {
	method: IHttpRequestMethods;
	url: string;
	/** An object is sent as JSON; a string is sent byte for byte (for signed bodies). */
	body?: IDataObject | string;
	qs?: IDataObject;
	headers?: IDataObject;
}

/** How often, and how patiently, a call that created nothing may be repeated. */
export interface RetryPolicy {
	maxRetries: number;
	/** Milliseconds; the first backoff step, doubled each retry. */
	backoffBase?: number;
	/** The run the call belongs to: it takes its turn with the run's requests and stops waiting when the run stops. */
	run?: RunControl;
}

/** What an adapter may read when it builds or reads a call. */
export interface AdapterContext {
	credentials: ICredentialDataDecryptedObject;
	/**
	 * The request parameters (`requestParameters`) of the records in this batch, read and
	 * normalised (defaults filled in): all records of a batch share them.
	 */
	parameters: IDataObject;
	/** Whatever `openSession` stored (a token, say). */
	session: IDataObject;
	/** The node's retry settings, for calls an adapter makes itself (a token request). */
	retry: RetryPolicy;
}

/**
 * A node parameter that shapes the request rather than a record (a tenant id, say): a field of
 * the request, declared like a record's fields and read per item by the same readers
 * (engine/requestParameters.ts). `label` is its name in the panel, used in messages.
 */
export interface RequestParameter extends FieldSchema {
	/** The value when the item's value is blank (an empty cell, an expression that gives nothing). */
	default?: string | number | boolean;
	/** Masked in every message and in the node a thrown error carries, like a credential secret. */
	secret?: boolean;
	/**
	 * The parameter names the vendor's store of customers (a tenant): for "Skip Duplicate Rows",
	 * rows with the same natural key are the same customer only when they share this parameter.
	 * Parameters without it (how to store, say) never make two rows two customers.
	 */
	scopesNaturalKeys?: boolean;
}

/**
 * One vendor operation, as the engine needs it. An adapter says what the fields are, how a
 * batch becomes a call and how a response becomes per-record results; the engine does the rest
 * (mapping, validation, chunking, concurrency, retries, splitting, routing).
 */
export interface BatchOperation {
	vendor: string;
	operation: string;
	credentialType: string;
	schema: RecordSchema;
	/** The most records one call may carry. */
	maxBatchSize: number;
	/** The batch size the node starts with, when the vendor's maximum is not a safe default. */
	defaultBatchSize?: number;
	/** True when sending the same batch twice cannot create anything twice (an update by id). */
	resendIsSafe: boolean;
	/** The key of a record's result that holds the vendor's id for it, reported to a tool caller as `id`. */
	resultId?: string;
	/**
	 * Node parameters (besides the fields) that build the request, e.g. a tenant id. They are read
	 * and checked per item, and a batch only holds records that share their values.
	 */
	requestParameters?: RequestParameter[];
	/**
	 * How the vendor's messages name a record by its position in the request (a global pattern:
	 * group 1 the position from 0, optional group 2 the field), e.g. NXCLOUD's
	 * `customers[3].email`. The engine rewrites each such reference to the input item the record
	 * came from (engine/vendorMessages.ts).
	 */
	recordReference?: RegExp;
	/**
	 * Vendor codes that the vendor documents as "the whole request was refused, nothing stored",
	 * for answers whose HTTP status does not say so by itself (a 200 with an error code).
	 */
	refusalCodes?: Array<string | number>;
	/** The secret values of a credential: masked in every output, error and log line. */
	credentialSecrets(credentials: ICredentialDataDecryptedObject): string[];
	/**
	 * What makes a credential unusable before any call (a value the request needs left empty),
	 * naming the credential field, never its value; undefined when it can be used.
	 */
	credentialProblem?(credentials: ICredentialDataDecryptedObject): string | undefined;
	/**
	 * The keys that identify a customer for "Skip Duplicate Rows" (creates only), e.g.
	 * `phone:48600100200`. Two records that share a key are the same customer.
	 */
	naturalKeys?(record: IDataObject): string[];
	/** Called once per run, and again with `refresh` when a call says the session expired. */
	openSession?: (
		this: IExecuteFunctions,
		context: AdapterContext,
		refresh: boolean,
	) => Promise<IDataObject>;
	buildRequest(records: IDataObject[], context: AdapterContext): VendorRequest;
	/**
	 * Reads a response into a BatchReading. Return undefined for a response with nothing
	 * vendor-specific in it: the engine then applies the HTTP defaults.
	 */
	readResponse(response: VendorResponse, records: IDataObject[]): BatchReading | undefined;
}
