/**
 * AI agents using the nodes as tools, end to end: the MCP server demo (test/demo/mcpServer.ts —
 * n8n's MCP Server Trigger with the three vendor nodes attached as tools) imported and activated
 * in a real `n8n start` with the package installed as a community package, and called by a client
 * built on the official MCP SDK over Streamable HTTP, as Claude, ChatGPT or Cursor would call it.
 *
 * Checked on each n8n line: the tools list says what each tool needs and asks for the arguments the
 * workflow's `$fromAI()` fields name; a valid customer is stored once in the vendor sandbox and its
 * id (NXCLOUD: the trace id) returned; an invalid one gets its error back — code, message, field,
 * nextStep, retriable, mayBeStored — and nothing reaches the vendor; a contact the vendor refuses gets the
 * vendor's refusal back; no answer carries a secret.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { IDataObject } from 'n8n-workflow';

import { MCP_SERVER_PATH, mcpServerDemo } from '../demo/mcpServer';
import type { McpServerDemo, McpTool } from '../demo/mcpServer';
import { demoSetup } from '../demo/workflows';
import type { DemoVendor } from '../demo/customers';
import { freePorts } from '../helpers/ports';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';
import { NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY } from '../sandbox/vendors/nxcloud';
import { THULIUM_USER } from '../sandbox/vendors/thulium';
import { createN8nInstance, startSandbox } from './harness';
import type { N8nInstance, N8nLine } from './harness';

jest.setTimeout(15 * 60_000);

const lines = (process.env.N8N_TEST_LINES ?? '1').split(',').map((line) => Number(line.trim()) as N8nLine);

/** The paths where each vendor's sandbox stores customers. */
const CUSTOMER_PATHS: Record<DemoVendor, RegExp> = {
	thulium: /\/batch\/customers$/,
	dustess: /\/customer\/v1\/batchAddCustomer$/,
	nxcloud: /\/customers\/batch_create$/,
};

interface Stored {
	thulium: { customers: IDataObject[] };
	dustess: { contacts: IDataObject[] };
	nxcloud: { customers: IDataObject[] };
}

/** What one tool call answered. */
interface ToolCall {
	isError: boolean;
	text: string;
	answers: IDataObject[];
}

describe.each(lines)('the MCP server demo on n8n line %i, called by an MCP SDK client', (line) => {
	let sandbox: SandboxHandle;
	let n8n: N8nInstance;
	let demo: McpServerDemo;
	let client: Client;
	const texts: string[] = [];

	const tool = (vendor: DemoVendor): McpTool => demo.tools.find((candidate) => candidate.vendor === vendor)!;
	const stored = async <V extends DemoVendor>(vendor: V): Promise<IDataObject[]> => {
		const store = (await sandbox.store(vendor)) as Stored[V];
		return 'contacts' in store ? store.contacts : store.customers;
	};
	const customerRequests = async (vendor: DemoVendor) => (await sandbox.requests(vendor)).filter((request) => CUSTOMER_PATHS[vendor].test(request.path)).length;
	const call = async (vendor: DemoVendor, args: Record<string, string>): Promise<ToolCall> => {
		const result = (await client.callTool({ name: tool(vendor).toolName, arguments: args })) as { isError?: boolean; content: Array<{ type: string; text: string }> };
		const text = result.content.map((part) => part.text).join('');
		texts.push(text);
		let answers: IDataObject[] = [];
		try {
			answers = JSON.parse(text) as IDataObject[];
		} catch {
			// not JSON: an error text, asserted by the test
		}
		return { isError: result.isError === true, text, answers };
	};

	/**
	 * n8n opens its editor before it has activated the published workflows (n8n 2.x may take
	 * seconds more, e.g. while a lookup of its own online services times out): wait until the MCP
	 * trigger's webhook answers with anything but "not registered".
	 */
	const waitForWebhook = async (url: URL, waitMs = 120_000) => {
		const deadline = Date.now() + waitMs;
		for (;;) {
			const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: '{}' });
			const text = await response.text();
			if (!(response.status === 404 && text.includes('not registered'))) return;
			if (Date.now() > deadline) throw new Error(`The MCP server workflow was not active ${waitMs} ms after n8n started: ${text}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	};

	beforeAll(async () => {
		sandbox = await startSandbox();
		n8n = await createN8nInstance({ line, install: 'community', env: { N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true' } });
		const vendorDemos = demoSetup(sandbox.url);
		demo = mcpServerDemo(vendorDemos);
		await n8n.importCredentials(vendorDemos.map((vendorDemo) => vendorDemo.credential));
		await n8n.importWorkflows([demo.workflow]);
		await n8n.activateWorkflow(demo.workflow.id);

		const [port] = await freePorts(1);
		const main = await n8n.startProcess('main', ['start'], { env: { N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1' } });
		await main.waitForOutput(/Editor is now accessible via/);
		const url = new URL(`http://127.0.0.1:${port}/mcp/${MCP_SERVER_PATH}`);
		await waitForWebhook(url);
		client = new Client({ name: 'n8n-nodes-customer-batch-test', version: '1.0.0' });
		await client.connect(new StreamableHTTPClientTransport(url));
	});

	afterAll(async () => {
		await client?.close();
		await n8n?.dispose();
		await sandbox?.close();
	});

	it('lists the three tools, each saying what a call needs and what it answers, with the arguments the workflow asks for', async () => {
		const { tools } = await client.listTools();
		expect(tools.map((listed) => listed.name).sort()).toEqual(demo.tools.map((expected) => expected.toolName).sort());
		const needs: Record<DemoVendor, RegExp[]> = {
			thulium: [/surname/],
			dustess: [/owner/, /pool/, /mobile number/],
			nxcloud: [/first name and last name/],
		};
		for (const expected of demo.tools) {
			const listed = tools.find((candidate) => candidate.name === expected.toolName)!;
			for (const need of needs[expected.vendor]) expect(listed.description).toMatch(need);
			expect(listed.description).toMatch(/"error": \{"code", "message", "field", "nextStep", "retriable", "mayBeStored"\}/);
			const properties = listed.inputSchema.properties as Record<string, { type: string; description: string }>;
			expect(Object.keys(properties).sort()).toEqual(expected.arguments.map((argument) => argument.key).sort());
			for (const argument of expected.arguments) {
				expect(properties[argument.key]).toMatchObject({ type: 'string', description: argument.description });
			}
			expect([...(listed.inputSchema.required ?? [])].sort()).toEqual(expected.arguments.filter((argument) => !argument.optional).map((argument) => argument.key).sort());
		}
	});

	describe('a valid customer is stored once in the sandbox and its id returned', () => {
		it('Thulium: the customer ID', async () => {
			const answer = await call('thulium', { surname: 'Kowalska', first_name: 'Anna', email: 'anna.kowalska@example.pl', phone: '48600100200', company: 'Sklep Anna' });
			expect(answer.isError).toBe(false);
			const customers = await stored('thulium');
			expect(customers).toHaveLength(1);
			expect(customers[0]).toMatchObject({ surname: 'Kowalska', name: 'Anna', email: 'anna.kowalska@example.pl', phone_number: '48600100200', job: 'Sklep Anna' });
			expect(answer.answers).toEqual([{ created: true, id: customers[0].customer_id }]);
		});

		it('Dustess: the contact ID, with the optional arguments left out', async () => {
			const answer = await call('dustess', { mobile: '+8613800138000', name: '王芳', pool: 'pool-east' });
			expect(answer.isError).toBe(false);
			const contacts = await stored('dustess');
			expect(contacts).toHaveLength(1);
			expect(contacts[0]).toMatchObject({ remark: '王芳', pool: 'pool-east', mobiles: [{ tel: '+8613800138000', type: 'mobile', display: 'Mobile' }] });
			expect(contacts[0]).not.toHaveProperty('owner');
			expect(contacts[0]).not.toHaveProperty('email');
			expect(answer.answers).toEqual([{ created: true, id: contacts[0].id }]);
		});

		it('NXCLOUD: the trace ID of the request (NXCLOUD answers with no customer ID)', async () => {
			const answer = await call('nxcloud', { first_name: 'Siti', last_name: 'Rahman', email: 'siti.rahman@example.sg', phone: '6591234567', country: 'Singapore' });
			expect(answer.isError).toBe(false);
			const customers = await stored('nxcloud');
			expect(customers).toHaveLength(1);
			expect(customers[0]).toMatchObject({ first_name: 'Siti', last_name: 'Rahman', email: 'siti.rahman@example.sg', sms_phone: '6591234567', country: 'Singapore' });
			expect(answer.answers).toEqual([{ created: true, traceId: expect.any(String) }]);
			expect(String(answer.answers[0].traceId)).not.toBe('');
		});
	});

	describe('an invalid customer gets its error back, and nothing reaches the vendor', () => {
		it.each<[DemoVendor, Record<string, string>, string, RegExp]>([
			['thulium', { surname: ' ', first_name: 'Jan' }, 'surname', /surname/i],
			['dustess', { mobile: '+8613800138001', name: '李雷' }, 'owner', /Owner ID or a Pool ID/],
			['nxcloud', { first_name: 'Budi', last_name: 'Santoso', email: 'budi-at-example' }, 'email', /email/i],
		])('%s', async (vendor, args, field, message) => {
			const before = { stored: (await stored(vendor)).length, requests: await customerRequests(vendor) };
			const answer = await call(vendor, args);
			expect(answer.isError).toBe(false);
			expect(answer.answers).toEqual([
				{ created: false, error: { code: 'INVALID_RECORD', message: expect.stringMatching(message), field, nextStep: 'fixData', retriable: false, mayBeStored: false } },
			]);
			// The message names the field and the shape of the value, never the value.
			for (const value of Object.values(args).filter((value) => value.trim().length > 3)) expect(answer.text).not.toContain(value);
			expect((await stored(vendor)).length).toBe(before.stored);
			expect(await customerRequests(vendor)).toBe(before.requests);
		});
	});

	it('a contact the vendor refuses (Dustess already has its mobile number) gets the refusal back, and is not stored twice', async () => {
		const first = await call('dustess', { mobile: '+8613900139000', name: '韩梅梅', pool: 'pool-east' });
		expect(first.answers).toEqual([{ created: true, id: expect.any(String) }]);
		const again = await call('dustess', { mobile: '+8613900139000', name: '韩梅梅', owner: 'staff-7' });
		expect(again.isError).toBe(false);
		expect(again.answers).toEqual([{ created: false, error: { code: 'VENDOR_REJECTED', message: expect.any(String), nextStep: 'fixData', retriable: false, mayBeStored: false } }]);
		expect((await stored('dustess')).filter((contact) => JSON.stringify(contact.mobiles).includes('+8613900139000'))).toHaveLength(1);
	});

	it('no answer carries a secret of a credential or a node', () => {
		expect(texts.length).toBeGreaterThanOrEqual(8);
		for (const secret of [THULIUM_USER.password, DUSTESS_CLIENT.clientSecret, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY]) {
			for (const text of texts) expect(text).not.toContain(secret);
		}
	});
});
