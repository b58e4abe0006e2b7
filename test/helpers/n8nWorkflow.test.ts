import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, IExecuteFunctions, IHttpRequestHelper, INodeExecutionData, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { startFakeServer } from './fakeServer';
import { n8nHarness, outputsOrThrow } from './n8nWorkflow';

/** A credential with an expirable session token that `preAuthentication` fetches, sent as a bearer header. */
const sessionApi: ICredentialType = {
	name: 'sessionApi',
	displayName: 'Session API',
	properties: [
		{ displayName: 'Session Token', name: 'sessionToken', type: 'hidden', typeOptions: { expirable: true }, default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
	],
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const answer = (await this.helpers.httpRequest({ method: 'POST', url: `${credentials.baseUrl as string}/token`, json: true })) as { token: string };
		return { sessionToken: answer.token };
	},
	authenticate: { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.sessionToken}}' } } },
};

const n8n = n8nHarness([sessionApi]);

/** A node whose behaviour each test scripts: `body` gets the execute functions and the call number. */
function scripted(body: (call: number, fn: IExecuteFunctions) => Promise<INodeExecutionData[][]>): INodeType & { calls: number } {
	const type = {
		calls: 0,
		description: {
			displayName: 'Scripted',
			name: 'scripted',
			group: ['transform'],
			version: 1,
			description: 'Does what the test says',
			defaults: { name: 'Scripted' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
			properties: [{ displayName: 'Label', name: 'label', type: 'string', default: '' }],
		},
		async execute(this: IExecuteFunctions) {
			type.calls++;
			return await body(type.calls, this);
		},
	} as INodeType & { calls: number };
	return type;
}

const failing = () =>
	scripted(async (_call, fn) => {
		throw new NodeOperationError(fn.getNode(), 'scripted failure');
	});

// Validate Only sends nothing; nothing listens at this address in case it did.
const thulium = { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { validateOnly: true } } };
const thuliumCredentials = { thuliumApi: { baseUrl: 'http://127.0.0.1:1/api', login: 'u', password: 'p' } };

describe('the n8n harness: workflows run by n8n-core', () => {
	it('runs Input → node with this package’s node type, loaded from the source', async () => {
		const run = await n8n.run({ input: [{ surname: 'Nowak' }, { name: 'no surname' }], node: thulium, credentials: thuliumCredentials });
		expect(run.error).toBeUndefined();
		expect(run.order).toEqual(['Input', 'Node']);
		expect(run.outputs.map((items) => items.length)).toEqual([1, 1]);
		expect(run.task?.executionStatus).toBe('success');
		expect(run.run.status).toBe('success');
	});

	it('resolves paired items as n8n does: each output item leads back to its input item', async () => {
		const input = [{ surname: 'A' }, { name: 'invalid' }, { surname: 'C' }];
		const run = await n8n.run({ input, node: thulium, credentials: thuliumCredentials, trace: true });
		expect(run.traced).toEqual([[input[0], input[2]], [input[1]]]);
	});

	it('evaluates expressions per item', async () => {
		const run = await n8n.run({
			input: [{ last: 'Kowalska' }],
			node: { ...thulium, parameters: { ...thulium.parameters, mappingMode: 'defineBelow', surname: '={{ $json.last.toUpperCase() }}' } },
			credentials: thuliumCredentials,
		});
		expect((run.outputs[0][0].json.customerBatch as IDataObject).record).toEqual({ surname: 'KOWALSKA' });
	});

	it('stops the workflow on a node error by default, the error kept as n8n records it', async () => {
		const run = await n8n.run({ input: [{ a: 1 }], node: { type: 'scripted' }, nodeTypes: { scripted: failing() } });
		expect(run.error).toMatchObject({ message: 'scripted failure', name: 'NodeOperationError' });
		expect(() => outputsOrThrow(run)).toThrow('scripted failure');
		expect(run.outputs).toEqual([]);
	});

	it('passes the input on when a node that throws continues (onError: continueRegularOutput)', async () => {
		const run = await n8n.run({
			input: [{ a: 1 }],
			node: { type: 'scripted', onError: 'continueRegularOutput' },
			nodeTypes: { scripted: failing() },
			then: [{ name: 'After', type: 'test.trace', parameters: { value: '={{ $json.a }}' } }],
		});
		expect(run.error).toBeUndefined();
		expect(run.task?.error).toMatchObject({ message: 'scripted failure' });
		expect(run.outputs).toEqual([[{ json: { a: 1 }, pairedItem: { item: 0 } }]]);
		expect(run.nodes.After[0].map((item) => item.json.value)).toEqual([1]);
	});

	it('moves items that are only an error to an extra error output (onError: continueErrorOutput)', async () => {
		// What n8n nodes do when continueOnFail() is true: return {json: {error}} for the item.
		const node = scripted(async (_call, fn) => (fn.continueOnFail() ? [[{ json: { error: 'scripted failure' }, pairedItem: { item: 0 } }], []] : [[], []]));
		const run = await n8n.run({
			input: [{ a: 1 }],
			node: { type: 'scripted', onError: 'continueErrorOutput' },
			nodeTypes: { scripted: node },
			then: [{ name: 'After error', type: 'test.trace', output: 2, parameters: { value: '={{ $json.a }}' } }],
		});
		expect(run.error).toBeUndefined();
		expect(run.outputs).toEqual([[], [], [{ json: { a: 1, error: 'scripted failure' }, pairedItem: { item: 0 } }]]);
		expect(run.nodes['After error'][0].map((item) => item.json.value)).toEqual([1]);
	});

	it('outputs an empty item on the first output when it is empty (alwaysOutputData)', async () => {
		const run = await n8n.run({ input: [{ name: 'invalid' }], node: { ...thulium, alwaysOutputData: true }, credentials: thuliumCredentials });
		expect(run.outputs[0]).toEqual([{ json: {}, pairedItem: [{ item: 0, input: 0 }] }]);
		expect(run.outputs[1]).toHaveLength(1);
	});

	it('runs the node again after a failure (retryOnFail), keeping the last try', async () => {
		const node = scripted(async (call) => {
			if (call === 1) throw new Error('first try fails');
			return [[{ json: { call } }], []];
		});
		const run = await n8n.run({ input: [{}], node: { type: 'scripted', retryOnFail: true, maxTries: 2, waitBetweenTries: 1 }, nodeTypes: { scripted: node } });
		expect(run.error).toBeUndefined();
		expect(node.calls).toBe(2);
		expect(run.outputs[0].map((item) => item.json)).toEqual([{ call: 2 }]);
	});

	it('returns the execution hints the node adds', async () => {
		const node = scripted(async (_call, fn) => {
			fn.addExecutionHints({ message: 'something to know', location: 'outputPane' });
			return [fn.getInputData(), []];
		});
		const run = await n8n.run({ input: [{}], node: { type: 'scripted' }, nodeTypes: { scripted: node } });
		expect(run.hints).toEqual([expect.objectContaining({ message: 'something to know', location: 'outputPane' })]);
	});

	it('lets n8n-core call preAuthentication for an empty token, and again after a 401 (token expired)', async () => {
		const server = await startFakeServer((request, count) => {
			if (request.path === '/token') return { statusCode: 200, body: { token: `t${count}` } };
			return request.headers.authorization === 'Bearer t3' ? { statusCode: 200, body: { data: 'ok' } } : { statusCode: 401, body: { error: 'expired' } };
		});
		const answer = await n8n
			.inNode({ credentials: { sessionApi: { baseUrl: server.url } } }, async (fn) => await fn.helpers.httpRequestWithAuthentication.call(fn, 'sessionApi', { url: `${server.url}/data`, json: true }))
			.finally(server.close);
		expect(answer).toEqual({ data: 'ok' });
		expect(server.requests.map((request) => `${request.method} ${request.path} ${request.headers.authorization ?? ''}`.trim())).toEqual([
			'POST /token',
			'GET /data Bearer t1',
			'POST /token',
			'GET /data Bearer t3',
		]);
	});

	it('hands a test the execute functions of a node in a real run', async () => {
		const seen = await n8n.inNode({ credentials: thuliumCredentials }, async (fn) => ({
			node: fn.getNode().type,
			credentials: await fn.getCredentials('thuliumApi'),
			mode: fn.getMode(),
		}));
		// getCredentials gives the data as n8n decrypts it: every property, defaults filled in.
		expect(seen).toEqual({ node: 'test.inNode', credentials: { systemName: '', baseUrl: 'http://127.0.0.1:1/api', login: 'u', password: 'p' }, mode: 'manual' });
	});
});
