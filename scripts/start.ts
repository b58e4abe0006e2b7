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
 * imports one credential per vendor (pointing at the sandbox) and the demo workflows
 * (test/demo/), and creates the owner account whose login it prints. Ctrl-C stops both.
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
 * When it is ready it prints a line starting with READY_MARKER (the browser test waits for it).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { startSandbox } from '../test/sandbox/server';
import type { Sandbox } from '../test/sandbox/server';
import { demoSetup } from '../test/demo/workflows';
import type { Demo } from '../test/demo/workflows';
import { freePorts } from '../test/helpers/ports';

export const READY_MARKER = 'n8n-nodes-customer-batch: ready';

const REPO_ROOT = path.resolve(__dirname, '..');
const RUNTIME_SCRIPT = path.join(REPO_ROOT, 'scripts/n8n-runtime.sh');
const QUEUE_SERVICES_SCRIPT = path.join(REPO_ROOT, 'scripts/queue-services.sh');
const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
	files: string[];
};

type Line = '1' | '2';

interface Settings {
	line: Line;
	dir: string;
	n8nPort: number;
	brokerPort: number;
	sandboxPort: number;
	listenAddress: string;
	build: boolean;
	reset: boolean;
	verbose: boolean;
	/** Queue mode: how many workers, and where Postgres and Redis keep their data. */
	queue?: { workers: number; dataDir: string };
}

/** What the instance folder remembers between starts. */
interface State {
	line: Line;
	owner?: { email: string; password: string; firstName: string; lastName: string };
	/** The sandbox address the credentials were imported with. */
	credentialsFor?: string;
	workflowsImported?: boolean;
	/** Queue mode: the key main and every worker encrypt credentials with. */
	encryptionKey?: string;
}

function readSettings(argv: string[]): Settings {
	const known = new Set(['--reset', '--verbose', '--no-build', '--queue']);
	const unknown = argv.filter((arg) => !known.has(arg));
	if (unknown.length > 0) fail(`unknown argument ${unknown.join(' ')} (known: ${[...known].join(', ')})`);
	const line = (process.env.N8N_LINE ?? '1').trim();
	if (line !== '1' && line !== '2') fail(`N8N_LINE must be 1 (n8n 1.123.81) or 2 (n8n 2.41.1), not "${line}"`);
	const port = (name: string, fallback: number) => {
		const value = Number(process.env[name] ?? fallback);
		if (!Number.isInteger(value) || value < 1 || value > 65535) fail(`${name} must be a port number, not "${process.env[name]}"`);
		return value;
	};
	const queue = argv.includes('--queue');
	const workers = Number(process.env.N8N_QUEUE_WORKERS ?? 2);
	if (queue && (!Number.isInteger(workers) || workers < 1 || workers > 8)) fail(`N8N_QUEUE_WORKERS must be 1 to 8, not "${process.env.N8N_QUEUE_WORKERS}"`);
	return {
		line,
		dir: path.resolve(process.env.N8N_START_DIR ?? path.join(REPO_ROOT, '.n8n-runtime', queue ? `line-${line}-queue` : `line-${line}`)),
		queue: queue ? { workers, dataDir: path.join(REPO_ROOT, '.queue-data', `line-${line}`) } : undefined,
		n8nPort: port('N8N_PORT', 5678),
		brokerPort: port('N8N_RUNNERS_BROKER_PORT', 5679),
		sandboxPort: port('SANDBOX_PORT', 8765),
		listenAddress: process.env.N8N_LISTEN_ADDRESS ?? '127.0.0.1',
		build: !argv.includes('--no-build'),
		reset: argv.includes('--reset'),
		verbose: argv.includes('--verbose'),
	};
}

function fail(message: string): never {
	console.error(`npm start: ${message}`);
	process.exit(1);
}

const started = Date.now();
function step(message: string): void {
	console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);
}

/** Runs a command, quiet unless it fails; then its output is shown. */
async function run(
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

async function portFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
	});
}

async function checkPorts(settings: Settings): Promise<void> {
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

interface Runtime {
	n8nBin: string;
	path: string;
	version: string;
}

async function ensureRuntime(line: Line): Promise<Runtime> {
	// The runtime script prints its install progress on stderr: shown, since the first install takes minutes.
	await run('bash', [RUNTIME_SCRIPT, 'ensure', line], { showStderr: true });
	const script = `eval "$("${RUNTIME_SCRIPT}" env ${line})" && printf '%s\\n%s\\n%s\\n' "$N8N_BIN" "$PATH" "$N8N_RUNTIME_DIR"`;
	const [n8nBin, pathValue, runtimeDir] = (await run('bash', ['-c', script])).trim().split('\n');
	const version = (JSON.parse(fs.readFileSync(path.join(runtimeDir, 'node_modules/n8n/package.json'), 'utf8')) as { version: string }).version;
	return { n8nBin, path: pathValue, version };
}

/**
 * Installs the built package the way n8n installs a community package: its published files in
 * `<user folder>/.n8n/nodes/node_modules/<name>`, without dev and peer dependencies (so our
 * `require('n8n-workflow')` finds n8n's own copy), listed in `.n8n/nodes/package.json`.
 * Done on every start, so the instance always runs the current build.
 */
async function installPackage(userFolder: string): Promise<void> {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_JSON.name);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	for (const entry of [...PACKAGE_JSON.files, 'README.md', 'LICENSE']) {
		const source = path.join(REPO_ROOT, entry);
		if (fs.existsSync(source)) fs.cpSync(source, path.join(target, entry), { recursive: true });
	}
	const dropped = new Set(['devDependencies', 'peerDependencies', 'optionalDependencies', 'scripts']);
	const manifest = Object.fromEntries(Object.entries(PACKAGE_JSON).filter(([key]) => !dropped.has(key)));
	fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify(manifest, null, 2));
	// None today; should the package get runtime dependencies, they are installed as n8n would.
	if (Object.keys((manifest.dependencies as object | undefined) ?? {}).length > 0) {
		await run('npm', ['install', '--omit=dev', '--audit=false', '--fund=false', '--ignore-scripts', '--package-lock=false'], { cwd: target });
	}
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_JSON.name]: PACKAGE_JSON.version } }, null, 2),
	);
}

/**
 * The environment n8n runs with: the caller's N8N_* settings, but never another instance's folder,
 * key, database or queue. `queue` holds the DB_* and QUEUE_* settings of queue mode.
 */
function n8nEnvironment(settings: Settings, runtime: Runtime, queue?: { services: Record<string, string>; encryptionKey: string }): NodeJS.ProcessEnv {
	const inherited: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (key === 'N8N_USER_FOLDER' || key === 'N8N_ENCRYPTION_KEY' || key.startsWith('DB_') || key.startsWith('QUEUE_BULL_') || key === 'EXECUTIONS_MODE') continue;
		// jest sets NODE_ENV=test, and n8n then refuses to load nodes.
		if (key === 'NODE_ENV' && value === 'test') continue;
		inherited[key] = value;
	}
	return {
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		...inherited,
		PATH: runtime.path,
		N8N_USER_FOLDER: settings.dir,
		N8N_PORT: String(settings.n8nPort),
		N8N_LISTEN_ADDRESS: settings.listenAddress,
		N8N_RUNNERS_BROKER_PORT: String(settings.brokerPort),
		DB_TYPE: 'sqlite',
		// isolated-vm, which the default expression engine needs, is not built (scripts/n8n-runtime.sh).
		N8N_EXPRESSION_ENGINE: 'legacy',
		...(queue
			? {
					OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: process.env.OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS ?? 'true',
					...queue.services,
					EXECUTIONS_MODE: 'queue',
					N8N_ENCRYPTION_KEY: queue.encryptionKey,
				}
			: {}),
	};
}

function readState(settings: Settings): State {
	const file = path.join(settings.dir, 'demo-state.json');
	if (!fs.existsSync(file)) return { line: settings.line };
	return JSON.parse(fs.readFileSync(file, 'utf8')) as State;
}

function writeState(settings: Settings, state: State): void {
	fs.writeFileSync(path.join(settings.dir, 'demo-state.json'), JSON.stringify(state, null, 2), { mode: 0o600 });
}

/** Imports the demo credentials (when the sandbox address changed) and workflows (once). */
async function importDemos(settings: Settings, runtime: Runtime, env: NodeJS.ProcessEnv, state: State, demos: Demo[], sandboxUrl: string): Promise<void> {
	const scratch = fs.mkdtempSync(path.join(settings.dir, 'import-'));
	try {
		const cli = async (args: string[]) => await run(runtime.n8nBin, args, { cwd: settings.dir, env });
		if (state.credentialsFor !== sandboxUrl) {
			step(state.credentialsFor ? `pointing the demo credentials at ${sandboxUrl}` : 'importing the demo credentials');
			const file = path.join(scratch, 'credentials.json');
			fs.writeFileSync(file, JSON.stringify(demos.map((demo) => demo.credential)), { mode: 0o600 });
			await cli(['import:credentials', `--input=${file}`]);
			state.credentialsFor = sandboxUrl;
			writeState(settings, state);
		}
		if (!state.workflowsImported) {
			step('importing the demo workflows');
			const file = path.join(scratch, 'workflows.json');
			fs.writeFileSync(file, JSON.stringify(demos.map((demo) => demo.workflow)));
			await cli(['import:workflow', `--input=${file}`]);
			state.workflowsImported = true;
			writeState(settings, state);
		}
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

/**
 * Starts `n8n <command>` in its own process group (so Ctrl-C reaches us first and we stop it in
 * order), its output appended to `<logName>.log` in the instance folder.
 */
function startN8n(settings: Settings, runtime: Runtime, env: NodeJS.ProcessEnv, args = ['start'], logName = 'n8n'): ChildProcess {
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
	(child as ChildProcess & { printed: () => string }).printed = () => printed;
	fs.writeFileSync(path.join(settings.dir, `${logName}.pid`), String(child.pid));
	return child;
}

/** Waits until a process started by startN8n printed `pattern`. */
async function waitForOutput(child: ChildProcess, name: string, pattern: RegExp, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	const printed = (child as ChildProcess & { printed: () => string }).printed;
	while (!pattern.test(printed())) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} stopped while starting (exit ${child.exitCode ?? child.signalCode})`);
		if (Date.now() > deadline) throw new Error(`${name} was not ready within ${timeoutMs / 1000} s`);
		await sleep(300);
	}
}

/** Postgres and Redis for queue mode: installed if missing, started with their data in `dataDir`. */
async function startQueueServices(dataDir: string): Promise<Record<string, string>> {
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForN8n(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<{ showSetupOnFirstLoad: boolean }> {
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

async function rest(baseUrl: string, method: string, route: string, body?: unknown, cookie?: string): Promise<{ status: number; json: any; cookie?: string }> {
	const response = await fetch(`${baseUrl}/rest/${route}`, {
		method,
		headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	const setCookie = response.headers.get('set-cookie');
	return { status: response.status, json, cookie: setCookie ? setCookie.split(';')[0] : undefined };
}

/** Creates the owner on a new instance, logs in, and checks the owner sees the demo workflows and credentials. */
async function prepareOwner(baseUrl: string, state: State, settings: Settings, showSetup: boolean, demos: Demo[]): Promise<void> {
	if (!state.owner) {
		state.owner = {
			email: process.env.N8N_DEMO_EMAIL ?? 'demo@example.com',
			password: process.env.N8N_DEMO_PASSWORD ?? 'Customer-Batch-1',
			firstName: 'Demo',
			lastName: 'Owner',
		};
	}
	if (showSetup) {
		step(`creating the owner account ${state.owner.email}`);
		const setup = await rest(baseUrl, 'POST', 'owner/setup', state.owner);
		if (setup.status !== 200) throw new Error(`owner setup failed (HTTP ${setup.status}): ${JSON.stringify(setup.json).slice(0, 500)}`);
		writeState(settings, state);
	}
	const login = await rest(baseUrl, 'POST', 'login', { emailOrLdapLoginId: state.owner.email, password: state.owner.password });
	if (login.status !== 200 || !login.cookie) {
		console.warn(`npm start: warning: could not log in as ${state.owner.email} (HTTP ${login.status}); was the password changed in n8n?`);
		return;
	}
	const workflows = JSON.stringify((await rest(baseUrl, 'GET', 'workflows', undefined, login.cookie)).json);
	const credentials = JSON.stringify((await rest(baseUrl, 'GET', 'credentials', undefined, login.cookie)).json);
	const missing = [
		...demos.filter((demo) => !workflows.includes(demo.workflow.id)).map((demo) => `workflow "${demo.workflow.name}"`),
		...demos.filter((demo) => !credentials.includes(demo.credential.id)).map((demo) => `credential "${demo.credential.name}"`),
	];
	// A user may delete a demo; say so rather than fail.
	if (missing.length > 0) console.warn(`npm start: note: the owner does not see ${missing.join(', ')} (deleted? npm start -- --reset brings them back)`);
}

async function main(): Promise<void> {
	const settings = readSettings(process.argv.slice(2));
	const editorUrl = `http://localhost:${settings.n8nPort}`;
	// Where this script reaches n8n: loopback, unless n8n listens on one other address only.
	const host = ['127.0.0.1', '0.0.0.0', '::', 'localhost'].includes(settings.listenAddress) ? '127.0.0.1' : settings.listenAddress;
	const localUrl = `http://${net.isIPv6(host) ? `[${host}]` : host}:${settings.n8nPort}`;
	const queue = settings.queue;

	await checkPorts(settings);
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
	if (queue && !fs.existsSync(path.join(queue.dataDir, 'postgres-password')) && (state.credentialsFor || state.workflowsImported)) {
		// The database is new (its folder was removed): import the demos into it again.
		state.credentialsFor = undefined;
		state.workflowsImported = false;
		writeState(settings, state);
	}
	if (queue && !state.encryptionKey) {
		state.encryptionKey = randomBytes(24).toString('hex');
		writeState(settings, state);
	}

	if (settings.build) {
		step('building the package (npm run build)');
		await run('npm', ['run', 'build']);
	} else if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) {
		fail('--no-build, but there is no dist/: run npm run build');
	}

	step(`making sure n8n line ${settings.line} is installed (the first time takes a few minutes)`);
	const runtime = await ensureRuntime(settings.line);
	await installPackage(settings.dir);
	const workerDirs = queue ? Array.from({ length: queue.workers }, (_, index) => path.join(settings.dir, `worker-${index + 1}`)) : [];
	// Each worker is a host of its own: the package is installed where it loads community packages.
	for (const dir of workerDirs) await installPackage(dir);

	let sandbox: Sandbox | undefined;
	let n8n: ChildProcess | undefined;
	const workers: ChildProcess[] = [];
	let servicesStarted = false;
	let stopping = false;

	const stopProcess = async (child: ChildProcess | undefined): Promise<void> => {
		if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('close', resolve));
		signalGroup(child.pid, 'SIGTERM');
		const done = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
		if (!done) signalGroup(child.pid, 'SIGKILL');
	};
	const stop = async (code: number): Promise<never> => {
		if (stopping) {
			// A second Ctrl-C: no more waiting.
			for (const child of [n8n, ...workers]) if (child?.pid) signalGroup(child.pid, 'SIGKILL');
			process.exit(code || 130);
		}
		stopping = true;
		console.log(queue ? '\nStopping n8n, its workers, Postgres, Redis and the sandbox…' : '\nStopping n8n and the sandbox…');
		await Promise.all([n8n, ...workers].map(stopProcess));
		fs.rmSync(path.join(settings.dir, 'n8n.pid'), { force: true });
		workerDirs.forEach((_, index) => fs.rmSync(path.join(settings.dir, `worker-${index + 1}.pid`), { force: true }));
		if (queue && servicesStarted) {
			try {
				await run('bash', [QUEUE_SERVICES_SCRIPT, 'stop', queue.dataDir]);
			} catch (error) {
				console.error(`npm start: could not stop Postgres or Redis: ${(error as Error).message}`);
			}
		}
		if (sandbox) await Promise.race([sandbox.close(), sleep(3000)]);
		console.log('Stopped.');
		process.exit(code);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));

	try {
		let services: Record<string, string> | undefined;
		if (queue) {
			step(`starting Postgres and Redis (data in ${displayPath(queue.dataDir)})`);
			servicesStarted = true;
			services = await startQueueServices(queue.dataDir);
			step(`Postgres on 127.0.0.1:${services.DB_POSTGRESDB_PORT}, Redis on 127.0.0.1:${services.QUEUE_BULL_REDIS_PORT}`);
		}
		const env = n8nEnvironment(settings, runtime, queue && services ? { services, encryptionKey: state.encryptionKey! } : undefined);

		sandbox = await startSandbox(settings.sandboxPort, '127.0.0.1');
		step(`vendor sandbox on ${sandbox.url}`);
		const demos = demoSetup(sandbox.url);
		await importDemos(settings, runtime, env, state, demos, sandbox.url);

		step(`starting n8n ${runtime.version}${queue ? ' (main)' : ''}`);
		n8n = startN8n(settings, runtime, env);
		n8n.on('close', (code, signal) => {
			if (stopping) return;
			console.error(`\nnpm start: n8n stopped by itself (${signal ?? `exit ${code}`}). The end of its log:\n${logTail(settings)}`);
			void stop(1);
		});
		const { showSetupOnFirstLoad } = await waitForN8n(localUrl, n8n, 5 * 60_000);
		if (queue) {
			step(`starting ${workerDirs.length} n8n worker${workerDirs.length > 1 ? 's' : ''}`);
			const brokerPorts = await freePorts(workerDirs.length);
			workerDirs.forEach((dir, index) => {
				const name = `worker-${index + 1}`;
				const worker = startN8n(settings, runtime, { ...env, N8N_USER_FOLDER: dir, N8N_RUNNERS_BROKER_PORT: String(brokerPorts[index]) }, ['worker'], name);
				worker.on('close', (code, signal) => {
					if (stopping) return;
					console.error(`\nnpm start: ${name} stopped by itself (${signal ?? `exit ${code}`}). The end of its log:\n${logTail(settings, 30, name)}`);
					void stop(1);
				});
				workers.push(worker);
			});
			await Promise.all(workers.map((worker, index) => waitForOutput(worker, `worker-${index + 1}`, /n8n worker is now ready/, 5 * 60_000)));
		}
		await prepareOwner(localUrl, state, settings, showSetupOnFirstLoad, demos);

		const owner = state.owner!;
		console.log(
			[
				'',
				`${READY_MARKER} ${editorUrl}`,
				'',
				`  n8n ${runtime.version} (line ${settings.line}) with ${PACKAGE_JSON.name} ${PACKAGE_JSON.version}${queue ? ', in queue mode' : ''}`,
				`  Editor:       ${editorUrl}`,
				`  Log in with:  ${owner.email}  /  ${owner.password}`,
				'  Workflows:    ' + demos.map((demo) => demo.workflow.name).join('\n                '),
				`  Credentials:  ${demos.map((demo) => demo.credential.name).join(', ')} → the vendor sandbox on ${sandbox.url}`,
				...(queue && services
					? [
							`  Queue mode:   main + ${workerDirs.length} workers (logs: ${workerDirs.map((_, index) => `worker-${index + 1}.log`).join(', ')}); every execution runs on a worker`,
							`  Database:     Postgres 127.0.0.1:${services.DB_POSTGRESDB_PORT}, Redis 127.0.0.1:${services.QUEUE_BULL_REDIS_PORT} (data in ${displayPath(queue.dataDir)})`,
						]
					: []),
				`  Instance:     ${displayPath(settings.dir)}  (n8n's log: n8n.log there; npm start -- ${queue ? '--queue ' : ''}--reset starts it afresh)`,
				'',
				queue ? 'Press Ctrl-C to stop n8n, its workers, Postgres, Redis and the sandbox.' : 'Press Ctrl-C to stop n8n and the sandbox.',
			].join('\n'),
		);
	} catch (error) {
		console.error(`npm start: ${(error as Error).message}`);
		if (n8n) console.error(`The end of n8n's log:\n${logTail(settings)}`);
		await stop(1);
	}
}

/** Removes the Postgres and Redis data of queue mode, also where the folder links to (see queue-services.sh). */
function removeQueueData(dataDir: string): void {
	const postgres = path.join(dataDir, 'postgres');
	if (fs.existsSync(postgres) && fs.lstatSync(postgres).isSymbolicLink()) fs.rmSync(fs.realpathSync(postgres), { recursive: true, force: true });
	fs.rmSync(dataDir, { recursive: true, force: true });
}

function displayPath(dir: string): string {
	const relative = path.relative(process.cwd(), dir);
	return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dir;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

function logTail(settings: Settings, lines = 30, logName = 'n8n'): string {
	const file = path.join(settings.dir, `${logName}.log`);
	if (!fs.existsSync(file)) return '(no log)';
	return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`npm start: ${(error as Error).stack ?? error}`);
		process.exit(1);
	});
}
