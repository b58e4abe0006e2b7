/**
 * The instance folder (`.n8n-runtime/line-<N>/`, or N8N_START_DIR): what it remembers between
 * starts (demo-state.json), `--reset`, and the ports it needs.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { portFree, run } from './processes';
import { QUEUE_SERVICES_SCRIPT, removeQueueData } from './queue';
import { REPO_ROOT, fail, step } from './settings';
import type { Line, Settings } from './settings';

/** What the instance folder remembers between starts. */
export interface State {
	line: Line;
	owner?: { email: string; password: string; firstName: string; lastName: string };
	/** The sandbox address the credentials were imported with. */
	credentialsFor?: string;
	/** The ids of the demo workflows imported so far (each is imported once). */
	importedWorkflows?: string[];
	/** Before importedWorkflows: the vendor demos were imported. */
	workflowsImported?: boolean;
	/** Queue mode: the key main and every worker encrypt credentials with. */
	encryptionKey?: string;
}

export function writeState(settings: Settings, state: State): void {
	fs.writeFileSync(path.join(settings.dir, 'demo-state.json'), JSON.stringify(state, null, 2), { mode: 0o600 });
}

function readState(settings: Settings): State {
	const file = path.join(settings.dir, 'demo-state.json');
	if (!fs.existsSync(file)) return { line: settings.line };
	return JSON.parse(fs.readFileSync(file, 'utf8')) as State;
}

export async function checkPorts(settings: Settings): Promise<void> {
	const busy: string[] = [];
	for (const [name, port] of [
		['N8N_PORT', settings.n8nPort],
		['N8N_RUNNERS_BROKER_PORT', settings.brokerPort],
		['SANDBOX_PORT', settings.sandboxPort],
	] as const) {
		if (!(await portFree(port))) busy.push(`${port} (${name})`);
	}
	if (busy.length === 0) return;
	const pidFile = path.join(settings.dir, 'n8n.pid');
	const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : undefined;
	const alive = pid !== undefined && fs.existsSync(`/proc/${pid}`);
	fail(
		`port ${busy.join(', ')} is in use.` +
			(alive ? ` An n8n started earlier for this instance still runs (pid ${pid}).` : ' Is another `npm start` running?') +
			' Stop it, or choose other ports, e.g. N8N_PORT=5680 N8N_RUNNERS_BROKER_PORT=5681 SANDBOX_PORT=8766 npm start',
	);
}

/**
 * The instance folder, emptied first under `--reset` (with queue mode's Postgres and Redis data),
 * and what it remembers. Queue mode's shared encryption key is made on its first start.
 */
export async function prepareInstance(settings: Settings): Promise<State> {
	const { queue } = settings;
	if (settings.reset) {
		if (fs.existsSync(settings.dir)) {
			step(`--reset: removing ${path.relative(REPO_ROOT, settings.dir) || settings.dir}`);
			fs.rmSync(settings.dir, { recursive: true, force: true });
		}
		if (queue && fs.existsSync(queue.dataDir)) {
			step(`--reset: removing ${path.relative(REPO_ROOT, queue.dataDir)} (Postgres and Redis data)`);
			await run('bash', [QUEUE_SERVICES_SCRIPT, 'stop', queue.dataDir]);
			removeQueueData(queue.dataDir);
		}
	}
	fs.mkdirSync(settings.dir, { recursive: true });
	const state = readState(settings);
	if (state.line !== settings.line) fail(`${settings.dir} holds an instance of n8n line ${state.line}; set N8N_LINE=${state.line}, or another N8N_START_DIR`);
	if (queue && !fs.existsSync(path.join(queue.dataDir, 'postgres-password')) && (state.credentialsFor || state.importedWorkflows?.length || state.workflowsImported)) {
		// The database is new (its folder was removed): import the demos into it again.
		state.credentialsFor = undefined;
		state.importedWorkflows = [];
		state.workflowsImported = undefined;
		writeState(settings, state);
	}
	if (queue && !state.encryptionKey) {
		state.encryptionKey = randomBytes(24).toString('hex');
		writeState(settings, state);
	}
	return state;
}
