/** The n8n processes `npm start` runs in the instance folder: started, waited for, their logs. */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { sleep } from './processes';
import type { Runtime } from './runtime';
import type { Settings } from './settings';

/** Where a process started by startN8n logs, and what it printed so far. */
type N8nChild = ChildProcess & { printed: () => string };

/**
 * Starts `n8n <command>` in its own process group (so Ctrl-C reaches us first and we stop it in
 * order), its output appended to `<logName>.log` in the instance folder.
 */
export function startN8n(settings: Settings, runtime: Runtime, env: NodeJS.ProcessEnv, args = ['start'], logName = 'n8n'): ChildProcess {
	const log = fs.openSync(path.join(settings.dir, `${logName}.log`), 'a');
	fs.writeSync(log, `\n===== n8n ${runtime.version} ${args.join(' ')} started by npm start at ${new Date().toISOString()} =====\n`);
	const child = spawn(runtime.n8nBin, args, { cwd: settings.dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let printed = '';
	for (const stream of [child.stdout!, child.stderr!]) {
		stream.on('data', (chunk: Buffer) => {
			fs.writeSync(log, chunk);
			if (printed.length < 100_000) printed += chunk.toString('utf8');
			if (settings.verbose) process.stdout.write(logName === 'n8n' ? chunk : chunk.toString('utf8').replace(/^(?=.)/gm, `[${logName}] `));
		});
	}
	child.on('close', () => fs.closeSync(log));
	(child as N8nChild).printed = () => printed;
	fs.writeFileSync(path.join(settings.dir, `${logName}.pid`), String(child.pid));
	return child;
}

/** Waits until a process started by startN8n printed `pattern`. */
export async function waitForOutput(child: ChildProcess, name: string, pattern: RegExp, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	const printed = (child as N8nChild).printed;
	while (!pattern.test(printed())) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} stopped while starting (exit ${child.exitCode ?? child.signalCode})`);
		if (Date.now() > deadline) throw new Error(`${name} was not ready within ${timeoutMs / 1000} s`);
		await sleep(300);
	}
}

/** Waits until n8n answers; tells whether it still asks for an owner account. */
export async function waitForN8n(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<{ showSetupOnFirstLoad: boolean }> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`n8n stopped while starting (exit ${child.exitCode ?? child.signalCode})`);
		try {
			const response = await fetch(`${baseUrl}/rest/settings`);
			if (response.ok) {
				const body = (await response.json()) as { data: { userManagement: { showSetupOnFirstLoad?: boolean } } };
				return { showSetupOnFirstLoad: body.data.userManagement.showSetupOnFirstLoad === true };
			}
		} catch {
			// not listening yet
		}
		await sleep(500);
	}
	throw new Error(`n8n did not answer on ${baseUrl} within ${timeoutMs / 1000} s`);
}

export function logTail(settings: Settings, lines = 30, logName = 'n8n'): string {
	const file = path.join(settings.dir, `${logName}.log`);
	if (!fs.existsSync(file)) return '(no log)';
	return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
