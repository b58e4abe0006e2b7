/** What `npm start` was asked for: its arguments and N8N_* settings, read once. */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
	files: string[];
};

export type Line = '1' | '2';

export interface Settings {
	line: Line;
	dir: string;
	n8nPort: number;
	brokerPort: number;
	sandboxPort: number;
	listenAddress: string;
	/** The editor's address as the user opens it. */
	editorUrl: string;
	/** Where this script reaches n8n: loopback, unless n8n listens on one other address only. */
	localUrl: string;
	build: boolean;
	reset: boolean;
	verbose: boolean;
	/** Queue mode: how many workers, and where Postgres and Redis keep their data. */
	queue?: { workers: number; dataDir: string };
}

export function fail(message: string): never {
	console.error(`npm start: ${message}`);
	process.exit(1);
}

const started = Date.now();
/** Prints one start-up step with the seconds since the start. */
export function step(message: string): void {
	console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);
}

export function readSettings(argv: string[]): Settings {
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
	const n8nPort = port('N8N_PORT', 5678);
	const listenAddress = process.env.N8N_LISTEN_ADDRESS ?? '127.0.0.1';
	const host = ['127.0.0.1', '0.0.0.0', '::', 'localhost'].includes(listenAddress) ? '127.0.0.1' : listenAddress;
	return {
		line,
		dir: path.resolve(process.env.N8N_START_DIR ?? path.join(REPO_ROOT, '.n8n-runtime', queue ? `line-${line}-queue` : `line-${line}`)),
		queue: queue ? { workers, dataDir: path.join(REPO_ROOT, '.queue-data', `line-${line}`) } : undefined,
		n8nPort,
		brokerPort: port('N8N_RUNNERS_BROKER_PORT', 5679),
		sandboxPort: port('SANDBOX_PORT', 8765),
		listenAddress,
		editorUrl: `http://localhost:${n8nPort}`,
		localUrl: `http://${net.isIPv6(host) ? `[${host}]` : host}:${n8nPort}`,
		build: !argv.includes('--no-build'),
		reset: argv.includes('--reset'),
		verbose: argv.includes('--verbose'),
	};
}

/** A folder as the user sees it: relative to where they are, when it is below. */
export function displayPath(dir: string): string {
	const relative = path.relative(process.cwd(), dir);
	return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dir;
}
