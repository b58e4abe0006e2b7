import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { NxCloudApi } from '../../credentials/NxCloudApi.credentials';
import type { BatchOperation, BatchReading, RequestParameter, VendorError, VendorResponse } from '../shared/engine/adapter';
import { phoneThenEmailKeys } from '../shared/engine/naturalKeys';
import { passwordValues } from '../shared/engine/redactSecrets';
import { describeValue } from '../shared/schema/validateRecord';
import type { RecordSchema } from '../shared/schema/fieldSchema';
import { seaSchema, standardIndonesiaSchema, standardSchema } from './fields';

/** "Batch customers, max 100 per request" [doc]. */
export const NXCLOUD_MAX_BATCH = 100;

/** The regions' API gateways [doc]; the credential's `region` holds one of them or `custom`. */
export const NXCLOUD_REGIONS = {
	hongKong: 'https://api-hk.nxlink.ai',
	americas: 'https://chl-api.nxlink.ai',
	indonesia: 'https://api-idn.nxlink.ai',
} as const;

export type NxCloudEdition = 'sea' | 'standard';

export const NXCLOUD_PATHS = {
	sea: '/saas/sea/cdp/openapi/customers/batch_create',
	standard: '/saas/cdp/openapi/customers/batch_create',
	fields: '/saas/cdp/openapi/customers/fields',
} as const;

/** The node parameters that build the request body (besides the customers). */
export const NXCLOUD_PARAMETERS = { tenantId: 'tenantId', appKey: 'appKey', mode: 'mode', strictBinding: 'strictBinding' } as const;

export function nxCloudBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const region = String(credentials.region ?? NXCLOUD_REGIONS.hongKong);
	const base = region === 'custom' ? String(credentials.baseUrl ?? '').trim() : region;
	return base.replace(/\/+$/, '');
}

/** A tenant id is an integer in the body [doc]; the node takes it as text so it can come from an expression. */
export function tenantIdOf(value: unknown): number | undefined {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	return /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}

function modeOf(value: unknown): number | undefined {
	const mode = value === undefined || value === '' ? 1 : Number(value);
	return [0, 1, 2].includes(mode) ? mode : undefined;
}

/** The parameters that build the request body, checked per item before anything is sent. */
function requestParameters(standard: boolean): RequestParameter[] {
	const parameters: RequestParameter[] = [
		{
			name: NXCLOUD_PARAMETERS.tenantId,
			check: (value) =>
				tenantIdOf(value) === undefined ? `The Tenant ID must be a whole number (the tenant's ID in NXCLOUD), got ${describeValue(value)}` : undefined,
		},
		{
			name: NXCLOUD_PARAMETERS.appKey,
			secret: true,
			check: (value) => (typeof value === 'string' && value.trim() !== '' ? undefined : `The App Key is required (the tenant's app key for the CDP API), got ${describeValue(value)}`),
		},
		{
			name: NXCLOUD_PARAMETERS.mode,
			check: (value) => (modeOf(value) === undefined ? `The Mode must be 0, 1 or 2, got ${describeValue(value)}` : undefined),
		},
	];
	if (standard) parameters.push({ name: NXCLOUD_PARAMETERS.strictBinding });
	return parameters;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What to check for each credential/configuration code [doc: 1001 missing common header,
 * 1003 invalid signature, 1005 wrong accessKey or no permission].
 */
const CONFIGURATION_ERRORS: Record<number, string> = {
	1001: 'NXCLOUD says a required header is missing (code 1001): check that the credential has an access key and an access secret',
	1003: 'NXCLOUD rejected the signature (code 1003): check the access secret in the credential, and that no proxy between n8n and NXCLOUD changes the request body',
	1005: 'NXCLOUD refused the access key (code 1005): check the access key in the credential and that it has permission for this Tenant ID, App Key and the customer API',
};

/**
 * The answer is `{code, message, data, traceId}` with no per-customer result [doc]: code 0 means
 * the whole batch was stored; 1002 (parameter error) means the batch was refused, and the engine
 * splits it to find the customers at fault; 1004 (timestamp outside the 60 s window) is resent
 * once, freshly signed by the credential.
 */
function readResponse(response: VendorResponse, records: IDataObject[]): BatchReading | undefined {
	const body = response.body;
	if (!isObject(body) || body.code === undefined || body.code === null) return undefined;
	const code = Number(body.code);
	const traceId = body.traceId === undefined || body.traceId === null ? undefined : String(body.traceId);
	const vendorMessage = typeof body.message === 'string' ? body.message.trim() : '';
	const error = (message: string): VendorError => ({ message, vendorCode: code, httpStatus: response.statusCode, traceId });

	if (code === 0) {
		return { kind: 'perRecord', results: records.map(() => ({ ok: true as const, result: traceId === undefined ? {} : { traceId } })) };
	}
	if (code === 1002) return { kind: 'rejected', error: error(vendorMessage || 'NXCLOUD rejected the request as invalid (code 1002, parameter error)') };
	if (code === 1004) {
		return {
			kind: 'resend',
			error: error('NXCLOUD refused the request timestamp twice (code 1004, more than 60 s from its clock): check the clock of the n8n server'),
		};
	}
	if (CONFIGURATION_ERRORS[code]) {
		return { kind: 'fatal', error: error(`${CONFIGURATION_ERRORS[code]}${vendorMessage ? ` (NXCLOUD: ${vendorMessage})` : ''}`) };
	}
	// An undocumented code: whether anything was stored is not known.
	return { kind: 'unknown', error: error(`NXCLOUD answered code ${body.code}${vendorMessage ? `: ${vendorMessage}` : ''}`) };
}

function nxCloudOperation(edition: NxCloudEdition, schema: RecordSchema): BatchOperation {
	const standard = edition === 'standard';
	return {
		vendor: 'nxcloud',
		operation: 'create',
		credentialType: 'nxCloudApi',
		schema,
		maxBatchSize: NXCLOUD_MAX_BATCH,
		// A create: sending a batch twice may store (or, in "Replace" mode, overwrite) twice.
		resendIsSafe: false,
		requestParameters: requestParameters(standard),
		// Every documented error code refuses the whole batch [doc: "a batch succeeds or fails as a whole"].
		refusalCodes: [1001, 1002, 1003, 1004, 1005],
		credentialSecrets: (credentials) => passwordValues(new NxCloudApi(), credentials),
		naturalKeys: phoneThenEmailKeys(['sms_phone', 'whats_app_phone'], 'email'),
		buildRequest: (records, context) => {
			const { parameters } = context;
			const body: IDataObject = {
				type: modeOf(parameters[NXCLOUD_PARAMETERS.mode]) ?? 1,
				tenant_id: tenantIdOf(parameters[NXCLOUD_PARAMETERS.tenantId]) ?? null,
				app_key: String(parameters[NXCLOUD_PARAMETERS.appKey] ?? '').trim(),
			};
			if (standard) body.strict_binding = parameters[NXCLOUD_PARAMETERS.strictBinding] === true;
			body.customers = records;
			// Serialised once here: the credential signs exactly this text and the engine sends it as is.
			return { method: 'POST', url: `${nxCloudBaseUrl(context.credentials)}${NXCLOUD_PATHS[edition]}`, body: JSON.stringify(body) };
		},
		readResponse,
	};
}

export const nxCloudOperations = {
	sea: nxCloudOperation('sea', seaSchema),
	standard: nxCloudOperation('standard', standardSchema),
	/** The standard edition on the Indonesian region, where a remark may be 2000 characters [doc]. */
	standardIndonesia: nxCloudOperation('standard', standardIndonesiaSchema),
};

export function nxCloudOperationFor(edition: NxCloudEdition, credentials: ICredentialDataDecryptedObject): BatchOperation {
	if (edition !== 'standard') return nxCloudOperations.sea;
	return nxCloudBaseUrl(credentials) === NXCLOUD_REGIONS.indonesia ? nxCloudOperations.standardIndonesia : nxCloudOperations.standard;
}
