import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import type { HttpHandler } from '../../helpers/mockExecuteFunctions';

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
	buildRequest: (records, context) => ({ method: 'POST', url: 'http://fake.test/batch', body: { records, token: context.session.token as string } }),
	readResponse(response) {
		const body = response.body as IDataObject;
		if (response.statusCode !== 200) return undefined;
		if (body.expired) return { kind: 'resend', refreshSession: true, error: { message: 'token expired' } };
		if (body.rejected) return { kind: 'rejected', error: { message: String(body.rejected), vendorCode: 1002 } };
		const results = body.results as Array<IDataObject | null>;
		return {
			kind: 'perRecord',
			results: results.map((result) => (result === null ? undefined : result.ok ? { ok: true, result: { id: result.id as string } } : { ok: false, error: { message: String(result.message) } })),
		};
	},
};

export type FakeServer = (records: IDataObject[], call: number, token: unknown) => { statusCode: number; body: unknown; headers?: Record<string, string> } | Error;

/** Turns a FakeServer into the mock's HTTP handler, counting calls. */
export function fakeHttp(server: FakeServer): HttpHandler & { calls: IDataObject[][] } {
	const calls: IDataObject[][] = [];
	const handler = async (_type: string, options: IHttpRequestOptions) => {
		const body = options.body as { records: IDataObject[]; token?: unknown };
		calls.push(body.records);
		const answer = server(body.records, calls.length, body.token);
		if (answer instanceof Error) throw answer;
		return { statusCode: answer.statusCode, headers: answer.headers ?? {}, body: answer.body };
	};
	return Object.assign(handler, { calls });
}

export const allOk: FakeServer = (records) => ({ statusCode: 200, body: { results: records.map((_, i) => ({ ok: true, id: `id-${records[i].name}` })) } });
