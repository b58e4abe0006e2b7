import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { NxCloudApi } from '../../credentials/NxCloudApi.credentials';
import type { BatchOperation, BatchReading, RequestParameter, VendorError, VendorResponse } from '../shared/engine/adapter';
import { asClause } from '../shared/engine/defaultReading';
import { phoneThenEmailKeys } from '../shared/engine/naturalKeys';
import { passwordValues } from '../shared/engine/redactSecrets';
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

export function nxCloudBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const region = String(credentials.region ?? NXCLOUD_REGIONS.hongKong);
	const base = region === 'custom' ? String(credentials.baseUrl ?? '').trim() : region;
	return base.replace(/\/+$/, '');
}

/** The tenant's app key for the CDP API, from the credential (sent as `app_key` [doc]); '' when missing. */
export function nxCloudAppKey(credentials: ICredentialDataDecryptedObject): string {
	const appKey = credentials.appSecretKey;
	return typeof appKey === 'string' ? appKey.trim() : '';
}

export const NXCLOUD_MISSING_APP_KEY =
	"The NXCLOUD API credential has no App Key: open the credential and enter your tenant's App Key (it is kept in the credential, not in the node)";

/** `tenant_id` is an integer [doc]; the panel takes it as text so that it can come from an expression. */
export const NXCLOUD_TENANT_ID: RequestParameter = {
	name: 'tenantId',
	label: 'Tenant ID',
	description: "Your tenant's ID in NXCLOUD (a whole number)",
	type: 'integer',
	required: true,
	min: 0,
	max: Number.MAX_SAFE_INTEGER,
	placeholder: '123',
	// Each tenant keeps its own customers: the same phone in two tenants is two customers.
	scopesNaturalKeys: true,
};

/** `type`: 0 drop old use new, 1 update/add based on old, 2 keep old drop new [doc]. */
export const NXCLOUD_MODE: RequestParameter = {
	name: 'mode',
	label: 'Mode',
	description: 'What NXCLOUD does when a customer you send already exists. New customers are created in every mode.',
	type: 'options',
	options: [
		{
			name: 'Replace Existing Data',
			value: 0,
			aliases: ['replace'],
			description: "A customer that already exists gets the data you send instead of what it had (NXCLOUD's type 0)",
		},
		{
			name: 'Merge With Existing Data',
			value: 1,
			aliases: ['merge'],
			description: "A customer that already exists keeps its data; the fields you send update or add to it (NXCLOUD's type 1)",
		},
		{
			name: 'Keep Existing Data',
			value: 2,
			aliases: ['keep'],
			description: "A customer that already exists is left as it is and what you send for it is dropped; new customers are added (NXCLOUD's type 2)",
		},
	],
	// Blank is "not given": never Replace, which would wipe the fields a row does not carry.
	default: 1,
};

/** `strict_binding` (boolean), standard edition only [doc]. */
export const NXCLOUD_STRICT_BINDING: RequestParameter = {
	name: 'strictBinding',
	label: 'Strict Binding',
	description: 'Whether to bind each customer to exactly one seat (strict customer-seat binding)',
	type: 'boolean',
	default: false,
};

/** The node parameters that build the request body besides the customers, per edition. */
export const NXCLOUD_REQUEST_PARAMETERS: Record<NxCloudEdition, RequestParameter[]> = {
	sea: [NXCLOUD_TENANT_ID, NXCLOUD_MODE],
	standard: [NXCLOUD_TENANT_ID, NXCLOUD_MODE, NXCLOUD_STRICT_BINDING],
};

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
	1005: 'NXCLOUD refused the access key (code 1005): check the access key and the App Key in the credential, and that the key has permission for this Tenant ID and the customer API',
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
		const message = 'NXCLOUD refused the request timestamp twice (code 1004, more than 60 s from its clock): check the clock of the n8n server';
		return { kind: 'resend', error: { ...error(message), runCause: message } };
	}
	if (CONFIGURATION_ERRORS[code]) {
		return {
			kind: 'fatal',
			error: { ...error(`${CONFIGURATION_ERRORS[code]}${asClause(vendorMessage) ? ` (NXCLOUD: ${asClause(vendorMessage)})` : ''}`), runCause: CONFIGURATION_ERRORS[code] },
		};
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
		requestParameters: NXCLOUD_REQUEST_PARAMETERS[edition],
		// Every documented error code refuses the whole batch [doc: "a batch succeeds or fails as a whole"].
		refusalCodes: [1001, 1002, 1003, 1004, 1005],
		// A 1002 message may name a customer by its place in the request (`customers[3].email`, as the
		// sandbox does; VENDORS.md §1 documents no message format): the engine names the input item.
		recordReference: /\bcustomers\[(\d+)\](?:\.([A-Za-z_]\w*))?/g,
		credentialSecrets: (credentials) => passwordValues(new NxCloudApi(), credentials),
		credentialProblem: (credentials) => (nxCloudAppKey(credentials) === '' ? NXCLOUD_MISSING_APP_KEY : undefined),
		naturalKeys: phoneThenEmailKeys(['sms_phone', 'whats_app_phone'], 'email'),
		buildRequest: (records, context) => {
			// The engine hands the parameters over read and checked, defaults filled in.
			const { parameters, credentials } = context;
			const body: IDataObject = { type: parameters.mode, tenant_id: parameters.tenantId, app_key: nxCloudAppKey(credentials) };
			if (standard) body.strict_binding = parameters.strictBinding;
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
