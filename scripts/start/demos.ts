/**
 * The demos of a new instance (test/demo/): one credential per vendor pointing at the sandbox,
 * one workflow per vendor, and the MCP server workflow with the three nodes as tools, active so
 * that an MCP client can call it. Each is imported once; the credentials again when the sandbox
 * address changes.
 */
import fs from 'node:fs';
import path from 'node:path';

import { mcpServerDemo } from '../../test/demo/mcpServer';
import type { McpServerDemo } from '../../test/demo/mcpServer';
import { MCP_SERVER_PATH } from '../../test/demo/mcpServer';
import { demoSetup } from '../../test/demo/workflows';
import type { Demo } from '../../test/demo/workflows';
import { activationArgs } from '../../test/n8n/harness';
import type { State } from './instance';
import { writeState } from './instance';
import { rest } from './owner';
import { run } from './processes';
import type { Runtime } from './runtime';
import { step } from './settings';
import type { Settings } from './settings';

export interface Demos {
	vendors: Demo[];
	mcpServer: McpServerDemo;
	/** Where an MCP client reaches the MCP server demo. */
	mcpUrl: string;
}

export function demosFor(settings: Settings, sandboxUrl: string): Demos {
	const vendors = demoSetup(sandboxUrl);
	return { vendors, mcpServer: mcpServerDemo(vendors), mcpUrl: `${settings.editorUrl}/mcp/${MCP_SERVER_PATH}` };
}

/** Imports the demo credentials (when the sandbox address changed) and each demo workflow not imported yet. */
export async function importDemos(settings: Settings, runtime: Runtime, env: NodeJS.ProcessEnv, state: State, demos: Demos, sandboxUrl: string): Promise<void> {
	if (state.workflowsImported && !state.importedWorkflows) {
		// An instance from before the MCP server demo: it has the vendor demos.
		state.importedWorkflows = demos.vendors.map((demo) => demo.workflow.id);
		delete state.workflowsImported;
		writeState(settings, state);
	}
	const imported = new Set(state.importedWorkflows ?? []);
	const scratch = fs.mkdtempSync(path.join(settings.dir, 'import-'));
	try {
		const cli = async (args: string[]) => await run(runtime.n8nBin, args, { cwd: settings.dir, env });
		if (state.credentialsFor !== sandboxUrl) {
			step(state.credentialsFor ? `pointing the demo credentials at ${sandboxUrl}` : 'importing the demo credentials');
			const file = path.join(scratch, 'credentials.json');
			fs.writeFileSync(file, JSON.stringify(demos.vendors.map((demo) => demo.credential)), { mode: 0o600 });
			await cli(['import:credentials', `--input=${file}`]);
			state.credentialsFor = sandboxUrl;
			writeState(settings, state);
		}
		const workflows = [...demos.vendors.map((demo) => demo.workflow), demos.mcpServer.workflow].filter((workflow) => !imported.has(workflow.id));
		if (workflows.length > 0) {
			step(`importing the demo workflows (${workflows.map((workflow) => workflow.name.replace(/ — .*/, '')).join(', ')})`);
			const file = path.join(scratch, 'workflows.json');
			fs.writeFileSync(file, JSON.stringify(workflows));
			await cli(['import:workflow', `--input=${file}`]);
			// n8n imports every workflow inactive; the MCP server only answers once it is active.
			if (workflows.includes(demos.mcpServer.workflow)) await cli(activationArgs(Number(settings.line) as 1 | 2, demos.mcpServer.workflow.id));
			state.importedWorkflows = [...imported, ...workflows.map((workflow) => workflow.id)];
			writeState(settings, state);
		}
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

/**
 * Checks, as the owner, that the demos are there and the MCP server is active. A user may delete
 * or deactivate a demo: said, not failed.
 */
export async function checkDemos(settings: Settings, cookie: string, demos: Demos): Promise<void> {
	const workflows = JSON.stringify((await rest(settings.localUrl, 'GET', 'workflows', undefined, cookie)).json);
	const credentials = JSON.stringify((await rest(settings.localUrl, 'GET', 'credentials', undefined, cookie)).json);
	const missing = [
		...[...demos.vendors.map((demo) => demo.workflow), demos.mcpServer.workflow].filter((workflow) => !workflows.includes(workflow.id)).map((workflow) => `workflow "${workflow.name}"`),
		...demos.vendors.filter((demo) => !credentials.includes(demo.credential.id)).map((demo) => `credential "${demo.credential.name}"`),
	];
	if (missing.length > 0) console.warn(`npm start: note: the owner does not see ${missing.join(', ')} (deleted? npm start -- --reset brings them back)`);
	else if (!(await mcpServerActive(settings, cookie, demos))) {
		console.warn(`npm start: note: the workflow "${demos.mcpServer.workflow.name}" is not active, so ${demos.mcpUrl} does not answer: activate it in the editor`);
	}
}

async function mcpServerActive(settings: Settings, cookie: string, demos: Demos): Promise<boolean> {
	const answer = await rest(settings.localUrl, 'GET', `workflows/${demos.mcpServer.workflow.id}`, undefined, cookie);
	return answer.status === 200 && answer.json?.data?.active === true;
}
