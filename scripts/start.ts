/**
 * `npm start`: a real n8n with this package, the vendor sandbox and three demo workflows.
 *
 *   npm start                    n8n 1.123.81 (line 1) on http://localhost:5678
 *   N8N_LINE=2 npm start         n8n 2.41.1 (line 2, on the Node 24 that the runtime installs)
 *   npm start -- --reset         forget this line's instance (users, workflows, executions) first
 *   npm start -- --queue         queue mode, as n8n scales out: Postgres, Redis, n8n main and two
 *                                `n8n worker` processes (N8N_QUEUE_WORKERS), each with the package
 *
 * Every start builds the package, makes sure the pinned n8n is installed (scripts/n8n-runtime.sh:
 * once, cached in ~/.cache/n8n-nodes-customer-batch), installs the build into the instance as n8n
 * installs a community package, and starts the sandbox and n8n. The first start of a line also
 * imports one credential per vendor (pointing at the sandbox), the demo workflows (test/demo/) and
 * the MCP server demo (the three nodes as tools of n8n's MCP Server Trigger, activated), and
 * creates the owner account whose login it prints. Ctrl-C stops both.
 *
 * The instance lives in .n8n-runtime/line-<N>/ (git-ignored; N8N_START_DIR moves it).
 * Ports: N8N_PORT (5678), N8N_RUNNERS_BROKER_PORT (5679), SANDBOX_PORT (8765). n8n listens on
 * 127.0.0.1 unless N8N_LISTEN_ADDRESS says otherwise. The owner is N8N_DEMO_EMAIL /
 * N8N_DEMO_PASSWORD (read on the first start only). Other N8N_* variables reach n8n as they are.
 * --verbose prints n8n's log, which otherwise goes to <instance>/n8n.log.
 *
 * Queue mode (--queue) is an instance of its own: .n8n-runtime/line-<N>-queue/ for n8n (main's
 * user folder, and worker-<i>/ below it for each worker, with the package installed in each as on
 * separate hosts), and .queue-data/line-<N>/ for Postgres and Redis (scripts/queue-services.sh,
 * which installs them with apt-get when missing). All processes share one encryption key, kept
 * in the instance's demo-state.json. Postgres, Redis and the workers' task brokers take free
 * ports; worker logs go to <instance>/worker-<i>.log. Manual runs from the editor go to the
 * workers too (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true).
 *
 * When it is ready it prints a line starting with READY_MARKER (the browser test waits for it),
 * with the editor's and the MCP server's URLs.
 *
 * Each start-up job has its module in scripts/start/: settings, runtime (n8n and the package),
 * instance (folder, state, ports), n8nProcess, owner, demos, queue (Postgres, Redis, workers),
 * shutdown.
 */
import { startSandbox } from '../test/sandbox/server';
import { checkDemos, demosFor, importDemos } from './start/demos';
import type { Demos } from './start/demos';
import { checkPorts, prepareInstance } from './start/instance';
import type { State } from './start/instance';
import { logTail, startN8n, waitForN8n } from './start/n8nProcess';
import { prepareOwner } from './start/owner';
import { installPackageForWorkers, startQueueServices, startWorkers, workerDirs } from './start/queue';
import { buildPackage, ensureRuntime, installPackage, n8nEnvironment } from './start/runtime';
import type { Runtime } from './start/runtime';
import { PACKAGE_JSON, displayPath, readSettings, step } from './start/settings';
import type { Settings } from './start/settings';
import { Running } from './start/shutdown';

export const READY_MARKER = 'n8n-nodes-customer-batch: ready';

async function main(): Promise<void> {
	const settings = readSettings(process.argv.slice(2));
	await checkPorts(settings);
	const state = await prepareInstance(settings);
	await buildPackage(settings);
	const runtime = await ensureRuntime(settings.line);
	await installPackage(settings.dir);
	await installPackageForWorkers(settings);

	const running = new Running(settings);
	try {
		let services: Record<string, string> | undefined;
		if (settings.queue) {
			step(`starting Postgres and Redis (data in ${displayPath(settings.queue.dataDir)})`);
			running.queueServicesStarted = true;
			services = await startQueueServices(settings.queue.dataDir);
			step(`Postgres on 127.0.0.1:${services.DB_POSTGRESDB_PORT}, Redis on 127.0.0.1:${services.QUEUE_BULL_REDIS_PORT}`);
		}
		const env = n8nEnvironment(settings, runtime, services ? { services, encryptionKey: state.encryptionKey! } : undefined);

		running.sandbox = await startSandbox(settings.sandboxPort, '127.0.0.1');
		step(`vendor sandbox on ${running.sandbox.url}`);
		const demos = demosFor(settings, running.sandbox.url);
		await importDemos(settings, runtime, env, state, demos, running.sandbox.url);

		step(`starting n8n ${runtime.version}${settings.queue ? ' (main)' : ''}`);
		running.n8n = startN8n(settings, runtime, env);
		running.watch(running.n8n, 'n8n');
		const { showSetupOnFirstLoad } = await waitForN8n(settings.localUrl, running.n8n, 5 * 60_000);
		if (settings.queue) {
			const count = settings.queue.workers;
			step(`starting ${count} n8n worker${count > 1 ? 's' : ''}`);
			await startWorkers(settings, runtime, env, (worker, name) => {
				running.workers.push(worker);
				running.watch(worker, name);
			});
		}
		const cookie = await prepareOwner(settings, state, showSetupOnFirstLoad);
		if (cookie) await checkDemos(settings, cookie, demos);

		printReady(settings, runtime, state, demos, running.sandbox.url, services);
	} catch (error) {
		console.error(`npm start: ${(error as Error).message}`);
		if (running.n8n) console.error(`The end of n8n's log:\n${logTail(settings)}`);
		await running.stop(1);
	}
}

function printReady(settings: Settings, runtime: Runtime, state: State, demos: Demos, sandboxUrl: string, services?: Record<string, string>): void {
	const { queue, editorUrl } = settings;
	const owner = state.owner!;
	const indent = '\n                ';
	console.log(
		[
			'',
			`${READY_MARKER} ${editorUrl}  (MCP server: ${demos.mcpUrl})`,
			'',
			`  n8n ${runtime.version} (line ${settings.line}) with ${PACKAGE_JSON.name} ${PACKAGE_JSON.version}${queue ? ', in queue mode' : ''}`,
			`  Editor:       ${editorUrl}`,
			`  Log in with:  ${owner.email}  /  ${owner.password}`,
			'  Workflows:    ' + [...demos.vendors.map((demo) => demo.workflow.name), demos.mcpServer.workflow.name].join(indent),
			`  Credentials:  ${demos.vendors.map((demo) => demo.credential.name).join(', ')} → the vendor sandbox on ${sandboxUrl}`,
			`  MCP server:   ${demos.mcpUrl}  (Streamable HTTP; tools ${demos.mcpServer.tools.map((tool) => tool.toolName).join(', ')})`,
			...(queue && services
				? [
						`  Queue mode:   main + ${queue.workers} workers (logs: ${workerDirs(settings).map((_, index) => `worker-${index + 1}.log`).join(', ')}); every execution runs on a worker`,
						`  Database:     Postgres 127.0.0.1:${services.DB_POSTGRESDB_PORT}, Redis 127.0.0.1:${services.QUEUE_BULL_REDIS_PORT} (data in ${displayPath(queue.dataDir)})`,
					]
				: []),
			`  Instance:     ${displayPath(settings.dir)}  (n8n's log: n8n.log there; npm start -- ${queue ? '--queue ' : ''}--reset starts it afresh)`,
			'',
			queue ? 'Press Ctrl-C to stop n8n, its workers, Postgres, Redis and the sandbox.' : 'Press Ctrl-C to stop n8n and the sandbox.',
		].join('\n'),
	);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`npm start: ${(error as Error).stack ?? error}`);
		process.exit(1);
	});
}
