import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type {
	AdapterContext,
	BatchOperation,
	BatchReading,
	RecordResult,
	VendorResponse,
} from '../shared/engine/adapter';
import { DustessApi } from '../../credentials/DustessApi.credentials';
import { asClause, defaultReading } from '../shared/engine/defaultReading';
import { phoneKey } from '../shared/engine/naturalKeys';
import { passwordValues } from '../shared/engine/redactSecrets';
import { DUSTESS_CREDENTIAL, dustessBaseUrl, getAccessToken, scrubTokens } from './accessToken';
import { copyOwnKeys } from '../shared/schema/values';
import { createSchema, NUMBER_FIELD_TYPES, updateSchema } from './fields';

/**
 * The maximum contacts per call is not published (VENDORS.md §2). The node allows up to 1000 and
 * starts at 50. Dustess documents no code for "refused as a whole, nothing stored", so a batch it
 * refuses for its size cannot be split safely: its contacts end as outcome unknown. Hence the
 * conservative default.
 */
export const DUSTESS_MAX_BATCH = 1000;
export const DUSTESS_DEFAULT_BATCH = 50;

const ENDPOINTS = {
	create: '/customer/v1/batchAddCustomer',
	update: '/customer/v1/batchEditCustomer',
} as const;

/**
 * Top-level codes taken to mean "invalid or expired access token", so nothing was stored.
 * Dustess does not publish them (VENDORS.md §2): 40001 is the sandbox's choice (assumed), 401
 * mirrors the HTTP status some gateways put in the body.
 */
const TOKEN_REJECTED_CODES = [401, 40001];

/** Top-level code for "some or all contacts failed", with per-contact entries [doc]. */
export const PARTIAL_FAILURE_CODE = 4126;

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Request

const NUMBER_TYPES = new Set(NUMBER_FIELD_TYPES);
const LIST_TYPES = new Set(['checkbox', 'cascader', 'multicascader', 'multi-cascader', 'multi_cascader']);

/**
 * A custom field as the vendor wants it. The node's `value` goes where the field type needs
 * it (string_value, float_value or array_value) unless that slot was given too. Validation has
 * read the value of a number type, and float_value, as numbers (fields.ts).
 */
function toVendorCustomField(field: IDataObject): IDataObject {
	const value = field.value;
	const vendor = copyOwnKeys(field, ['value']) as IDataObject;
	const type = String(vendor.type ?? '').toLowerCase();
	if (NUMBER_TYPES.has(type) && value !== undefined) vendor.float_value ??= value;
	else if (typeof value === 'string' && value !== '') {
		if (LIST_TYPES.has(type)) {
			vendor.array_value ??= value
				.split(',')
				.map((part) => part.trim())
				.filter((part) => part !== '');
		} else vendor.string_value ??= value;
	}
	return vendor;
}

/**
 * The contact as the vendor wants it. The record is the validator's own compact object, never one
 * with a reserved key (schema/values), so a spread copies it fast and exactly.
 */
export function toVendorContact(record: IDataObject): IDataObject {
	if (!Array.isArray(record.custom_fields)) return record;
	return { ...record, custom_fields: (record.custom_fields as IDataObject[]).map(toVendorCustomField) };
}

// ---------------------------------------------------------------------------------------------
// Response: `{success, code, msg, data: {success: [...] | null, fail: [...] | null}}`, each entry
// `{code, index, id, msg}` with `index` counting from 1 [doc].

function vendorMessage(body: IDataObject, fallback: string): string {
	const message = typeof body.msg === 'string' && body.msg.trim() !== '' ? body.msg.trim() : fallback;
	return scrubTokens(message);
}

function entryResult(entry: IDataObject, listedAsSuccess: boolean): RecordResult {
	const code = entry.code === undefined || entry.code === null || entry.code === '' ? undefined : entry.code;
	// The vendor's own example spells the id `uuid` once.
	const id = entry.id ?? entry.uuid;
	const hasId = id !== undefined && id !== null && id !== '';
	if (listedAsSuccess && (code === undefined || Number(code) === 0)) {
		return { ok: true, result: hasId ? { id: String(id) } : {} };
	}
	const vendorCode = code as string | number | undefined;
	if (listedAsSuccess) {
		// Listed among the stored contacts, yet with an error code: neither a success nor a refusal.
		const said = asClause(vendorMessage(entry, ''));
		return {
			ok: false,
			mayBeStored: true,
			error: {
				message: `Dustess listed this contact among the stored ones${hasId ? ` (id ${String(id)})` : ''} but with code ${String(vendorCode)}${said ? ` (${said})` : ''}: it may or may not have been stored`,
				vendorCode,
			},
		};
	}
	return {
		ok: false,
		error: {
			message: vendorMessage(entry, `Dustess refused this contact${vendorCode === undefined ? '' : ` with code ${vendorCode}`} and gave no reason`),
			vendorCode,
		},
	};
}

function entriesOf(body: IDataObject): Array<{ entry: IDataObject; success: boolean }> {
	const data = isObject(body.data) ? body.data : {};
	const list = (value: unknown, success: boolean) =>
		(Array.isArray(value) ? value : []).filter(isObject).map((entry) => ({ entry, success }));
	return [...list(data.success, true), ...list(data.fail, false)];
}

/**
 * Entries → one result per sent contact. An entry whose index is missing, not a whole number,
 * out of range or given twice is ignored, so its contact has no result (a Failure, never a
 * Success). An index 0 means the vendor counted from 0 here, against its documentation: then no
 * entry can be trusted to name the right contact, and none is used.
 */
export function matchEntries(
	entries: Array<{ entry: IDataObject; success: boolean }>,
	count: number,
): Array<RecordResult | undefined> {
	const results: Array<RecordResult | undefined> = new Array(count).fill(undefined);
	const indexes = entries.map(({ entry }) => (entry.index === '' || entry.index === null ? NaN : Number(entry.index)));
	if (indexes.some((index) => index === 0)) return results;
	const uses = new Map<number, number>();
	for (const index of indexes) uses.set(index, (uses.get(index) ?? 0) + 1);
	entries.forEach(({ entry, success }, position) => {
		const index = indexes[position];
		if (!Number.isInteger(index) || index < 1 || index > count || uses.get(index) !== 1) return;
		results[index - 1] = entryResult(entry, success);
	});
	return results;
}

function isTokenRejection(body: IDataObject): boolean {
	return TOKEN_REJECTED_CODES.includes(Number(body.code));
}

function tokenRejected(response: VendorResponse, body: IDataObject): BatchReading {
	const said = asClause(vendorMessage(body, ''));
	const answer = `HTTP ${response.statusCode}${body.code !== undefined ? `, code ${String(body.code)}` : ''}`;
	const check =
		'also after fetching a new one: check the credential and the API permissions of the client. If several n8n processes (queue-mode workers) use this client ID at once, another one may have replaced the token: see "Scaling out" in the README';
	return {
		kind: 'resend',
		refreshSession: true,
		error: {
			message: `Dustess rejected the access token (${answer}${said ? `: ${said}` : ''}), ${check}`,
			runCause: `Dustess rejected the access token (${answer}), ${check}`,
			vendorCode: body.code as number | undefined,
			httpStatus: response.statusCode,
		},
	};
}

export function readDustessResponse(response: VendorResponse, records: IDataObject[]): BatchReading | undefined {
	const body = isObject(response.body) ? response.body : undefined;
	// Per-contact entries tell what became of each contact, whatever the HTTP status: an answer
	// that lists a stored contact was processed, even on a 4xx or a 503.
	const entries = body ? entriesOf(body) : [];
	if (entries.length > 0) return { kind: 'perRecord', results: matchEntries(entries, records.length) };
	if (response.statusCode === 401) return tokenRejected(response, body ?? {});
	if (!body) return undefined;

	if (response.statusCode < 200 || response.statusCode >= 300) {
		// Not a vendor-specific answer: the HTTP defaults, told with what Dustess said.
		const said = vendorMessage(body, '');
		return defaultReading(response, { message: said, ...(body.code === undefined ? {} : { vendorCode: body.code as number }) });
	}

	if (body.success === true || Number(body.code) === 0) {
		// Accepted, but nothing said about any contact: each becomes a "no result" Failure.
		return { kind: 'perRecord', results: records.map(() => undefined) };
	}
	if (isTokenRejection(body)) return tokenRejected(response, body);
	// No per-contact entry and no documented refusal (4126 with `data: null`, an unknown code):
	// Dustess does not say whether anything was stored.
	const code = body.code !== undefined ? ` with code ${String(body.code)}` : '';
	const reading: BatchReading = {
		kind: 'unknown',
		error: {
			message: `Dustess answered${code} without a result per contact${asClause(vendorMessage(body, '')) ? ` (${asClause(vendorMessage(body, ''))})` : ''}: the contacts may or may not have been stored`,
			vendorCode: body.code as number | undefined,
			httpStatus: response.statusCode,
		},
	};
	// A refusal of the whole call with a code other than 4126 ("some contacts failed"): Dustess
	// publishes no token-refusal code (VENDORS.md §2), so a revoked token may be the cause.
	const refused = body.success === false || (body.code !== undefined && body.code !== null && body.code !== '');
	if (refused && Number(body.code) !== PARTIAL_FAILURE_CODE) reading.sessionMayExplain = true;
	return reading;
}

/** The contact method types that hold a phone number [doc: mobile 手机号, landline 座机]. */
const PHONE_METHOD_TYPES = new Set(['mobile', 'landline']);
/** A value written as a phone number: digits, with a leading + and spacing. */
const PHONE_SHAPED = /^\+?[\d\s().-]+$/;

/**
 * Skip Duplicate Rows keys: the contact methods, Dustess's dedupe key [doc: "mobiles … the
 * dedupe key"]. A phone (type mobile or landline) is keyed by its digits, so spacing and a leading
 * + do not make another customer; any other method (other, or a custom type such as a WeChat ID)
 * by its exact value together with its type, so `zhang_san_1990` and `li_si_1990` stay two
 * customers. The vendor documents no default type: a method without one counts as a phone only
 * when it is written like one.
 */
export function contactMethodKeys(record: IDataObject): string[] {
	const methods = Array.isArray(record.mobiles) ? (record.mobiles as IDataObject[]) : [];
	const keys: string[] = [];
	for (const method of methods) {
		if (typeof method?.tel !== 'string' || method.tel.trim() === '') continue;
		const value = method.tel.trim();
		const type = typeof method.type === 'string' ? method.type.trim() : '';
		const isPhone = PHONE_METHOD_TYPES.has(type.toLowerCase()) || (type === '' && PHONE_SHAPED.test(value));
		const key = isPhone ? phoneKey(value) : `method:${JSON.stringify([type, value])}`;
		if (key !== undefined) keys.push(key);
	}
	return keys;
}

// ---------------------------------------------------------------------------------------------

async function openSession(this: IExecuteFunctions, context: AdapterContext, refresh: boolean): Promise<IDataObject> {
	const rejected = refresh ? String(context.session.accessToken ?? '') : undefined;
	return { accessToken: await getAccessToken(this, context.credentials, rejected, context.retry) };
}

function dustessOperation(operation: 'create' | 'update'): BatchOperation {
	return {
		vendor: 'dustess',
		operation,
		credentialType: DUSTESS_CREDENTIAL,
		schema: operation === 'create' ? createSchema : updateSchema,
		maxBatchSize: DUSTESS_MAX_BATCH,
		defaultBatchSize: DUSTESS_DEFAULT_BATCH,
		// An edit by id writes the same values again; a create could store a contact twice.
		resendIsSafe: operation === 'update',
		resultId: 'id',
		refusalCodes: TOKEN_REJECTED_CODES,
		credentialSecrets: (credentials) => passwordValues(new DustessApi(), credentials),
		naturalKeys: operation === 'create' ? contactMethodKeys : undefined,
		openSession,
		buildRequest: (records, context) => ({
			method: 'POST',
			url: `${dustessBaseUrl(context.credentials)}${ENDPOINTS[operation]}`,
			// The token travels in the URL [doc]; the engine masks session values in every message.
			qs: { accessToken: String(context.session.accessToken ?? '') },
			body: { customer_list: records.map(toVendorContact) },
		}),
		readResponse: readDustessResponse,
	};
}

export const dustessOperations = { create: dustessOperation('create'), update: dustessOperation('update') };
