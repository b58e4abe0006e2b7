/** Child processes for `npm start`: one-off commands and signals to process groups. */
import { spawn } from 'node:child_process';
import net from 'node:net';

import { REPO_ROOT } from './settings';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a command, quiet unless it fails; then its output is shown. */
export async function run(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; showStderr?: boolean; detached?: boolean } = {},
): Promise<string> {
	return await new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: options.cwd ?? REPO_ROOT,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: options.detached ?? false,
		});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => {
			err.push(chunk);
			if (options.showStderr) process.stderr.write(chunk);
		});
		child.on('error', reject);
		child.on('close', (code) => {
			const stdout = Buffer.concat(out).toString('utf8');
			if (code === 0) return resolve(stdout);
			const stderr = Buffer.concat(err).toString('utf8');
			reject(new Error(`${command} ${args.join(' ')} failed (exit ${code})\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`));
		});
	});
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

export async function portFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
	});
}
