/**
 * The Dustess node in a real n8n (installed as a community package) against the sandbox:
 * a run that creates and then updates contacts, a token that expires mid-run, and no token in
 * any output, node error or line n8n prints (at debug log level).
 *
 * Each `n8n execute` is its own process, so each run starts with an empty token cache.
 * N8N_TEST_LINES=1,2 also runs it on n8n 2.x (default: line 1 only).
 */
import fs from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import type { SandboxHandle } from '../helpers/sandboxClient';
import { DUSTESS_TOKEN_REJECTED_CODE } from '../sandbox/vendors/dustess';
import { Execution, createN8nInstance, parseRunOutput, startSandbox } from './harness';
import type { N8nInstance, N8nLine, WorkflowInput } from './harness';

jest.setTimeout(15 * 60_000);

const lines = (process.env.N8N_TEST_LINES ?? '1').split(',').map((line) => Number(line.trim()) as N8nLine);
const CLIENT = { clientId: 'test-n8n', clientSecret: 'test-n8n-secret' };
const WORKFLOW_NODE_TYPE = 'n8n-nodes-customer-batch.dustessBatchCustomers';

interface DustessStore {
	contacts: IDataObject[];
	tokens: string[];
	tokensByClient: Record<string, number>;
	customerCalls: number;
}

/** A workflow file of test/n8n/workflows, with our node type as this instance names it. */
function loadWorkflow(n8n: N8nInstance, file: string): WorkflowInput {
	const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, 'workflows', file), 'utf8')) as WorkflowInput;
	return {
		...workflow,
		nodes: workflow.nodes.map((node) => (node.type === WORKFLOW_NODE_TYPE ? { ...node, type: n8n.nodeType('dustessBatchCustomers') } : node)),
	};
}

/**
 * `n8n execute` at debug log level, keeping what n8n printed. At that level n8n prints the run
 * data colourised inside a log line (`<time> info {` … `} { "file": … }`), which the harness's
 * parser does not expect: the decoration is stripped first.
 */
async function executeLogged(n8n: N8nInstance, workflowId: string): Promise<{ execution: Execution; printed: string }> {
	const result = await n8n.run(['execute', `--id=${workflowId}`, '--rawOutput']);
	const plain = result.stdout
		// eslint-disable-next-line no-control-regex
		.replace(/\x1b\[[0-9;]*m/g, '')
		.split('\n')
		.map((text) => text.replace(/^\S+\s+info\s+\{$/, '{').replace(/^\}\s+\{ "file".*$/, '}'))
		.join('\n');
	const run = parseRunOutput(plain);
	if (!run) throw new Error(`n8n printed no run data (exit ${result.code}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
	const error = run.data.resultData.error;
	return { execution: new Execution(workflowId, run, error ? error.description || error.message : undefined), printed: result.stdout + result.stderr };
}

/** The tokens the sandbox issued that appear in a text. */
const leaked = (text: string, tokens: string[]) => tokens.filter((token) => text.includes(token));

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startSandbox()));
afterAll(async () => sandbox?.close());

describe.each(lines)('Dustess Batch Create Customers in n8n line %i', (line) => {
	let n8n: N8nInstance;
	let createAndUpdate: string;
	let fiftyContacts: string;
	const store = () => sandbox.store<DustessStore>('dustess');

	beforeAll(async () => {
		n8n = await createN8nInstance({ line, install: 'community', env: { N8N_LOG_LEVEL: 'debug' } });
		await n8n.importCredentials([
			{ id: 'dustessSandbox1', name: 'Dustess sandbox', type: 'dustessApi', data: { baseUrl: `${sandbox.url}/dustess`, ...CLIENT } },
		]);
		[createAndUpdate, fiftyContacts] = await n8n.importWorkflows([
			loadWorkflow(n8n, 'dustess-create-and-update.json'),
			loadWorkflow(n8n, 'dustess-fifty-contacts.json'),
		]);
	});
	afterAll(async () => n8n?.dispose());
	beforeEach(async () => sandbox.reset());

	it('creates contacts, updates them by id and external id, and shares one token between both nodes', async () => {
		const { execution: run, printed } = await executeLogged(n8n, createAndUpdate);
		expect(run.error).toBeUndefined();

		const [created, notCreated] = run.outputs('Create Contacts');
		expect(created.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(created.map((item) => (item.json.customerBatch as IDataObject).result)).toEqual([
			{ id: expect.any(String) },
			{ id: expect.any(String) },
		]);
		// The fourth contact repeats the first one's mobile (Dustess's dedupe key): Skip Duplicate Rows keeps it back.
		expect(notCreated.map((item) => (item.json.error as IDataObject).code)).toEqual(['INVALID_RECORD', 'DUPLICATE_IN_INPUT']);
		expect(notCreated[1].json.error).toMatchObject({ duplicateOf: 0, retriable: false, mayBeStored: false });

		const [updated, notUpdated] = run.outputs('Update Contacts');
		expect(updated.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(notUpdated.map((item) => [item.pairedItem, (item.json.error as IDataObject).code])).toEqual([
			[{ item: 3 }, 'VENDOR_REJECTED'],
			[{ item: 4 }, 'INVALID_RECORD'],
		]);

		const { contacts, tokens, tokensByClient, customerCalls } = await store();
		expect(leaked(printed, tokens)).toEqual([]);
		expect(contacts).toEqual([
			expect.objectContaining({ remark: '张三', gender: 1, position: 'Manager', custom_fields: [{ id: 'field02', type: 'number', float_value: 90 }] }),
			expect.objectContaining({ remark: '李四', education: '05', prov_city: '四川省/成都市/武侯区', position: 'Director' }),
		]);
		expect(customerCalls).toBe(2);
		expect(tokensByClient).toEqual({ [CLIENT.clientId]: 1 });
	});

	it.each(['body', 'http401'])('completes a run whose token expires mid-run with one refresh (expired answer: %s)', async (answer) => {
		await sandbox.configure('dustess', { expiredTokenAnswer: answer, revokeTokensAfterCalls: 2 });
		const { execution: run, printed } = await executeLogged(n8n, fiftyContacts);
		expect(run.error).toBeUndefined();
		expect(run.json('Create Contacts', 0)).toHaveLength(50);
		expect(run.json('Create Contacts', 1)).toHaveLength(0);
		const { contacts, tokens, tokensByClient, customerCalls } = await store();
		expect(leaked(printed, tokens)).toEqual([]);
		expect(contacts).toHaveLength(50);
		expect(tokensByClient).toEqual({ [CLIENT.clientId]: 2 });
		expect(customerCalls).toBe(6);
	});

	it('shows no token in outputs, node errors or anything n8n prints, even when Dustess echoes the URL', async () => {
		// A run with a refresh, and vendor messages that quote the URL with the token in it.
		await sandbox.configure('dustess', { echoUrlInErrors: true, revokeTokensAfterCalls: 1 });
		const mixed = await executeLogged(n8n, createAndUpdate);
		expect(mixed.execution.error).toBeUndefined();
		const notUpdated = mixed.execution.json('Update Contacts', 1);
		expect((notUpdated[0].error as IDataObject).message).toContain('accessToken=***');
		let { tokens } = await store();
		expect(tokens).toHaveLength(2);
		expect(leaked(mixed.printed, tokens)).toEqual([]);
		expect(leaked(JSON.stringify(mixed.execution.run), tokens)).toEqual([]);

		// A run that stops because the new token is rejected too.
		await sandbox.reset();
		await sandbox.configure('dustess', { echoUrlInErrors: true, rejectAllTokens: true });
		const stopped = await executeLogged(n8n, fiftyContacts);
		expect(stopped.execution.nodeError('Create Contacts')?.message).toContain(
			`Dustess rejected the access token (HTTP 200, code ${DUSTESS_TOKEN_REJECTED_CODE}`,
		);
		({ tokens } = await store());
		expect(tokens).toHaveLength(2);
		expect(leaked(stopped.printed, tokens)).toEqual([]);
		expect(leaked(JSON.stringify(stopped.execution.run), tokens)).toEqual([]);
	});
});
