/**
 * The demo data and workflows `npm start` installs, checked without n8n: the Code nodes produce
 * what their comments promise, and every parameter the demos set exists on the vendor node.
 * (demo.n8n.test.ts runs them in a real n8n; the browser test in the editor.)
 */
import type { INodeProperties, INodeType } from 'n8n-workflow';

import { DustessBatchCustomers } from '../../nodes/Dustess/DustessBatchCustomers.node';
import { NxCloudBatchCustomers } from '../../nodes/NxCloud/NxCloudBatchCustomers.node';
import { ThuliumBatchCustomers } from '../../nodes/Thulium/ThuliumBatchCustomers.node';
import { DEMO_CUSTOMER_COUNT, customersCode, generateCustomers } from './customers';
import type { DemoVendor } from './customers';
import { MCP_SERVER_PATH, MCP_TRIGGER_NODE, mcpServerDemo } from './mcpServer';
import { demoSetup } from './workflows';

const vendors: DemoVendor[] = ['thulium', 'nxcloud', 'dustess'];
const nodeTypes: Record<DemoVendor, INodeType> = {
	thulium: new ThuliumBatchCustomers(),
	nxcloud: new NxCloudBatchCustomers(),
	dustess: new DustessBatchCustomers(),
};

describe.each(vendors)('the %s demo customers', (vendor) => {
	const customers = generateCustomers(vendor);

	it(`are ${DEMO_CUSTOMER_COUNT}, numbered from 1, the same on every run`, () => {
		expect(customers.map((customer) => customer.row)).toEqual(Array.from({ length: DEMO_CUSTOMER_COUNT }, (_, index) => index + 1));
		const again = generateCustomers(vendor);
		// Dustess's mobile numbers change with the run (the vendor refuses numbers it has); nothing else does.
		const withoutMobiles = (list: typeof customers) => list.map(({ mobile, ...rest }) => ({ ...rest, mobile: typeof mobile }));
		expect(withoutMobiles(again)).toEqual(withoutMobiles(customers));
	});

	it('carry a few planted mistakes of each kind, the rest look complete', () => {
		const planted = customers.filter((customer) => customer.plantedMistake);
		expect(planted.length).toBeGreaterThanOrEqual(20);
		expect(planted.length).toBeLessThanOrEqual(45);
		expect(new Set(planted.map((customer) => customer.plantedMistake)).size).toBe(4);
		const emails = customers.filter((customer) => !customer.plantedMistake).map((customer) => String(customer.email));
		expect(emails.every((email) => /^[a-z.]+\d+@[a-z0-9.]+$/.test(email) && email.length <= 50)).toBe(true);
		expect(new Set(emails).size).toBe(emails.length);
	});

	it('is plain JavaScript for the Code node, returning items', () => {
		const code = customersCode(vendor);
		expect(code).toMatch(/return customers\.map\(\(json\) => \(\{ json \}\)\);\s*$/);
		expect(code).not.toMatch(/\$\{DEMO_CUSTOMER_COUNT\}/);
	});
});

describe('the demo workflows', () => {
	const demos = demoSetup('http://127.0.0.1:8765');

	it('point each credential at its vendor in the sandbox', () => {
		expect(Object.fromEntries(demos.map((demo) => [demo.credential.type, demo.credential.data.baseUrl]))).toEqual({
			thuliumApi: 'http://127.0.0.1:8765/thulium/api',
			nxCloudApi: 'http://127.0.0.1:8765/nxcloud',
			dustessApi: 'http://127.0.0.1:8765/dustess',
		});
	});

	it.each(vendors)('%s: set only parameters the vendor node has, and name the panel facts the browser test checks', (vendor) => {
		const demo = demos.find((candidate) => candidate.vendor === vendor)!;
		const node = demo.workflow.nodes.find((candidate) => candidate.name === demo.vendorNode)!;
		const properties = nodeTypes[vendor].description.properties;
		const named = (name: string, list: INodeProperties[] = properties) => list.filter((property) => property.name === name);

		for (const name of Object.keys(node.parameters)) expect(named(name).length).toBeGreaterThan(0);
		const additional = named('additionalFields').flatMap((property) => property.options as INodeProperties[]);
		for (const name of Object.keys(node.parameters.additionalFields as object)) expect(named(name, additional).length).toBeGreaterThan(0);
		const options = named('options')[0].options as INodeProperties[];
		for (const name of Object.keys(node.parameters.options as object)) expect(named(name, options).length).toBe(1);

		for (const field of demo.requiredFields) {
			expect(named(field.name).some((property) => property.required && property.displayName === field.label)).toBe(true);
		}
		expect(named(demo.nestedCollection.name, additional).some((property) => property.type === 'fixedCollection' && property.displayName === demo.nestedCollection.label)).toBe(true);
		for (const option of demo.options) expect(named(option.name, options)[0].displayName).toBe(option.label);
		expect(node.type).toBe(`n8n-nodes-customer-batch.${nodeTypes[vendor].description.name}`);
		expect(demo.workflow.id).toMatch(/^(?=.*\d)[A-Za-z0-9]{1,16}$/);
	});
});

describe('the MCP server demo workflow', () => {
	const demos = demoSetup('http://127.0.0.1:8765');
	const { workflow, tools } = mcpServerDemo(demos);
	const trigger = workflow.nodes.find((node) => node.name === MCP_TRIGGER_NODE)!;

	it('is an MCP Server Trigger on its path with one tool per vendor attached, named as n8n names tools', () => {
		expect(trigger).toMatchObject({ type: '@n8n/n8n-nodes-langchain.mcpTrigger', typeVersion: 2, parameters: { path: MCP_SERVER_PATH, authentication: 'none' } });
		expect(tools.map((tool) => tool.vendor).sort()).toEqual([...vendors].sort());
		for (const tool of tools) {
			expect(workflow.connections[tool.nodeName]).toEqual({ ai_tool: [[{ node: MCP_TRIGGER_NODE, type: 'ai_tool', index: 0 }]] });
			expect(tool.toolName).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
		}
		expect(workflow.id).toMatch(/^(?=.*\d)[A-Za-z0-9]{1,16}$/);
	});

	it.each(vendors)('%s: the tool is the vendor node as a tool, with the vendor demo\'s credential and only parameters the node has', (vendor) => {
		const tool = tools.find((candidate) => candidate.vendor === vendor)!;
		const node = workflow.nodes.find((candidate) => candidate.name === tool.nodeName)!;
		const demo = demos.find((candidate) => candidate.vendor === vendor)!;
		const vendorNode = demo.workflow.nodes.find((candidate) => candidate.name === demo.vendorNode)!;
		expect(node.type).toBe(`${vendorNode.type}Tool`);
		expect(node.credentials).toEqual(vendorNode.credentials);
		const properties = nodeTypes[vendor].description.properties;
		const named = (name: string, list: INodeProperties[] = properties) => list.filter((property) => property.name === name);
		for (const name of Object.keys(node.parameters)) expect(named(name).length).toBeGreaterThan(0);
		const additional = named('additionalFields').flatMap((property) => property.options as INodeProperties[]);
		for (const name of Object.keys(node.parameters.additionalFields as object)) expect(named(name, additional).length).toBeGreaterThan(0);
	});

	it.each(vendors)('%s: every tool argument fills a field with $fromAI(), the optional ones defaulting to "not given"', (vendor) => {
		const tool = tools.find((candidate) => candidate.vendor === vendor)!;
		const text = JSON.stringify(workflow.nodes.find((candidate) => candidate.name === tool.nodeName)!.parameters);
		const calls = [...text.matchAll(/\$fromAI\('([^']+)'/g)].map((match) => match[1]);
		expect(calls.sort()).toEqual(tool.arguments.map((argument) => argument.key).sort());
		for (const argument of tool.arguments) {
			expect(text).toContain(`$fromAI('${argument.key}', \`${argument.description}\`, 'string'${argument.optional ? ", ''" : ''})`);
		}
	});
});
