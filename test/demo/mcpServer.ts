/**
 * The "MCP server" demo `npm start` installs and activates: n8n's MCP Server Trigger with the
 * three vendor nodes attached as its tools, so that any MCP client (Claude, ChatGPT, Cursor …)
 * can create a customer in each vendor's sandbox. Each tool takes one customer, its fields filled
 * from the tool call's arguments with `$fromAI()`; the credentials and request settings are the
 * vendor demos' (workflows.ts). test/n8n/mcp.n8n.test.ts calls this workflow with the MCP SDK's
 * own client on both n8n lines.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject, NodeConnectionType } from 'n8n-workflow';

import type { DemoVendor } from './customers';
import type { Demo, DemoNode } from './workflows';

/** The trigger's path: its production URL is `<n8n>/mcp/customer-batch`. */
export const MCP_SERVER_PATH = 'customer-batch';
export const MCP_TRIGGER_NODE = 'MCP Server Trigger';
const MCP_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.mcpTrigger';

/** One argument of a tool: the `$fromAI()` key, what the model is told, and whether it may be left out. */
export interface ToolArgument {
	key: string;
	description: string;
	optional?: boolean;
}

export interface McpTool {
	vendor: DemoVendor;
	/** The node's name; n8n names the tool after it (`Create_Thulium_Customer`). */
	nodeName: string;
	toolName: string;
	arguments: ToolArgument[];
}

export interface McpServerDemo {
	workflow: {
		id: string;
		name: string;
		active: false;
		nodes: DemoNode[];
		connections: Record<string, Record<string, Array<Array<{ node: string; type: NodeConnectionType; index: number }>>>>;
		settings: { executionOrder: 'v1' };
		pinData: Record<string, never>;
	};
	tools: McpTool[];
}

/** `$fromAI()` for one argument; an optional one defaults to '' ("not given" for the node). */
function fromAI(argument: ToolArgument): string {
	const defaultValue = argument.optional ? ", ''" : '';
	return `={{ $fromAI('${argument.key}', \`${argument.description}\`, 'string'${defaultValue}) }}`;
}

const thuliumArguments = {
	surname: { key: 'surname', description: "The customer's surname (family name). Required." },
	firstName: { key: 'first_name', description: "The customer's first name, or empty", optional: true },
	email: { key: 'email', description: "The customer's email address, or empty", optional: true },
	phone: { key: 'phone', description: 'Phone number with the country code, digits only (e.g. 48600100200), or empty', optional: true },
	company: { key: 'company', description: 'The company the customer works for, or empty', optional: true },
} satisfies Record<string, ToolArgument>;

const dustessArguments = {
	mobile: { key: 'mobile', description: "The contact's mobile phone number, digits with an optional leading + (e.g. +8613800138000). Required." },
	name: { key: 'name', description: "The contact's name, or empty", optional: true },
	owner: { key: 'owner', description: 'Staff ID of the owner who follows up the contact. Give an owner or a pool.', optional: true },
	pool: { key: 'pool', description: 'ID of the public pool to put the contact in. Give an owner or a pool.', optional: true },
	email: { key: 'email', description: "The contact's email address, or empty", optional: true },
	company: { key: 'company', description: "The full name of the contact's company, or empty", optional: true },
} satisfies Record<string, ToolArgument>;

const nxCloudArguments = {
	firstName: { key: 'first_name', description: "The customer's first name. Required." },
	lastName: { key: 'last_name', description: "The customer's last name. Required." },
	email: { key: 'email', description: "The customer's email address, or empty", optional: true },
	phone: { key: 'phone', description: 'Mobile number for SMS with the country code (e.g. 6591234567), or empty', optional: true },
	country: { key: 'country', description: "The customer's country, or empty", optional: true },
} satisfies Record<string, ToolArgument>;

/** Per vendor: the tool's node name, its arguments, and where each lands among the node's fields. */
const toolSpecs: Record<DemoVendor, { nodeName: string; arguments: ToolArgument[]; fields: IDataObject }> = {
	thulium: {
		nodeName: 'Create Thulium Customer',
		arguments: Object.values(thuliumArguments),
		fields: {
			surname: fromAI(thuliumArguments.surname),
			additionalFields: {
				name: fromAI(thuliumArguments.firstName),
				email: [fromAI(thuliumArguments.email)],
				phone_number: [fromAI(thuliumArguments.phone)],
				job: fromAI(thuliumArguments.company),
			},
		},
	},
	dustess: {
		nodeName: 'Create Dustess Contact',
		arguments: Object.values(dustessArguments),
		fields: {
			additionalFields: {
				remark: fromAI(dustessArguments.name),
				mobiles: { values: [{ tel: fromAI(dustessArguments.mobile), type: 'mobile', display: 'Mobile' }] },
				owner: fromAI(dustessArguments.owner),
				pool: fromAI(dustessArguments.pool),
				email: fromAI(dustessArguments.email),
				corp_full_name: fromAI(dustessArguments.company),
			},
		},
	},
	nxcloud: {
		nodeName: 'Create NXCLOUD Customer',
		arguments: Object.values(nxCloudArguments),
		fields: {
			first_name: fromAI(nxCloudArguments.firstName),
			last_name: fromAI(nxCloudArguments.lastName),
			additionalFields: {
				email: fromAI(nxCloudArguments.email),
				sms_phone: fromAI(nxCloudArguments.phone),
				country: fromAI(nxCloudArguments.country),
			},
		},
	},
};

const note = [
	'## MCP server demo',
	`**${MCP_TRIGGER_NODE}** makes the three vendor nodes tools of an MCP server: any MCP client can call them. Each call creates one customer in the vendor sandbox, from the arguments the client gives (\`$fromAI()\` in the node's fields), and answers \`{"created": true, "id": …}\` or \`{"created": false, "error": {…}}\`.`,
	'',
	`The workflow is active: point an MCP client (Streamable HTTP) at **<n8n>/mcp/${MCP_SERVER_PATH}** — \`npm start\` prints the URL. No authentication: the demo listens on this machine only.`,
].join('\n');

/**
 * The MCP server workflow for the vendor demos `demos` (their credentials and request settings).
 * Imported inactive, as n8n imports every workflow; `npm start` and the test activate it.
 */
export function mcpServerDemo(demos: Demo[]): McpServerDemo {
	const trigger: DemoNode = {
		id: randomUUID(),
		name: MCP_TRIGGER_NODE,
		type: MCP_TRIGGER_TYPE,
		// Version 2 serves Streamable HTTP and SSE on the path itself, on n8n 1.123 and 2.41 alike.
		typeVersion: 2,
		position: [480, 0],
		parameters: { authentication: 'none', path: MCP_SERVER_PATH },
		webhookId: randomUUID(),
	};
	const tools: McpTool[] = [];
	const toolNodes: DemoNode[] = demos.map((demo, index) => {
		const spec = toolSpecs[demo.vendor];
		const vendorNode = demo.workflow.nodes.find((node) => node.name === demo.vendorNode)!;
		tools.push({ vendor: demo.vendor, nodeName: spec.nodeName, toolName: spec.nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_'), arguments: spec.arguments });
		return {
			id: randomUUID(),
			name: spec.nodeName,
			// n8n's name for a node used as a tool: the node's type with `Tool` appended.
			type: `${vendorNode.type}Tool`,
			typeVersion: vendorNode.typeVersion,
			position: [240 + index * 240, 240],
			// The vendor demo's request settings (edition, tenant, mode, options …); the fields come from the call.
			parameters: { ...vendorNode.parameters, ...spec.fields },
			credentials: vendorNode.credentials,
		};
	});
	return {
		workflow: {
			id: 'demoMcpServer01',
			name: 'Demo: MCP server — the three nodes as tools for AI agents',
			active: false,
			nodes: [
				{ id: randomUUID(), name: 'About This Demo', type: 'n8n-nodes-base.stickyNote', typeVersion: 1, position: [0, -280], parameters: { content: note, width: 980, height: 220, color: 7 } },
				trigger,
				...toolNodes,
			],
			connections: Object.fromEntries(toolNodes.map((node) => [node.name, { ai_tool: [[{ node: MCP_TRIGGER_NODE, type: 'ai_tool' as const, index: 0 }]] }])),
			settings: { executionOrder: 'v1' },
			pinData: {},
		},
		tools,
	};
}
