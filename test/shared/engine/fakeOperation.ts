import type { ICredentialType, IDataObject, INodeProperties, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import { batchOptionsProperty } from '../../../nodes/shared/engine/batchOptions';
import { passwordValues } from '../../../nodes/shared/engine/redactSecrets';
import { runBatchOperation } from '../../../nodes/shared/engine/runBatchOperation';
import { mappingModeProperty, toProperties } from '../../../nodes/shared/schema/toProperties';
import { startFakeServer } from '../../helpers/fakeServer';
import type { Answer } from '../../helpers/fakeServer';

/** The fake vendor's credential: an API key in a header (n8n's generic authentication) and the server's address. */
export const fakeApiCredential: ICredentialType = {
	name: 'fakeApi',
	displayName: 'Fake API',
	properties: [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
	],
	authenticate: { type: 'generic', properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } } },
};

/**
 * A vendor for engine tests: the request carries the records, the "server" is a function that
 * sees them, and the response reads `{ok: [...]}` (one result per record) or `{rejected: msg}`.
 */
export const fakeOperation: BatchOperation = {
	vendor: 'fake',
	operation: 'create',
	credentialType: 'fakeApi',
	schema: { fields: [{ name: 'name', label: 'Name', description: 'Name', type: 'string', required: true, maxLength: 10 }] },
	maxBatchSize: 100,
	resendIsSafe: false,
	// The fake vendor documents both codes as "refused as a whole, nothing stored".
	refusalCodes: [1002, 'expired'],
	credentialSecrets: (credentials) => passwordValues(fakeApiCredential, credentials),
	buildRequest: (records, context) => ({ method: 'POST', url: `${context.credentials.baseUrl as string}/batch`, body: { records, token: context.session.token as string } }),
	readResponse(response) {
		const body = response.body as IDataObject;
		if (response.statusCode !== 200) return undefined;
		if (body.expired) return { kind: 'resend', refreshSession: true, error: { message: 'token expired', vendorCode: 'expired' } };
		if (body.rejected) return { kind: 'rejected', error: { message: String(body.rejected), vendorCode: 1002 } };
		const results = body.results as Array<IDataObject | null>;
		return {
			kind: 'perRecord',
			results: results.map((result) => (result === null ? undefined : result.ok ? { ok: true, result: { id: result.id as string } } : { ok: false, error: { message: String(result.message) } })),
		};
	},
};

/** A node type for an operation, built as the vendor nodes build theirs, whose execute() is the engine's. */
export function fakeNodeType(operation: BatchOperation): INodeType {
	return {
		description: {
			displayName: 'Fake Batch Create Customers',
			name: 'fakeBatchCustomers',
			group: ['output'],
			version: 1,
			description: 'The engine with the fake vendor',
			defaults: { name: 'Fake Batch Create Customers' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
			outputNames: ['Success', 'Failure'],
			credentials: [{ name: operation.credentialType, required: true }],
			properties: [
				...(operation.requestParameters ?? []).map((parameter): INodeProperties => ({ displayName: parameter.label, name: parameter.name, type: 'string', default: '' })),
				mappingModeProperty(),
				...toProperties(operation.schema),
				batchOptionsProperty(operation.maxBatchSize, operation.defaultBatchSize),
			],
		},
		async execute() {
			return await runBatchOperation.call(this, operation);
		},
	};
}

/** The fake vendor's behaviour: an answer for the records of the n-th call (`'reset'`: the connection drops unanswered). */
export type FakeServer = (
	records: IDataObject[],
	call: number,
	token: unknown,
) => { statusCode: number; body: unknown; headers?: Record<string, string> } | 'reset' | Promise<Answer>;

/** A FakeServer served over HTTP, recording the records of each call it receives. */
export async function fakeVendor(server: FakeServer) {
	const calls: IDataObject[][] = [];
	const http = await startFakeServer(async (request) => {
		const body = request.body as { records: IDataObject[]; token?: unknown };
		calls.push(body.records);
		return await server(body.records, calls.length, body.token);
	});
	return { url: http.url, calls, requests: http.requests, close: http.close };
}

export const allOk: FakeServer = (records) => ({ statusCode: 200, body: { results: records.map((_, i) => ({ ok: true, id: `id-${records[i].name}` })) } });
