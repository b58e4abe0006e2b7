/**
 * The pinned n8n of a line (scripts/n8n-runtime.sh: installed once, cached in
 * ~/.cache/n8n-nodes-customer-batch), this package installed into a user folder as n8n installs a
 * community package, and the environment n8n runs with.
 */
import fs from 'node:fs';
import path from 'node:path';

import { run } from './processes';
import { PACKAGE_JSON, REPO_ROOT, fail, step } from './settings';
import type { Line, Settings } from './settings';

const RUNTIME_SCRIPT = path.join(REPO_ROOT, 'scripts/n8n-runtime.sh');

export interface Runtime {
	n8nBin: string;
	path: string;
	version: string;
}

export async function buildPackage(settings: Settings): Promise<void> {
	if (settings.build) {
		step('building the package (npm run build)');
		await run('npm', ['run', 'build']);
	} else if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) {
		fail('--no-build, but there is no dist/: run npm run build');
	}
}

export async function ensureRuntime(line: Line): Promise<Runtime> {
	step(`making sure n8n line ${line} is installed (the first time takes a few minutes)`);
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
export async function installPackage(userFolder: string): Promise<void> {
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
export function n8nEnvironment(settings: Settings, runtime: Runtime, queue?: { services: Record<string, string>; encryptionKey: string }): NodeJS.ProcessEnv {
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
		// n8n's docs ask for it before a community node can be a tool; 1.123 and 2.41 no longer read it.
		N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true',
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
