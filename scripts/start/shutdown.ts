/**
 * What `npm start` started, and how it is stopped: on Ctrl-C (or SIGTERM, SIGHUP), when n8n or a
 * worker stops by itself, or when a start-up step fails. n8n and its workers first, then Postgres
 * and Redis, which n8n needs while it shuts down, then the sandbox. A second Ctrl-C does not wait.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import type { Sandbox } from '../../test/sandbox/server';
import { logTail } from './n8nProcess';
import { signalGroup, sleep } from './processes';
import { stopQueueServices, workerDirs } from './queue';
import type { Settings } from './settings';

export class Running {
	sandbox?: Sandbox;
	n8n?: ChildProcess;
	readonly workers: ChildProcess[] = [];
	queueServicesStarted = false;
	private stopping = false;

	constructor(private readonly settings: Settings) {
		for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void this.stop(0));
	}

	/** Stops everything when a process stops by itself (not while stopping), with the end of its log. */
	watch(child: ChildProcess, logName: string): void {
		child.on('close', (code, signal) => {
			if (this.stopping) return;
			console.error(`\nnpm start: ${logName} stopped by itself (${signal ?? `exit ${code}`}). The end of its log:\n${logTail(this.settings, 30, logName)}`);
			void this.stop(1);
		});
	}

	async stop(code: number): Promise<never> {
		if (this.stopping) {
			// A second Ctrl-C: no more waiting.
			for (const child of [this.n8n, ...this.workers]) if (child?.pid) signalGroup(child.pid, 'SIGKILL');
			process.exit(code || 130);
		}
		this.stopping = true;
		const { settings } = this;
		console.log(settings.queue ? '\nStopping n8n, its workers, Postgres, Redis and the sandbox…' : '\nStopping n8n and the sandbox…');
		await Promise.all([this.n8n, ...this.workers].map(stopProcess));
		fs.rmSync(path.join(settings.dir, 'n8n.pid'), { force: true });
		workerDirs(settings).forEach((_, index) => fs.rmSync(path.join(settings.dir, `worker-${index + 1}.pid`), { force: true }));
		if (settings.queue && this.queueServicesStarted) {
			try {
				await stopQueueServices(settings.queue.dataDir);
			} catch (error) {
				console.error(`npm start: could not stop Postgres or Redis: ${(error as Error).message}`);
			}
		}
		if (this.sandbox) await Promise.race([this.sandbox.close(), sleep(3000)]);
		console.log('Stopped.');
		process.exit(code);
	}
}

/** SIGTERM to the process group (n8n shuts down gracefully), SIGKILL after 20 s. */
async function stopProcess(child: ChildProcess | undefined): Promise<void> {
	if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('close', resolve));
	signalGroup(child.pid, 'SIGTERM');
	const done = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
	if (!done) signalGroup(child.pid, 'SIGKILL');
}
