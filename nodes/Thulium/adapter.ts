import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { ThuliumApi } from '../../credentials/ThuliumApi.credentials';
import type { BatchOperation, BatchReading, RecordResult, VendorError, VendorResponse } from '../shared/engine/adapter';
import { asClause, defaultReading } from '../shared/engine/defaultReading';
import { phoneThenEmailKeys } from '../shared/engine/naturalKeys';
import { passwordValues } from '../shared/engine/redactSecrets';
import { createSchema, updateSchema } from './fields';

/** The vendor publishes no maximum (VENDORS.md §3): 100 is our default and ceiling. */
export const THULIUM_MAX_BATCH = 100;

export function thuliumBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const custom = String(credentials.baseUrl ?? '').trim();
	if (custom) return custom.replace(/\/+$/, '');
	return `https://${String(credentials.systemName ?? '').trim()}.thulium.com/api`;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The error envelope of a failed call: `{request_id, errors: [{message, code}]}`. */
function envelopeError(response: VendorResponse): VendorError | undefined {
	const body = response.body;
	if (!isObject(body) || !Array.isArray(body.errors)) return undefined;
	const errors = body.errors as IDataObject[];
	return {
		message: errors.map((error) => String(error.message ?? 'Unknown error')).join('; ') || `HTTP ${response.statusCode}`,
		vendorCode: errors[0]?.code as number | undefined,
		httpStatus: response.statusCode,
		requestId: body.request_id === undefined ? undefined : String(body.request_id),
	};
}

/**
 * One entry of the per-position answer: `{"http_status": 201, "customer_id": "13"}` or
 * `{"http_status": 400, "message": …}`. Any 2xx entry is a success, with the id when there is one.
 * An entry with no readable status says nothing about its customer. Any other entry is reported
 * with its status, from which the engine decides what it means (a 5xx says nothing about storage).
 */
function positionResult(entry: unknown): RecordResult | undefined {
	if (!isObject(entry)) return undefined;
	const status = Number(entry.http_status);
	if (!Number.isInteger(status) || status < 100) return undefined;
	if (status >= 200 && status < 300) {
		const id = entry.customer_id;
		const result: IDataObject = {};
		if (id !== undefined && id !== null && id !== '') result.customer_id = String(id);
		result.http_status = status;
		return { ok: true, result };
	}
	return { ok: false, error: { message: String(entry.message ?? `Thulium answered HTTP ${status} for this customer without a message`), httpStatus: status } };
}

/** The API user's password, and the Basic header value made from it. */
function credentialSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	const basic = Buffer.from(`${String(credentials.login ?? '')}:${String(credentials.password ?? '')}`).toString('base64');
	return [...passwordValues(new ThuliumApi(), credentials), basic];
}

function readResponse(response: VendorResponse, records: IDataObject[]): BatchReading | undefined {
	const body = response.body;
	const results = isObject(body) ? records.map((_, position) => positionResult(body[String(position)])) : [];
	// The per-position entries tell what became of each customer, whatever the HTTP status: an
	// answer that lists a created customer was processed, even a 400.
	if (results.some((result) => result !== undefined)) return { kind: 'perRecord', results };
	const error = envelopeError(response);
	if (error) {
		if (response.statusCode === 401 || response.statusCode === 403) {
			const check = "check login, password and the API user's permissions for batch/customers";
			return {
				kind: 'fatal',
				error: {
					...error,
					message: `Thulium refused the API user (HTTP ${response.statusCode}: ${asClause(error.message)}): ${check}`,
					runCause: `Thulium refused the API user (HTTP ${response.statusCode}): ${check}`,
				},
			};
		}
		if (response.statusCode === 404) {
			const message = 'Thulium has no such endpoint (HTTP 404): check the system name or base URL';
			return { kind: 'fatal', error: { ...error, message, runCause: message } };
		}
		return defaultReading(response, error);
	}
	if (response.statusCode >= 200 && response.statusCode < 300 && isObject(body)) return { kind: 'perRecord', results };
	return undefined;
}

function thuliumOperation(operation: 'create' | 'update'): BatchOperation {
	return {
		vendor: 'thulium',
		operation,
		credentialType: 'thuliumApi',
		schema: operation === 'create' ? createSchema : updateSchema,
		maxBatchSize: THULIUM_MAX_BATCH,
		// An update by customer_id writes the same values again: resending cannot duplicate.
		resendIsSafe: operation === 'update',
		resultId: 'customer_id',
		credentialSecrets,
		// Thulium documents no dedupe key (VENDORS.md §3): a repeated row would be a second customer.
		naturalKeys: operation === 'create' ? phoneThenEmailKeys(['phone_number'], 'email') : undefined,
		buildRequest: (records, context) => ({
			method: operation === 'create' ? 'POST' : 'PUT',
			url: `${thuliumBaseUrl(context.credentials)}/batch/customers`,
			body: { customers: records },
		}),
		readResponse,
	};
}

export const thuliumOperations = { create: thuliumOperation('create'), update: thuliumOperation('update') };
