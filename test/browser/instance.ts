/**
 * A demo instance for browser tests, started exactly as a user starts one — `npm start` — but on
 * free ports and in a temporary folder, so it never meets a user's running `npm start`.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { READY_MARKER } from '../../scripts/start';
import { freePorts } from '../helpers/ports';

const REPO_ROOT = path.resolve(__dirname, '../..');

export interface Exit {
	code: number | null;
	signal: NodeJS.Signals | null;
}

export interface DemoInstance {
	line: 1 | 2;
	/** The editor, e.g. http://127.0.0.1:40123 */
	url: string;
	email: string;
	password: string;
	ports: { n8n: number; broker: number; sandbox: number };
	/** Everything `npm start` printed so far. */
	output(): string;
	/** Ctrl-C, as a terminal sends it: SIGINT to npm's process group. Resolves with how npm ended, or undefined if it did not. */
	interrupt(timeoutMs?: number): Promise<Exit | undefined>;
	/** Ends whatever is left (for afterAll). */
	kill(): void;
}


function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	try {
		process.kill(-child.pid!, signal);
	} catch {
		// already gone
	}
}

/**
 * `npm start -- --no-build --reset` for an n8n line, waiting for its ready line. The package must
 * be built (the test command builds it first); the n8n line is installed if missing (minutes).
 */
export async function startDemoInstance(line: 1 | 2, timeoutMs = 15 * 60_000): Promise<DemoInstance> {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) throw new Error('the package is not built: run npm run build');
	const [n8nPort, brokerPort, sandboxPort] = await freePorts(3);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-browser-${line}-`));
	const email = 'browser-test@example.com';
	const password = 'Browser-Test-1';
	const env: NodeJS.ProcessEnv = {
		...process.env,
		N8N_LINE: String(line),
		N8N_PORT: String(n8nPort),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		SANDBOX_PORT: String(sandboxPort),
		N8N_START_DIR: dir,
		N8N_DEMO_EMAIL: email,
		N8N_DEMO_PASSWORD: password,
	};
	// Its own process group, as a terminal gives a foreground job: Ctrl-C is a SIGINT to the group.
	const child = spawn('npm', ['start', '--', '--no-build', '--reset'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));

	let check: NodeJS.Timeout | undefined;
	let giveUp: NodeJS.Timeout | undefined;
	const ready = await Promise.race([
		new Promise<boolean>((resolve) => {
			check = setInterval(() => output.includes(READY_MARKER) && resolve(true), 200);
		}),
		exited.then(() => false),
		new Promise<boolean>((resolve) => (giveUp = setTimeout(() => resolve(false), timeoutMs))),
	]);
	clearInterval(check);
	clearTimeout(giveUp);
	if (!ready) {
		signalGroup(child, 'SIGKILL');
		killN8n(dir);
		throw new Error(`npm start (line ${line}) did not get ready:\n${output.slice(-6000)}`);
	}

	return {
		line,
		url: `http://127.0.0.1:${n8nPort}`,
		email,
		password,
		ports: { n8n: n8nPort, broker: brokerPort, sandbox: sandboxPort },
		output: () => output,
		async interrupt(waitMs = 60_000) {
			signalGroup(child, 'SIGINT');
			let timer: NodeJS.Timeout | undefined;
			const exit = await Promise.race([exited, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)))]);
			clearTimeout(timer);
			return exit;
		},
		kill() {
			if (child.exitCode === null && child.signalCode === null) signalGroup(child, 'SIGKILL');
			killN8n(dir);
			if (process.env.BROWSER_TEST_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** The n8n that `npm start` started in this folder, if it outlived it (start.ts writes its pid). */
function killN8n(dir: string): void {
	const pidFile = path.join(dir, 'n8n.pid');
	if (!fs.existsSync(pidFile)) return;
	const pid = Number(fs.readFileSync(pidFile, 'utf8'));
	try {
		// Only that pid's group, and only if it is still the n8n of this folder.
		const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
		if (environ.includes(`N8N_USER_FOLDER=${dir}`)) process.kill(-pid, 'SIGKILL');
	} catch {
		// gone
	}
}

/** Installs Chromium if needed (scripts/ensure-chromium.sh) and returns its path. */
export function ensureChromium(): string {
	return execFileSync('bash', [path.join(REPO_ROOT, 'scripts/ensure-chromium.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}
