/**
 * Runs workflows headless in a real n8n process with this package loaded.
 *
 * One instance = one temporary n8n user folder (its own sqlite DB) with the built package
 * installed in it. Every call starts a fresh `n8n` CLI process, and each costs n8n's start-up
 * (about 3 s on line 1), so a test file should create one instance in `beforeAll`, import all
 * its credentials and workflows in one call each, and run them together with `executeAll`.
 *
 *   const n8n = await createN8nInstance({ line: 1, install: 'community' });
 *   await n8n.importCredentials([{ id: 'thulium1', name: 'Thulium', type: 'thuliumApi', data }]);
 *   const [id] = await n8n.importWorkflows([buildWorkflow({ name, nodes, edges })]);
 *   const runs = await n8n.executeAll();
 *   runs.get(id)!.json('Thulium', 1);  // items on the node's second output
 *   await n8n.dispose();
 *
 * Needs `npm run build` (dist/) and installs the pinned n8n on first use through
 * scripts/n8n-runtime.sh (minutes; cached afterwards). N8N_TEST_KEEP=1 keeps the user folders,
 * N8N_TEST_VERBOSE=1 prints each n8n command's duration.
 */
import { spawn, execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import type { IConnections, IDataObject, INode, INodeExecutionData, IRun } from 'n8n-workflow';

import { freePorts } from '../helpers/ports';
import { startTestSandbox } from '../helpers/sandboxClient';
import type { SandboxHandle } from '../helpers/sandboxClient';

const execFileAsync = promisify(execFile);

const REPO_ROOT = path.resolve(__dirname, '../..');
const RUNTIME_SCRIPT = path.join(REPO_ROOT, 'scripts/n8n-runtime.sh');
const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
	n8n: { nodes: string[]; credentials: string[] };
};

/** 1 = n8n 1.123.81 on the system Node, 2 = n8n 2.41.1 on Node 24 (see scripts/n8n-runtime.sh). */
export type N8nLine = 1 | 2;

/**
 * How the package reaches n8n: `custom` = a folder in N8N_CUSTOM_EXTENSIONS (node types
 * `CUSTOM.<name>`); `community` = installed the way n8n installs a community package into
 * `~/.n8n/nodes` (node types `<package name>.<name>`).
 */
export type InstallMode = 'custom' | 'community';

export interface N8nInstanceOptions {
	line?: N8nLine;
	install?: InstallMode;
	/** Extra environment for every n8n process; wins over the harness defaults. */
	env?: Record<string, string>;
	/** Per-command limit; the process group is killed after it. Default 5 minutes. */
	commandTimeoutMs?: number;
}

export interface CredentialInput {
	id?: string;
	name: string;
	type: string;
	/** Plain values; `import:credentials` encrypts them with the instance's key. */
	data: IDataObject;
}

export interface NodeSpec {
	name: string;
	type: string;
	typeVersion?: number;
	parameters?: IDataObject;
	credentials?: Record<string, { id: string; name: string }>;
	/** `continueErrorOutput` is n8n's "On Error → Continue (using error output)". */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	position?: [number, number];
	/** Any other node setting (retryOnFail, alwaysOutputData, …). */
	[setting: string]: unknown;
}

/** [from node, to node, output index of `from` (default 0), input index of `to` (default 0)] */
export type Edge = [from: string, to: string, fromOutput?: number, toInput?: number];

export interface WorkflowInput {
	id?: string;
	name: string;
	nodes: Array<INode | NodeSpec>;
	connections: IConnections;
	settings?: IDataObject;
	[key: string]: unknown;
}

/** The result of a finished n8n CLI process. */
interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

const OUTPUT_CAP = 6000;

/** An n8n process failed, or printed nothing the harness could read. */
export class N8nCommandError extends Error {
	constructor(message: string, readonly result?: CommandResult) {
		super(
			result
				? `${message} (exit ${result.code}, ${result.durationMs} ms)\n` +
						`--- stdout (tail) ---\n${tail(result.stdout)}\n--- stderr (tail) ---\n${tail(result.stderr)}`
				: message,
		);
		this.name = 'N8nCommandError';
	}
}

function tail(text: string, max = OUTPUT_CAP): string {
	return text.length <= max ? text : `…[${text.length - max} chars cut]…\n${text.slice(-max)}`;
}

/** One workflow run, as n8n reported it. */
export class Execution {
	constructor(
		readonly workflowId: string,
		/** The full run data; absent for a failed workflow run by `executeAll`. */
		readonly run: IRun | undefined,
		/** The workflow-level error message when the run failed. */
		readonly error?: string,
	) {}

	get ok(): boolean {
		return this.error === undefined;
	}

	/** Names of the nodes that ran. */
	get executedNodes(): string[] {
		return Object.keys(this.runData());
	}

	/** How many times the node ran in this execution (a node in a loop runs once per round). */
	runCount(nodeName: string): number {
		return this.runData()[nodeName]?.length ?? 0;
	}

	/** Every output of the node's first run: one item array per output. */
	outputs(nodeName: string, runIndex = 0): INodeExecutionData[][] {
		const task = this.runData()[nodeName]?.[runIndex];
		if (!task) {
			throw new Error(
				`node "${nodeName}" did not run (run ${runIndex}) in workflow ${this.workflowId}; ` +
					`ran: ${this.executedNodes.join(', ') || 'nothing'}${this.error ? `; error: ${this.error}` : ''}`,
			);
		}
		return (task.data?.main ?? []).map((items) => items ?? []);
	}

	/** Items on one output of the node (an empty array when the output got none). */
	output(nodeName: string, outputIndex = 0, runIndex = 0): INodeExecutionData[] {
		return this.outputs(nodeName, runIndex)[outputIndex] ?? [];
	}

	/** The `json` of the items on one output. */
	json(nodeName: string, outputIndex = 0, runIndex = 0): IDataObject[] {
		return this.output(nodeName, outputIndex, runIndex).map((item) => item.json);
	}

	/** The error a node stopped with, if it did. */
	nodeError(nodeName: string, runIndex = 0): { message?: string; description?: string | null } | undefined {
		return this.runData()[nodeName]?.[runIndex]?.error as { message?: string } | undefined;
	}

	private runData(): IRun['data']['resultData']['runData'] {
		if (!this.run) {
			throw new Error(
				`workflow ${this.workflowId} failed (${this.error}); executeAll keeps no run data for ` +
					'failed runs, use execute(id) to get it',
			);
		}
		return this.run.data.resultData.runData;
	}
}

export interface N8nInstance {
	readonly line: N8nLine;
	readonly install: InstallMode;
	/** N8N_USER_FOLDER of this instance (n8n keeps its data in `.n8n/` below it). */
	readonly userFolder: string;
	/** The n8n version that runs, e.g. "1.123.81". */
	readonly version: string;
	/** The full node type for one of this package's nodes, e.g. `CUSTOM.thuliumBatchCustomers`. */
	nodeType(nodeName: string): string;
	importCredentials(credentials: CredentialInput[]): Promise<void>;
	/** Imports in one n8n process; returns the workflow ids in order. */
	importWorkflows(workflows: WorkflowInput[]): Promise<string[]>;
	importWorkflow(workflow: WorkflowInput): Promise<string>;
	/** `n8n execute`: one process per run, full run data also for failed runs. */
	execute(workflowId: string): Promise<Execution>;
	/**
	 * `n8n execute-batch`: runs the given workflows (default: all imported) one after another in a
	 * single process. Failed runs come back with their error message only.
	 */
	executeAll(workflowIds?: string[]): Promise<Map<string, Execution>>;
	/** Any other n8n CLI command in this instance, e.g. `['export:workflow', '--all']`. */
	run(args: string[]): Promise<CommandResult>;
	/** Activates an imported workflow; takes effect in `n8n start` processes started afterwards. */
	activateWorkflow(workflowId: string): Promise<void>;
	/**
	 * Starts a long-running n8n process (`['start']`, `['worker']`, …) with its own task broker
	 * port. `ownUserFolder` gives it a user folder of its own with the package installed the same
	 * way (as a separate n8n host would have); otherwise it shares this instance's. `dispose`
	 * stops what is still running.
	 */
	startProcess(name: string, args: string[], options?: { ownUserFolder?: boolean; env?: Record<string, string> }): Promise<N8nProcess>;
	/** Reads the run data n8n stores for an execution (the `execution_data.data` column: flatted JSON). */
	parseStoredRunData(stored: string): IRun['data'];
	dispose(): Promise<void>;
}

/** A long-running n8n process started by `startProcess`. */
export interface N8nProcess {
	readonly name: string;
	readonly userFolder: string;
	/** What it printed so far, stdout and stderr interleaved (also in `<name>.log` beside the user folder). */
	output(): string;
	readonly exited: boolean;
	/** Resolves once the output matches; rejects if the process exits first or after `timeoutMs`. */
	waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
	/** SIGTERM to its process group (n8n shuts down gracefully), SIGKILL after 30 s. */
	stop(): Promise<void>;
}

/**
 * The vendor sandbox (test/sandbox/server.ts) on a free port of 127.0.0.1, with its control API.
 * n8n runs on the same machine, so credentials can point at `${sandbox.url}/<vendor>/…`.
 */
export function startSandbox(): Promise<SandboxHandle> {
	return startTestSandbox();
}

interface Runtime {
	n8nBin: string;
	path: string;
	version: string;
}

/** Installs the n8n line if needed (cached) and reads where it is. */
async function ensureRuntime(line: N8nLine): Promise<Runtime> {
	const script =
		`"${RUNTIME_SCRIPT}" ensure ${line} >/dev/null && eval "$("${RUNTIME_SCRIPT}" env ${line})" && ` +
		'printf "%s\\n%s\\n" "$N8N_BIN" "$PATH" && "$N8N_BIN" --version';
	try {
		const { stdout } = await execFileAsync('bash', ['-c', script], { maxBuffer: 16 << 20 });
		const [n8nBin, pathValue, version] = stdout.trim().split('\n');
		return { n8nBin, path: pathValue, version: version.trim() };
	} catch (error) {
		const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
		throw new N8nCommandError(`could not set up n8n line ${line} with ${RUNTIME_SCRIPT}`, {
			code: (error as { code?: number }).code ?? null,
			stdout,
			stderr,
			durationMs: 0,
		});
	}
}

function assertBuilt(): void {
	const missing = [...PACKAGE_JSON.n8n.nodes, ...PACKAGE_JSON.n8n.credentials].filter(
		(file) => !fs.existsSync(path.join(REPO_ROOT, file)),
	);
	if (missing.length > 0) {
		throw new Error(`the package is not built (missing ${missing.join(', ')}); run \`npm run build\``);
	}
}

/** A folder only n8n sees: no node_modules above it, so `require('n8n-workflow')` from our
 *  code resolves to n8n's own copy (n8n puts its module paths on NODE_PATH), as for users. */
function installCustom(target: string): void {
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(target, 'package.json'));
	fs.cpSync(path.join(REPO_ROOT, 'dist'), path.join(target, 'dist'), { recursive: true });
}

/**
 * Installs the packed package the way n8n's CommunityPackagesService.downloadPackage does
 * (n8n 1.123 / 2.x): unpack the tarball into `<user folder>/.n8n/nodes/node_modules/<name>`,
 * drop dev, peer and optional dependencies from its package.json, install the remaining ones
 * with n8n's npm flags, and record it in `.n8n/nodes/package.json`. n8n then loads every
 * `n8n-nodes-*` folder there on start.
 */
async function installCommunity(userFolder: string, scratch: string): Promise<void> {
	const { stdout } = await execFileAsync(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', scratch],
		{ cwd: REPO_ROOT, maxBuffer: 16 << 20 },
	);
	const [{ filename }] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;

	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_JSON.name);
	fs.mkdirSync(packageDir, { recursive: true });
	await execFileAsync('tar', ['-xzf', path.join(scratch, filename), '-C', packageDir, '--strip-components=1']);

	const manifestPath = path.join(packageDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
		fs.readFileSync(manifestPath, 'utf8'),
	);
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	if (Object.keys(manifest.dependencies ?? {}).length > 0) {
		await execFileAsync(
			'npm',
			['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
			{ cwd: packageDir, maxBuffer: 16 << 20 },
		);
	}
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_JSON.name]: manifest.version } }, null, 2),
	);
}

/** Environment of every n8n process: the caller's, minus anything that configures n8n, plus a
 *  quiet, local, self-contained instance. */
function n8nEnvironment(runtime: Runtime, userFolder: string, extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		// NODE_ENV=test (set by jest) makes n8n refuse to load nodes ("Not available in tests").
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|NODES_|GENERIC_)/.test(key) || key === 'NODE_ENV') continue;
		env[key] = value;
	}
	return {
		...env,
		PATH: runtime.path,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'n8n-nodes-customer-batch-tests',
		DB_TYPE: 'sqlite',
		// isolated-vm is not built (see scripts/n8n-runtime.sh); without this n8n 1.123 stops with
		// "Could not initialize the vm expression engine".
		N8N_EXPRESSION_ENGINE: 'legacy',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		GENERIC_TIMEZONE: 'UTC',
		...extra,
	};
}

/**
 * The n8n command that activates an imported workflow (n8n imports every workflow inactive),
 * taking effect when n8n starts: line 1's `update:workflow --active=true`, which line 2 keeps
 * only as a deprecated alias of `publish:workflow` (workflows there have published versions).
 */
export function activationArgs(line: N8nLine, workflowId: string): string[] {
	return line === 1 ? ['update:workflow', `--id=${workflowId}`, '--active=true'] : ['publish:workflow', `--id=${workflowId}`];
}

let idCounter = 0;

/** Workflow ids: at most 16 characters (n8n's limit) and containing a digit (execute-batch
 *  ignores ids without one). */
function newId(prefix: string): string {
	idCounter += 1;
	return `${prefix}${String(idCounter).padStart(4, '0')}${randomUUID().replace(/-/g, '')}`.slice(0, 16);
}

/** Fills in what n8n requires of an imported workflow and its nodes. */
function completeWorkflow(workflow: WorkflowInput): WorkflowInput & { id: string } {
	if (workflow.id !== undefined && !/^(?=.*\d)[A-Za-z0-9]{1,16}$/.test(workflow.id)) {
		throw new Error(
			`workflow id "${workflow.id}": use up to 16 letters and digits with at least one digit ` +
				"(n8n's limit for workflow ids; execute-batch skips ids without a digit), or leave it out",
		);
	}
	return {
		active: false,
		settings: { executionOrder: 'v1' },
		...workflow,
		id: workflow.id ?? newId('wf'),
		nodes: workflow.nodes.map((node, index) => ({
			typeVersion: 1,
			position: [index * 220, 0],
			parameters: {},
			...node,
			id: (node as { id?: string }).id ?? randomUUID(),
		})),
	};
}

/**
 * Reads the run data `n8n execute` prints. Log lines may surround it; `JSON.stringify(…, null, 2)`
 * puts only the outermost braces in column 0, so the object spans a line `{` to a line `}`.
 */
export function parseRunOutput(stdout: string): IRun | undefined {
	const lines = stdout.split('\n').map((line) => line.replace(/\r$/, ''));
	for (let start = lines.indexOf('{'); start !== -1; start = lines.indexOf('{', start + 1)) {
		for (let end = lines.indexOf('}', start + 1); end !== -1; end = lines.indexOf('}', end + 1)) {
			try {
				const value = JSON.parse(lines.slice(start, end + 1).join('\n')) as IRun;
				if (value?.data?.resultData) return value;
				break;
			} catch {
				// a `}` line inside a log message; try the next one
			}
		}
	}
	return undefined;
}

function runErrorMessage(run: IRun): string | undefined {
	const error = run.data.resultData.error;
	if (!error) return undefined;
	const node = run.data.resultData.lastNodeExecuted;
	return `${error.description || error.message}${node ? ` on node ${node}` : ''}`;
}

export async function createN8nInstance(options: N8nInstanceOptions = {}): Promise<N8nInstance> {
	const line = options.line ?? 1;
	const install = options.install ?? 'custom';
	const timeoutMs = options.commandTimeoutMs ?? 5 * 60_000;

	assertBuilt();
	const runtime = await ensureRuntime(line);
	const root = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-it-${line}-${install}-`));
	const userFolder = path.join(root, 'user');
	const scratch = path.join(root, 'scratch');
	fs.mkdirSync(userFolder);
	fs.mkdirSync(scratch);

	const extraEnv: Record<string, string> = {};
	if (install === 'custom') {
		const extensions = path.join(root, 'custom-extensions', PACKAGE_JSON.name);
		installCustom(extensions);
		extraEnv.N8N_CUSTOM_EXTENSIONS = extensions;
	} else {
		await installCommunity(userFolder, scratch);
	}
	// Each n8n process opens a task broker; its own port keeps instances (and a running `npm start`) apart.
	[extraEnv.N8N_RUNNERS_BROKER_PORT] = (await freePorts(1)).map(String);
	const env = n8nEnvironment(runtime, userFolder, { ...extraEnv, ...options.env });
	const typePrefix = install === 'custom' ? 'CUSTOM' : PACKAGE_JSON.name;
	const imported = new Set<string>();

	const run = (args: string[]): Promise<CommandResult> =>
		new Promise((resolve, reject) => {
			const started = Date.now();
			// Output goes to files, not pipes: Node writes to a file synchronously, while n8n's
			// process.exit() cuts off what it still had queued for a pipe (several MB of --rawOutput).
			const outputFile = (stream: string) => path.join(scratch, `${args[0].replace(/\W/g, '-')}-${Date.now()}-${Math.random().toString(36).slice(2)}.${stream}`);
			const [stdoutFile, stderrFile] = [outputFile('stdout'), outputFile('stderr')];
			const [stdoutFd, stderrFd] = [fs.openSync(stdoutFile, 'w'), fs.openSync(stderrFile, 'w')];
			// Own process group, so a timeout also ends the task runner n8n starts as a child.
			const child = spawn(runtime.n8nBin, args, { cwd: root, env, detached: true, stdio: ['ignore', stdoutFd, stderrFd] });
			fs.closeSync(stdoutFd);
			fs.closeSync(stderrFd);
			const readOutput = (file: string) => {
				const text = fs.readFileSync(file, 'utf8');
				fs.rmSync(file, { force: true });
				return text;
			};
			let timedOut = false;
			const timer = setTimeout(() => {
				timedOut = true;
				try {
					process.kill(-child.pid!, 'SIGKILL');
				} catch {
					// already gone
				}
			}, timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			child.on('close', (code) => {
				clearTimeout(timer);
				const result = {
					code,
					stdout: readOutput(stdoutFile),
					stderr: readOutput(stderrFile),
					durationMs: Date.now() - started,
				};
				if (process.env.N8N_TEST_VERBOSE === '1') {
					process.stderr.write(`[n8n ${runtime.version}] ${args[0]}: exit ${code} in ${result.durationMs} ms\n`);
				}
				if (timedOut) reject(new N8nCommandError(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms`, result));
				else resolve(result);
			});
		});

	const runOrThrow = async (args: string[]): Promise<CommandResult> => {
		const result = await run(args);
		if (result.code !== 0) throw new N8nCommandError(`n8n ${args[0]} failed`, result);
		return result;
	};

	const writeInput = (name: string, value: unknown): string => {
		const file = path.join(scratch, `${name}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
		fs.writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	};

	const processes: N8nProcess[] = [];
	const startProcess = async (
		name: string,
		args: string[],
		processOptions: { ownUserFolder?: boolean; env?: Record<string, string> } = {},
	): Promise<N8nProcess> => {
		if (!/^[A-Za-z0-9-]+$/.test(name) || processes.some((other) => other.name === name)) {
			throw new Error(`process name "${name}": use letters, digits and dashes, once per instance`);
		}
		let processFolder = userFolder;
		if (processOptions.ownUserFolder) {
			processFolder = path.join(root, `user-${name}`);
			fs.mkdirSync(processFolder);
			if (install === 'community') await installCommunity(processFolder, scratch);
		}
		const [brokerPort] = await freePorts(1);
		const processEnv = { ...env, N8N_USER_FOLDER: processFolder, N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...processOptions.env };
		const logFile = path.join(root, `${name}.log`);
		const log = fs.openSync(logFile, 'a');
		const child = spawn(runtime.n8nBin, args, { cwd: root, env: processEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		let printed = '';
		let exited = false;
		const listeners = new Set<() => void>();
		for (const stream of [child.stdout!, child.stderr!]) {
			stream.on('data', (chunk: Buffer) => {
				printed += chunk.toString('utf8');
				fs.writeSync(log, chunk);
				listeners.forEach((listener) => listener());
			});
		}
		const closed = new Promise<void>((resolve) =>
			child.on('close', () => {
				exited = true;
				fs.closeSync(log);
				listeners.forEach((listener) => listener());
				resolve();
			}),
		);
		const signal = (kind: NodeJS.Signals) => {
			try {
				process.kill(-child.pid!, kind);
			} catch {
				// already gone
			}
		};
		const handle: N8nProcess = {
			name,
			userFolder: processFolder,
			output: () => printed,
			get exited() {
				return exited;
			},
			waitForOutput: (pattern, waitMs = 3 * 60_000) =>
				new Promise<void>((resolve, reject) => {
					const check = () => {
						if (pattern.test(printed)) finish();
						else if (exited) finish(new N8nCommandError(`n8n ${name} (${args.join(' ')}) exited before printing ${pattern}\n${tail(printed)}`));
					};
					const timer = setTimeout(() => finish(new N8nCommandError(`n8n ${name} printed no ${pattern} within ${waitMs} ms\n${tail(printed)}`)), waitMs);
					const finish = (error?: Error) => {
						clearTimeout(timer);
						listeners.delete(check);
						if (error) reject(error);
						else resolve();
					};
					listeners.add(check);
					check();
				}),
			async stop() {
				if (exited) return;
				signal('SIGTERM');
				const killer = setTimeout(() => signal('SIGKILL'), 30_000);
				await closed;
				clearTimeout(killer);
				// The task runner n8n started may outlive it in the group.
				signal('SIGKILL');
			},
		};
		processes.push(handle);
		return handle;
	};

	const instance: N8nInstance = {
		line,
		install,
		userFolder,
		version: runtime.version,

		nodeType: (nodeName) => `${typePrefix}.${nodeName}`,

		async importCredentials(credentials) {
			const complete = credentials.map((credential) => ({ ...credential, id: credential.id ?? newId('cred') }));
			await runOrThrow(['import:credentials', `--input=${writeInput('credentials', complete)}`]);
		},

		async importWorkflows(workflows) {
			const complete = workflows.map(completeWorkflow);
			await runOrThrow(['import:workflow', `--input=${writeInput('workflows', complete)}`]);
			complete.forEach((workflow) => imported.add(workflow.id));
			return complete.map((workflow) => workflow.id);
		},

		async importWorkflow(workflow) {
			const [id] = await instance.importWorkflows([workflow]);
			return id;
		},

		async execute(workflowId) {
			const result = await run(['execute', `--id=${workflowId}`, '--rawOutput']);
			const runData = parseRunOutput(result.stdout);
			if (!runData) throw new N8nCommandError(`n8n execute --id=${workflowId} printed no run data`, result);
			const error = runErrorMessage(runData);
			if (error === undefined && result.code !== 0) {
				throw new N8nCommandError(`n8n execute --id=${workflowId} failed after a successful run`, result);
			}
			return new Execution(workflowId, runData, error);
		},

		async executeAll(workflowIds = [...imported]) {
			if (workflowIds.length === 0) return new Map();
			const snapshots = fs.mkdtempSync(path.join(scratch, 'snapshots-'));
			const summaryFile = path.join(snapshots, 'summary.json');
			// --retries=0: a retry would send the same requests to the sandbox again.
			const result = await run([
				'execute-batch',
				`--ids=${workflowIds.join(',')}`,
				`--snapshot=${snapshots}`,
				`--output=${summaryFile}`,
				'--retries=0',
			]);
			if (!fs.existsSync(summaryFile)) {
				throw new N8nCommandError('n8n execute-batch wrote no summary', result);
			}
			const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as {
				executions: Array<{ workflowId: string; executionStatus: string; error?: string }>;
			};
			const executions = new Map<string, Execution>();
			for (const id of workflowIds) {
				const entry = summary.executions.find((execution) => execution.workflowId === id);
				if (!entry) throw new N8nCommandError(`n8n execute-batch did not run workflow ${id}`, result);
				const snapshot = path.join(snapshots, `${id}-snapshot.json`);
				const runData = fs.existsSync(snapshot)
					? (JSON.parse(fs.readFileSync(snapshot, 'utf8')) as IRun)
					: undefined;
				executions.set(id, new Execution(id, runData, entry.executionStatus === 'success' ? undefined : entry.error ?? entry.executionStatus));
			}
			return executions;
		},

		run,

		async activateWorkflow(workflowId) {
			await runOrThrow(activationArgs(line, workflowId));
		},

		startProcess,

		parseStoredRunData(stored) {
			// n8n's own copy of flatted, the format it stores run data in.
			const flatted = require(require.resolve('flatted', { paths: [path.resolve(runtime.n8nBin, '../../..')] })) as { parse(text: string): unknown };
			return flatted.parse(stored) as IRun['data'];
		},

		async dispose() {
			// Stopped one after another: several n8n shutting down at once crowd two cores.
			for (const child of processes.reverse()) await child.stop();
			if (process.env.N8N_TEST_KEEP === '1') {
				process.stderr.write(`n8n test instance kept in ${root}\n`);
				return;
			}
			fs.rmSync(root, { recursive: true, force: true });
		},
	};
	return instance;
}

const QUEUE_SERVICES_SCRIPT = path.join(REPO_ROOT, 'scripts/queue-services.sh');

/** Postgres and Redis for n8n's queue mode (scripts/queue-services.sh), in a temporary folder. */
export interface QueueServices {
	readonly dir: string;
	/** DB_* and QUEUE_BULL_REDIS_* settings for every n8n process, plus EXECUTIONS_MODE=queue. */
	readonly env: Record<string, string>;
	/** Runs one SELECT in n8n's database; the rows as JSON objects. */
	query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
	stop(): Promise<void>;
}

/**
 * Installs Postgres and Redis if missing (apt-get, as `npm test` does), and starts both on free
 * ports of 127.0.0.1 with their data in a new temporary folder. fsync is off: the data is thrown
 * away after the test.
 */
export async function startQueueServices(): Promise<QueueServices> {
	await execFileAsync('bash', [QUEUE_SERVICES_SCRIPT, 'install'], { maxBuffer: 16 << 20 });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-'));
	// Postgres runs as the postgres user when we are root; it must reach its folder in here.
	fs.chmodSync(dir, 0o755);
	const [postgresPort, redisPort] = await freePorts(2);
	let stdout: string;
	try {
		({ stdout } = await execFileAsync('bash', [QUEUE_SERVICES_SCRIPT, 'start', dir, String(postgresPort), String(redisPort)], {
			env: { ...process.env, POSTGRES_OPTIONS: '-c fsync=off -c synchronous_commit=off -c full_page_writes=off' },
		}));
	} catch (error) {
		await execFileAsync('bash', [QUEUE_SERVICES_SCRIPT, 'stop', dir]).catch(() => undefined);
		throw error;
	}
	const env: Record<string, string> = { EXECUTIONS_MODE: 'queue' };
	for (const line of stdout.trim().split('\n')) {
		const at = line.indexOf('=');
		if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
	}
	const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
	const psql = path.join('/usr/lib/postgresql', versions[0], 'bin/psql');
	return {
		dir,
		env,
		async query<T>(sql: string) {
			const { stdout: rows } = await execFileAsync(
				psql,
				['-h', env.DB_POSTGRESDB_HOST, '-p', env.DB_POSTGRESDB_PORT, '-U', env.DB_POSTGRESDB_USER, '-d', env.DB_POSTGRESDB_DATABASE, '-tAqX', '-v', 'ON_ERROR_STOP=1', '-c', `select coalesce(json_agg(row), '[]') from (${sql}) row`],
				{ env: { ...process.env, PGPASSWORD: env.DB_POSTGRESDB_PASSWORD }, maxBuffer: 512 << 20 },
			);
			return JSON.parse(rows) as T[];
		},
		async stop() {
			await execFileAsync('bash', [QUEUE_SERVICES_SCRIPT, 'stop', dir]);
			if (process.env.N8N_TEST_KEEP === '1') {
				process.stderr.write(`queue services data kept in ${dir}\n`);
				return;
			}
			// Where the postgres user could not reach the folder, the cluster lives elsewhere (see the script).
			const postgres = path.join(dir, 'postgres');
			if (fs.existsSync(postgres) && fs.lstatSync(postgres).isSymbolicLink()) fs.rmSync(fs.realpathSync(postgres), { recursive: true, force: true });
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** A workflow from nodes and edges (`[from, to, fromOutput?, toInput?]`). */
export function buildWorkflow(spec: { id?: string; name: string; nodes: NodeSpec[]; edges: Edge[]; settings?: IDataObject }): WorkflowInput {
	const connections: IConnections = {};
	for (const [from, to, fromOutput = 0, toInput = 0] of spec.edges) {
		for (const name of [from, to]) {
			if (!spec.nodes.some((node) => node.name === name)) throw new Error(`edge names unknown node "${name}"`);
		}
		const outputs = (connections[from] ??= { main: [] }).main;
		while (outputs.length <= fromOutput) outputs.push([]);
		outputs[fromOutput]!.push({ node: to, type: 'main' as const, index: toInput });
	}
	return { id: spec.id, name: spec.name, nodes: spec.nodes, connections, ...(spec.settings ? { settings: spec.settings } : {}) };
}

export function manualTrigger(name = 'Start'): NodeSpec {
	return { name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1 };
}

/** A Code node that runs `jsCode` once for all items. */
export function codeNode(name: string, jsCode: string): NodeSpec {
	return { name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode } };
}

/** A Code node that outputs these items (as `json`). */
export function itemsNode(name: string, items: IDataObject[]): NodeSpec {
	return codeNode(name, `return ${JSON.stringify(items.map((json) => ({ json })))};`);
}

/** n8n's Filter node (version 2.2, in both lines) keeping the items for which `condition` holds. */
export function filterNode(name: string, condition: { leftValue: string; rightValue?: string; operator: IDataObject }): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.filter',
		typeVersion: 2.2,
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [{ id: `${name}-condition`, rightValue: '', ...condition }],
				combinator: 'and',
			},
			options: {},
		},
	};
}

/** n8n's Wait node, after a time interval of `seconds` (under 65 s n8n waits in the running process). */
export function waitNode(name: string, seconds: number): NodeSpec {
	return { name, type: 'n8n-nodes-base.wait', typeVersion: 1.1, webhookId: randomUUID(), parameters: { resume: 'timeInterval', amount: seconds, unit: 'seconds' } };
}

/** A No-Op node: a named place to collect what arrives on an output. */
export function noOp(name: string): NodeSpec {
	return { name, type: 'n8n-nodes-base.noOp', typeVersion: 1 };
}
