/**
 * Queue mode (`--queue`): Postgres and Redis (scripts/queue-services.sh, which installs them with
 * apt-get when missing) with their data in `.queue-data/line-<N>/`, and the `n8n worker`
 * processes, each with a user folder of its own and the package installed there, as on separate
 * hosts.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { freePorts } from '../../test/helpers/ports';
import { startN8n, waitForOutput } from './n8nProcess';
import { run } from './processes';
import type { Runtime } from './runtime';
import { installPackage } from './runtime';
import { REPO_ROOT } from './settings';
import type { Settings } from './settings';

export const QUEUE_SERVICES_SCRIPT = path.join(REPO_ROOT, 'scripts/queue-services.sh');

/** Postgres and Redis for queue mode: installed if missing, started with their data in `dataDir`. */
export async function startQueueServices(dataDir: string): Promise<Record<string, string>> {
	await run('bash', [QUEUE_SERVICES_SCRIPT, 'install'], { showStderr: true });
	const [postgresPort, redisPort] = await freePorts(2);
	// Its own session: the servers it leaves running must not get the terminal's Ctrl-C, but be
	// stopped after n8n, which needs them while it shuts down.
	const printed = await run('bash', [QUEUE_SERVICES_SCRIPT, 'start', dataDir, String(postgresPort), String(redisPort)], { showStderr: true, detached: true });
	const services: Record<string, string> = {};
	for (const line of printed.trim().split('\n')) {
		const at = line.indexOf('=');
		if (at > 0) services[line.slice(0, at)] = line.slice(at + 1);
	}
	return services;
}

export async function stopQueueServices(dataDir: string): Promise<void> {
	await run('bash', [QUEUE_SERVICES_SCRIPT, 'stop', dataDir]);
}

/** Removes the Postgres and Redis data of queue mode, also where the folder links to (see queue-services.sh). */
export function removeQueueData(dataDir: string): void {
	const postgres = path.join(dataDir, 'postgres');
	if (fs.existsSync(postgres) && fs.lstatSync(postgres).isSymbolicLink()) fs.rmSync(fs.realpathSync(postgres), { recursive: true, force: true });
	fs.rmSync(dataDir, { recursive: true, force: true });
}

/** The user folders of the workers, `worker-<i>/` in the instance folder (none outside queue mode). */
export function workerDirs(settings: Settings): string[] {
	return Array.from({ length: settings.queue?.workers ?? 0 }, (_, index) => path.join(settings.dir, `worker-${index + 1}`));
}

/** Each worker is a host of its own: the package is installed where it loads community packages. */
export async function installPackageForWorkers(settings: Settings): Promise<void> {
	for (const dir of workerDirs(settings)) await installPackage(dir);
}

/**
 * Starts the workers, each with its own task broker port, and waits until each is ready.
 * `started` hears of each worker as soon as it runs (to stop it with the rest).
 */
export async function startWorkers(settings: Settings, runtime: Runtime, env: NodeJS.ProcessEnv, started: (worker: ChildProcess, name: string) => void): Promise<void> {
	const dirs = workerDirs(settings);
	const brokerPorts = await freePorts(dirs.length);
	const waits = dirs.map((dir, index) => {
		const name = `worker-${index + 1}`;
		const worker = startN8n(settings, runtime, { ...env, N8N_USER_FOLDER: dir, N8N_RUNNERS_BROKER_PORT: String(brokerPorts[index]) }, ['worker'], name);
		started(worker, name);
		return waitForOutput(worker, name, /n8n worker is now ready/, 5 * 60_000);
	});
	await Promise.all(waits);
}
