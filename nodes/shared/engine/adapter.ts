import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
} from 'n8n-workflow';

import type { RecordSchema } from '../schema/fieldSchema';

/** What a vendor said about one record, or about a whole call. */
export interface VendorError {
	message: string;
	vendorCode?: string | number;
	httpStatus?: number;
	requestId?: string;
	traceId?: string;
	/** The record's field at fault, where the vendor names one. */
	field?: string;
}

export type RecordResult = { ok: true; result: IDataObject } | { ok: false; error: VendorError };

/**
 * How the engine should treat one response.
 * - `perRecord`: one entry per record of the batch, same order; `undefined` = the vendor said
 *   nothing about that record (a Failure, never a Success).
 * - `rejected`: the whole batch was refused and nothing was written; the engine splits it to
 *   find the records at fault.
 * - `resend`: nothing was written and sending again can work (an expired timestamp, an expired
 *   token when `refreshSession` is set); the engine resends once.
 * - `fatal`: credential or configuration error: no later batch can succeed either.
 * - `unknown`: the vendor may have written the records (a 500 after storing, say): they go to
 *   Failure marked retriable and are not resent unless the user allows it.
 */
export type BatchReading =
	| { kind: 'perRecord'; results: Array<RecordResult | undefined> }
	| { kind: 'rejected'; error: VendorError }
	| { kind: 'resend'; error: VendorError; refreshSession?: boolean }
	| { kind: 'fatal'; error: VendorError }
	| { kind: 'unknown'; error: VendorError };

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

/** What an adapter may read when it builds or reads a call. */
export interface AdapterContext {
	credentials: ICredentialDataDecryptedObject;
	/** Node parameters the operation declared in `nodeParameters`, read once (item 0). */
	parameters: IDataObject;
	/** Whatever `openSession` stored (a token, say). */
	session: IDataObject;
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
	/** Node parameters (besides the fields) that build the request, e.g. a tenant id. */
	nodeParameters?: string[];
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
