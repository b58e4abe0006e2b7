/**
 * `npm start`: a real n8n with this package, the vendor sandbox and three demo workflows.
 *
 *   npm start                    n8n 1.123.81 (line 1) on http://localhost:5678
 *   N8N_LINE=2 npm start         n8n 2.41.1 (line 2, on the Node 24 that the runtime installs)
 *   npm start -- --reset         forget this line's instance (users, workflows, executions) first
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
 * When it is ready it prints a line starting with READY_MARKER (the browser test waits for it).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { startSandbox } from '../test/sandbox/server';
import type { Sandbox } from '../test/sandbox/server';
import { demoSetup } from '../test/demo/workflows';
import type { Demo } from '../test/demo/workflows';

export const READY_MARKER = 'n8n-nodes-customer-batch: ready';

const REPO_ROOT = path.resolve(__dirname, '..');
const RUNTIME_SCRIPT = path.join(REPO_ROOT, 'scripts/n8n-runtime.sh');
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
}

/** What the instance folder remembers between starts. */
interface State {
	line: Line;
	owner?: { email: string; password: string; firstName: string; lastName: string };
	/** The sandbox address the credentials were imported with. */
	credentialsFor?: string;
	workflowsImported?: boolean;
}

function readSettings(argv: string[]): Settings {
	const known = new Set(['--reset', '--verbose', '--no-build']);
	const unknown = argv.filter((arg) => !known.has(arg));
	if (unknown.length > 0) fail(`unknown argument ${unknown.join(' ')} (known: ${[...known].join(', ')})`);
	const line = (process.env.N8N_LINE ?? '1').trim();
	if (line !== '1' && line !== '2') fail(`N8N_LINE must be 1 (n8n 1.123.81) or 2 (n8n 2.41.1), not "${line}"`);
	const port = (name: string, fallback: number) => {
		const value = Number(process.env[name] ?? fallback);
		if (!Number.isInteger(value) || value < 1 || value > 65535) fail(`${name} must be a port number, not "${process.env[name]}"`);
		return value;
	};
	return {
		line,
		dir: path.resolve(process.env.N8N_START_DIR ?? path.join(REPO_ROOT, '.n8n-runtime', `line-${line}`)),
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
async function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; showStderr?: boolean } = {}): Promise<string> {
	return await new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** The environment n8n runs with: the caller's N8N_* settings, but never another instance's folder, key or database. */
function n8nEnvironment(settings: Settings, runtime: Runtime): NodeJS.ProcessEnv {
	const inherited: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (key === 'N8N_USER_FOLDER' || key === 'N8N_ENCRYPTION_KEY' || key.startsWith('DB_')) continue;
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

/** Starts n8n in its own process group (so Ctrl-C reaches us first and we stop it in order). */
function startN8n(settings: Settings, runtime: Runtime, env: NodeJS.ProcessEnv): ChildProcess {
	const log = fs.openSync(path.join(settings.dir, 'n8n.log'), 'a');
	fs.writeSync(log, `\n===== n8n ${runtime.version} started by npm start at ${new Date().toISOString()} =====\n`);
	const child = spawn(runtime.n8nBin, ['start'], { cwd: settings.dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	for (const stream of [child.stdout!, child.stderr!]) {
		stream.on('data', (chunk: Buffer) => {
			fs.writeSync(log, chunk);
			if (settings.verbose) process.stdout.write(chunk);
		});
	}
	child.on('close', () => fs.closeSync(log));
	fs.writeFileSync(path.join(settings.dir, 'n8n.pid'), String(child.pid));
	return child;
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

	await checkPorts(settings);
	if (settings.reset && fs.existsSync(settings.dir)) {
		step(`--reset: removing ${path.relative(REPO_ROOT, settings.dir) || settings.dir}`);
		fs.rmSync(settings.dir, { recursive: true, force: true });
	}
	fs.mkdirSync(settings.dir, { recursive: true });
	const state = readState(settings);
	if (state.line !== settings.line) fail(`${settings.dir} holds an instance of n8n line ${state.line}; set N8N_LINE=${state.line}, or another N8N_START_DIR`);

	if (settings.build) {
		step('building the package (npm run build)');
		await run('npm', ['run', 'build']);
	} else if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) {
		fail('--no-build, but there is no dist/: run npm run build');
	}

	step(`making sure n8n line ${settings.line} is installed (the first time takes a few minutes)`);
	const runtime = await ensureRuntime(settings.line);
	await installPackage(settings.dir);
	const env = n8nEnvironment(settings, runtime);

	let sandbox: Sandbox | undefined;
	let n8n: ChildProcess | undefined;
	let stopping = false;

	const stop = async (code: number): Promise<never> => {
		if (stopping) {
			// A second Ctrl-C: no more waiting.
			if (n8n?.pid) signalGroup(n8n.pid, 'SIGKILL');
			process.exit(code || 130);
		}
		stopping = true;
		console.log('\nStopping n8n and the sandbox…');
		if (n8n?.pid && n8n.exitCode === null && n8n.signalCode === null) {
			const exited = new Promise((resolve) => n8n!.once('close', resolve));
			signalGroup(n8n.pid, 'SIGTERM');
			const done = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
			if (!done) signalGroup(n8n.pid, 'SIGKILL');
		}
		fs.rmSync(path.join(settings.dir, 'n8n.pid'), { force: true });
		if (sandbox) await Promise.race([sandbox.close(), sleep(3000)]);
		console.log('Stopped.');
		process.exit(code);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));

	try {
		sandbox = await startSandbox(settings.sandboxPort, '127.0.0.1');
		step(`vendor sandbox on ${sandbox.url}`);
		const demos = demoSetup(sandbox.url);
		await importDemos(settings, runtime, env, state, demos, sandbox.url);

		step(`starting n8n ${runtime.version}`);
		n8n = startN8n(settings, runtime, env);
		n8n.on('close', (code, signal) => {
			if (stopping) return;
			console.error(`\nnpm start: n8n stopped by itself (${signal ?? `exit ${code}`}). The end of its log:\n${logTail(settings)}`);
			void stop(1);
		});
		const { showSetupOnFirstLoad } = await waitForN8n(localUrl, n8n, 5 * 60_000);
		await prepareOwner(localUrl, state, settings, showSetupOnFirstLoad, demos);

		const owner = state.owner!;
		console.log(
			[
				'',
				`${READY_MARKER} ${editorUrl}`,
				'',
				`  n8n ${runtime.version} (line ${settings.line}) with ${PACKAGE_JSON.name} ${PACKAGE_JSON.version}`,
				`  Editor:       ${editorUrl}`,
				`  Log in with:  ${owner.email}  /  ${owner.password}`,
				'  Workflows:    ' + demos.map((demo) => demo.workflow.name).join('\n                '),
				`  Credentials:  ${demos.map((demo) => demo.credential.name).join(', ')} → the vendor sandbox on ${sandbox.url}`,
				`  Instance:     ${displayPath(settings.dir)}  (n8n's log: n8n.log there; npm start -- --reset starts it afresh)`,
				'',
				'Press Ctrl-C to stop n8n and the sandbox.',
			].join('\n'),
		);
	} catch (error) {
		console.error(`npm start: ${(error as Error).message}`);
		if (n8n) console.error(`The end of n8n's log:\n${logTail(settings)}`);
		await stop(1);
	}
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

function logTail(settings: Settings, lines = 30): string {
	const file = path.join(settings.dir, 'n8n.log');
	if (!fs.existsSync(file)) return '(no log)';
	return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`npm start: ${(error as Error).stack ?? error}`);
		process.exit(1);
	});
}
