/**
 * `npm run bench:n8n` (also the second half of `npm run bench`): our nodes inside a real n8n
 * (line 1, 1.123.x) against the network bound and against what users build instead — the HTTP
 * Request node sending one customer per request — on the same vendor sandbox with a fixed latency.
 * Runs are interleaved (every configuration once per round, then the next round) and reported as
 * median [min–max].
 *
 * Measured per run: the node's own execution time as n8n records it (runData executionTime), the
 * wall time of `n8n execute-batch` minus that round's fixed cost (the same workflow with a No-Op
 * in place of the node under test), and the sandbox's own computing (reading, answering and
 * writing each request, on the same two cores).
 *
 * Parts (BENCH_PARTS, comma-separated; default all; `engine` is test/bench/run.ts):
 *   peer    the HTTP Request node, all at once and with its Batching option
 *   sweep   each vendor × Auto-Map / every field mapped × Concurrent Batches 1, 2, 4, 8, simple customers;
 *           and at each concurrency the same batches posted by n8n's HTTP helper alone, no node
 *           (test/bench/n8nHelperFloor.js): the least time a node that sends through it can take
 *   full    each vendor × Auto-Map / mapped, full customers (every field), Concurrent Batches 4
 *   big     BENCH_N8N_BIG customers, sandbox answering at once: peak RSS against Edit Fields (our
 *           node as it comes, and with Include Sent Record on), and the node's cost per customer,
 *           simple against full (Thulium, Auto-Map and mapped)
 *   rate    a vendor limited to BENCH_N8N_RATE requests/s
 *
 * Writes test/bench/results/n8n-latest.json and docs/benchmarks.md after a run of every part;
 * after a partial run (BENCH_PARTS or BENCH_N8N_ONLY) it writes test/bench/results/n8n-partial.json
 * and prints the report, leaving docs/benchmarks.md as it is (BENCH_N8N_WRITE=1 writes it anyway).
 * No assertions: numbers only.
 *
 * Settings (environment):
 *   BENCH_PARTS=peer,sweep,…      the parts to run (above)
 *   BENCH_N8N_ROUNDS=3            rounds of the 10,000-customer runs (peer, sweep, full)
 *   BENCH_N8N_EXTRA_ROUNDS=1      rounds of the peer with Batching (it takes as long as without)
 *   BENCH_N8N_CUSTOMERS=10000     customers per run
 *   BENCH_N8N_LATENCY_MS=50       sandbox latency for every answer
 *   BENCH_N8N_VENDORS=thulium,nxcloud,dustess   BENCH_N8N_MAPPINGS=auto,mapped   BENCH_N8N_CONCURRENCY=1,2,4,8
 *                                 narrow the sweep and the full runs
 *   BENCH_N8N_BIG=100000          customers of the big runs (0 = skip)
 *   BENCH_N8N_RATE=10             requests/s the rate-limited vendor accepts (0 = skip)
 *   BENCH_N8N_RATE_PEER=200       customers the rate-limited peer sends (it takes N / rate seconds)
 *   BENCH_N8N_RATE_OPTION=name    our nodes' option that caps requests per second (default maxRequestsPerSecond; '' = none)
 *   BENCH_N8N_NODE_OPTIONS='{…}'  more options for our nodes in every run, as JSON (to measure an option)
 *   BENCH_N8N_ONLY=a,b            only these configurations (ids as printed; `*` matches anything,
 *                                 e.g. `thulium-*-c4`); the fixed-cost runs always run
 *   BENCH_N8N_SKIP=1              `npm run bench` skips this part
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { IDataObject, IRun } from 'n8n-workflow';

import { createN8nInstance, startSandbox } from '../n8n/harness';
import type { N8nInstance, WorkflowInput } from '../n8n/harness';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { THULIUM_USER } from '../sandbox/vendors/thulium';
import { NODE_UNDER_TEST, credentials, fixedCostWorkflow, ourNodeWorkflow, peerWorkflow, setWorkflow } from './n8nWorkflows';
import type { Mapping, Records, Vendor } from './n8nWorkflows';
import { executeMeasured } from './n8nRun';
import { summarise } from './stats';
import type { Summary } from './stats';

const env = (name: string, fallback: number) => {
	const value = Number(process.env[name]);
	return process.env[name] !== undefined && Number.isFinite(value) ? value : fallback;
};
const list = (name: string, fallback: string) =>
	(process.env[name] ?? fallback)
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');

export const ALL_PARTS = ['engine', 'peer', 'sweep', 'full', 'big', 'rate'] as const;
export type Part = (typeof ALL_PARTS)[number];
const PARTS = new Set(list('BENCH_PARTS', ALL_PARTS.join(',')) as Part[]);
const ROUNDS = env('BENCH_N8N_ROUNDS', 3);
const EXTRA_ROUNDS = Math.min(env('BENCH_N8N_EXTRA_ROUNDS', 1), ROUNDS);
const COUNT = env('BENCH_N8N_CUSTOMERS', 10_000);
const LATENCY = env('BENCH_N8N_LATENCY_MS', 50);
const VENDORS = list('BENCH_N8N_VENDORS', 'thulium,nxcloud,dustess') as Vendor[];
const MAPPINGS = list('BENCH_N8N_MAPPINGS', 'auto,mapped') as Mapping[];
const CONCURRENCIES = list('BENCH_N8N_CONCURRENCY', '1,2,4,8').map(Number);
/** Concurrent Batches of the full-customer runs. */
const FULL_CONCURRENCY = 4;
const BIG = env('BENCH_N8N_BIG', 100_000);
const RATE = env('BENCH_N8N_RATE', 10);
const RATE_PEER = env('BENCH_N8N_RATE_PEER', 200);
const RATE_OPTION = process.env.BENCH_N8N_RATE_OPTION ?? 'maxRequestsPerSecond';
const NODE_OPTIONS = JSON.parse(process.env.BENCH_N8N_NODE_OPTIONS || '{}') as IDataObject;
const ONLY = process.env.BENCH_N8N_ONLY?.split(',').map((id) => new RegExp(`^${id.trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
const BATCH = 100;
/** The peer's Batching option in the latency runs: 100 items, then one round trip's pause. */
const PEER_BATCHING = { size: 100, intervalMs: LATENCY };
/** The peer configured to stay inside RATE requests/s: RATE items per 1.1 s (a 10 % margin). */
const RATE_PEER_BATCHING = { size: RATE, intervalMs: 1100 };
const COMPLETE =
	ALL_PARTS.every((part) => PARTS.has(part)) &&
	!ONLY &&
	VENDORS.length === 3 &&
	MAPPINGS.length === 2 &&
	CONCURRENCIES.length === 4 &&
	BIG > 0 &&
	RATE > 0;

const REPO_ROOT = path.resolve(__dirname, '../..');
const RESULTS_DIR = path.join(__dirname, 'results');
const RESULTS_MD = path.join(REPO_ROOT, 'docs/benchmarks.md');

interface Config {
	id: string;
	label: string;
	workflow: (id: string) => WorkflowInput;
	/** `floor`: no workflow, the batches posted by n8n's HTTP helper alone (test/bench/n8nHelperFloor.js). */
	kind: 'peer' | 'ours' | 'fixed' | 'set' | 'floor';
	vendor?: Vendor;
	mapping?: Mapping;
	records?: Records;
	concurrency?: number;
	count: number;
	latencyMs: number;
	ratePerSecond?: number;
	/** Runs only in the first this-many rounds. */
	rounds?: number;
}

interface RunResult {
	/** Set when the run failed; its times are then NaN. */
	error?: string;
	nodeMs: number;
	wallMs: number;
	succeeded: number;
	failed: number;
	rateLimited: number;
	/** Requests the vendor received (429s included). */
	requests: number;
	/** Time the sandbox spent computing its answers (not the latency): the vendor's, not the node's. */
	vendorMs: number;
	peakRssMb?: number;
	/** The peak up to the benchmark's own snapshot: the run and n8n's save of the execution (test/bench/peakRss.js). */
	peakRssBeforeSnapshotMb?: number;
}

const log = (text: string) => process.stderr.write(`${text}\n`);

function machine() {
	const cpus = os.cpus();
	return {
		cpu: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`,
		memoryGb: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		os: `${os.type()} ${os.release()}`,
	};
}

const loadavg = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');

async function control(sandbox: SandboxHandle, pathname: string, body?: unknown) {
	const response = await fetch(`${sandbox.url}${pathname}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return (await response.json()) as Record<string, unknown>;
}

function nodeTask(run: IRun, node: string) {
	const task = run.data.resultData.runData[node]?.[0];
	if (!task) throw new Error(`node ${node} did not run${run.data.resultData.error ? `: ${run.data.resultData.error.message}` : ''}`);
	return task;
}

async function runOnce(n8n: N8nInstance, sandbox: SandboxHandle, config: Config, workflowId: string, rssDir: string): Promise<RunResult> {
	await control(sandbox, '/__control/reset', {});
	await control(sandbox, '/__control/configure/dustess', { maxBatch: BATCH });
	await control(sandbox, '/__control/pace', { latencyMs: config.latencyMs, ratePerSecond: config.ratePerSecond ?? 0 });
	for (const file of fs.readdirSync(rssDir)) fs.rmSync(path.join(rssDir, file));

	const { run, wallMs } = await executeMeasured(n8n, workflowId);
	const task = nodeTask(run, NODE_UNDER_TEST);
	if (task.error) throw new Error(`${config.id}: the node failed: ${task.error.message}`);
	const outputs = (task.data?.main ?? []).map((items) => items?.length ?? 0);
	const pace = await control(sandbox, '/__control/pace');
	const received = (await control(sandbox, `/__control/requests?vendor=${config.vendor ?? 'thulium'}`)) as unknown as unknown[];

	let peakRssMb: number | undefined;
	let peakRssBeforeSnapshotMb: number | undefined;
	for (const file of fs.readdirSync(rssDir)) {
		const report = JSON.parse(fs.readFileSync(path.join(rssDir, file), 'utf8')) as { argv: string[]; maxRssKb: number; maxRssBeforeSnapshotKb?: number };
		if (!report.argv.includes('execute-batch')) continue;
		peakRssMb = Math.round(report.maxRssKb / 1024);
		if (report.maxRssBeforeSnapshotKb !== undefined) peakRssBeforeSnapshotMb = Math.round(report.maxRssBeforeSnapshotKb / 1024);
	}
	return {
		nodeMs: task.executionTime,
		wallMs,
		succeeded: outputs[0] ?? 0,
		failed: outputs.slice(1).reduce((sum, count) => sum + count, 0),
		rateLimited: Number(pace.rateLimited ?? 0),
		requests: received.length,
		vendorMs: Number((pace.handlingMs as Record<string, number> | undefined)?.[config.vendor ?? 'thulium'] ?? 0),
		peakRssMb,
		peakRssBeforeSnapshotMb,
	};
}

/** The n8n-core of the n8n line the benchmark runs (scripts/n8n-runtime.sh). */
function runtimeN8nCore(): string {
	const env = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/n8n-runtime.sh'), 'env', '1'], { encoding: 'utf8' });
	const dir = /N8N_RUNTIME_DIR=(\S+)/.exec(env)?.[1];
	if (!dir) throw new Error('scripts/n8n-runtime.sh env 1 names no N8N_RUNTIME_DIR');
	return path.join(dir, 'node_modules/n8n-core');
}

const noWorkflow = (): WorkflowInput => {
	throw new Error('a floor run has no workflow');
};

/** One run of n8n's HTTP helper alone, in a process of its own: its time is the node time's floor. */
async function runFloor(sandbox: SandboxHandle, config: Config): Promise<RunResult> {
	await control(sandbox, '/__control/reset', {});
	await control(sandbox, '/__control/pace', { latencyMs: config.latencyMs, ratePerSecond: 0 });
	const settings = { n8nCore: runtimeN8nCore(), url: sandbox.url, login: THULIUM_USER.login, password: THULIUM_USER.password, count: config.count, batchSize: BATCH, concurrency: config.concurrency ?? 1, records: config.records ?? 'simple' };
	const output = await new Promise<string>((resolve, reject) =>
		execFile(process.execPath, [path.join(__dirname, 'n8nHelperFloor.js'), JSON.stringify(settings)], { timeout: 10 * 60_000 }, (error, stdout, stderr) =>
			error ? reject(new Error(`${error.message} ${stderr}`)) : resolve(stdout),
		),
	);
	const { ms, requests, stored } = JSON.parse(output) as { ms: number; requests: number; stored: number };
	const pace = await control(sandbox, '/__control/pace');
	return { nodeMs: ms, wallMs: ms, succeeded: stored, failed: config.count - stored, rateLimited: 0, requests, vendorMs: Number((pace.handlingMs as Record<string, number> | undefined)?.thulium ?? 0) };
}

const VENDOR_LABEL: Record<Vendor, string> = { thulium: 'Thulium', nxcloud: 'NXCLOUD', dustess: 'Dustess' };
const MAPPING_LABEL: Record<Mapping, string> = { auto: 'Auto-Map', mapped: 'every field mapped by expression' };

/** One of our nodes: id `<vendor>[-full]-<mapping>-c<C>`, e.g. `thulium-auto-c4`, `dustess-full-mapped-c4`. */
function ourConfig(
	nodeType: (name: string) => string,
	options: { vendor: Vendor; mapping: Mapping; concurrency: number; records?: Records; count?: number; latencyMs?: number; idPrefix?: string; extraOptions?: IDataObject },
): Config {
	const { vendor, mapping, concurrency } = options;
	const records = options.records ?? 'simple';
	const count = options.count ?? COUNT;
	return {
		id: `${options.idPrefix ?? ''}${vendor}${records === 'full' ? '-full' : ''}-${mapping}-c${concurrency}`,
		label:
			`${VENDOR_LABEL[vendor]} node, ${records === 'full' ? 'full customers, ' : ''}${MAPPING_LABEL[mapping]}, Concurrent Batches ${concurrency}` +
			(count === COUNT ? '' : `, ${count.toLocaleString('en')} customers`),
		kind: 'ours',
		vendor,
		mapping,
		records,
		concurrency,
		count,
		latencyMs: options.latencyMs ?? LATENCY,
		workflow: (id) =>
			ourNodeWorkflow(id, { vendor, mapping, concurrency, count, records, nodeType, extraOptions: { ...NODE_OPTIONS, ...options.extraOptions } }),
	};
}

function latencyConfigs(nodeType: (name: string) => string, sandboxUrl: string): Config[] {
	const configs: Config[] = [];
	if (PARTS.has('peer') || PARTS.has('sweep')) {
		configs.push({ id: 'fixed', label: 'fixed cost: Customers → No-Op', kind: 'fixed', count: COUNT, latencyMs: LATENCY, workflow: (id) => fixedCostWorkflow(id, COUNT) });
	}
	if (PARTS.has('peer')) {
		configs.push(
			{ id: 'peer', label: 'HTTP Request, one customer per request (all at once)', kind: 'peer', count: COUNT, latencyMs: LATENCY, workflow: (id) => peerWorkflow(id, { sandboxUrl, count: COUNT }) },
			{
				id: 'peerBatching',
				label: `HTTP Request, one customer per request, Batching ${PEER_BATCHING.size} items / ${PEER_BATCHING.intervalMs} ms`,
				kind: 'peer',
				count: COUNT,
				latencyMs: LATENCY,
				rounds: EXTRA_ROUNDS,
				workflow: (id) => peerWorkflow(id, { sandboxUrl, count: COUNT, batching: PEER_BATCHING }),
			},
		);
	}
	if (PARTS.has('sweep')) {
		for (const concurrency of CONCURRENCIES) {
			configs.push({ id: `floor-c${concurrency}`, label: `n8n's HTTP helper alone, the same batches, Concurrent Batches ${concurrency}`, kind: 'floor', concurrency, count: COUNT, latencyMs: LATENCY, workflow: noWorkflow });
		}
		for (const vendor of VENDORS) {
			for (const mapping of MAPPINGS) {
				for (const concurrency of CONCURRENCIES) configs.push(ourConfig(nodeType, { vendor, mapping, concurrency }));
			}
		}
	}
	if (PARTS.has('full')) {
		configs.push({
			id: 'fixed-full',
			label: 'fixed cost: full customers → No-Op',
			kind: 'fixed',
			records: 'full',
			count: COUNT,
			latencyMs: LATENCY,
			workflow: (id) => fixedCostWorkflow(id, COUNT, 'thulium', 'full'),
		});
		for (const vendor of VENDORS) {
			for (const mapping of MAPPINGS) configs.push(ourConfig(nodeType, { vendor, mapping, concurrency: FULL_CONCURRENCY, records: 'full' }));
		}
	}
	return configs;
}

function bigConfigs(nodeType: (name: string) => string): Config[] {
	if (BIG <= 0 || !PARTS.has('big')) return [];
	const big = (mapping: Mapping, records: Records) =>
		ourConfig(nodeType, { vendor: 'thulium', mapping, records, concurrency: 4, count: BIG, latencyMs: 0, idPrefix: 'big-' });
	return [
		{ id: 'big-fixed', label: `fixed cost: ${BIG} customers → No-Op`, kind: 'fixed', count: BIG, latencyMs: 0, workflow: (id) => fixedCostWorkflow(id, BIG) },
		{ id: 'big-set', label: `Edit Fields (Set), six fields by expression, ${BIG} customers`, kind: 'set', count: BIG, latencyMs: 0, workflow: (id) => setWorkflow(id, BIG) },
		big('auto', 'simple'),
		{
			...ourConfig(nodeType, { vendor: 'thulium', mapping: 'auto', concurrency: 4, count: BIG, latencyMs: 0, idPrefix: 'big-record-', extraOptions: { includeSentRecord: true } }),
			label: `Thulium node, Auto-Map, Include Sent Record on, Concurrent Batches 4, ${BIG.toLocaleString('en')} customers`,
		},
		big('mapped', 'simple'),
		big('auto', 'full'),
		big('mapped', 'full'),
		...(['simple', 'full'] as Records[]).map(
			(records): Config => ({
				id: `big-floor-${records}`,
				label: `n8n's HTTP helper alone, no node, ${records === 'full' ? 'full' : 'six-field'} customers, Concurrent Batches 4, ${BIG.toLocaleString('en')} customers`,
				kind: 'floor',
				records,
				concurrency: 4,
				count: BIG,
				latencyMs: 0,
				workflow: noWorkflow,
			}),
		),
	];
}

function rateConfigs(nodeType: (name: string) => string, sandboxUrl: string): Config[] {
	if (RATE <= 0 || !PARTS.has('rate')) return [];
	return [
		{
			id: 'rate-peer',
			label: `HTTP Request, Batching ${RATE_PEER_BATCHING.size} items / ${RATE_PEER_BATCHING.intervalMs} ms, ${RATE_PEER} customers`,
			kind: 'peer',
			count: RATE_PEER,
			latencyMs: LATENCY,
			ratePerSecond: RATE,
			workflow: (id) => peerWorkflow(id, { sandboxUrl, count: RATE_PEER, batching: RATE_PEER_BATCHING }),
		},
		{
			...ourConfig(nodeType, { vendor: 'thulium', mapping: 'auto', concurrency: 1, idPrefix: 'rate-', extraOptions: RATE_OPTION ? { [RATE_OPTION]: RATE } : {} }),
			label: `Thulium node, Auto-Map, Concurrent Batches 1, ${COUNT} customers`,
			ratePerSecond: RATE,
		},
	];
}

interface Measured {
	config: Omit<Config, 'workflow'>;
	runs: RunResult[];
	node: Summary;
	wall: Summary;
	netWall?: Summary;
	vendor: Summary;
}

async function measure(
	n8n: N8nInstance,
	sandbox: SandboxHandle,
	configs: Config[],
	rounds: number,
	rssDir: string,
): Promise<Measured[]> {
	const selected = configs.filter((config) => !ONLY || ONLY.some((pattern) => pattern.test(config.id)) || config.kind === 'fixed');
	if (selected.every((config) => config.kind === 'fixed')) return [];
	const withWorkflow = selected.filter((config) => config.kind !== 'floor');
	const imported = await n8n.importWorkflows(withWorkflow.map((config, index) => config.workflow(`b${String(index).padStart(2, '0')}${config.id.replace(/[^a-z0-9]/gi, '')}`.slice(0, 16))));
	const ids = selected.map((config) => imported[withWorkflow.indexOf(config)]);
	const runs = new Map<string, RunResult[]>(selected.map((config) => [config.id, []]));
	const fixedByRound: number[] = [];
	const netByConfig = new Map<string, number[]>(selected.map((config) => [config.id, []]));
	// The first n8n process after the import starts cold (the database, the file cache): a run of
	// the fixed-cost workflow that is not counted keeps that out of the first round's fixed cost.
	const warmUp = selected.findIndex((config) => config.kind === 'fixed');
	if (warmUp >= 0) await runOnce(n8n, sandbox, selected[warmUp], ids[warmUp], rssDir).catch(() => undefined);
	for (let round = 0; round < rounds; round++) {
		let fixedWall = 0;
		for (const [index, config] of selected.entries()) {
			if (round >= (config.rounds ?? rounds)) continue;
			let result: RunResult;
			try {
				result = config.kind === 'floor' ? await runFloor(sandbox, config) : await runOnce(n8n, sandbox, config, ids[index], rssDir);
			} catch (error) {
				result = { error: String((error as Error).message).slice(0, 500), nodeMs: NaN, wallMs: NaN, succeeded: 0, failed: 0, rateLimited: 0, requests: 0, vendorMs: 0 };
				log(`round ${round + 1}/${rounds} ${config.id}: FAILED ${result.error}`);
			}
			runs.get(config.id)!.push(result);
			if (result.error) continue;
			if (config.kind === 'fixed') fixedWall = result.wallMs;
			else if (config.kind !== 'floor') netByConfig.get(config.id)!.push(result.wallMs - fixedWall);
			log(
				`round ${round + 1}/${rounds} ${config.id.padEnd(22)} node ${String(result.nodeMs).padStart(6)} ms  wall ${String(result.wallMs).padStart(6)} ms` +
					`  ok ${result.succeeded} failed ${result.failed} requests ${result.requests} vendor ${result.vendorMs} ms${result.rateLimited ? ` 429s ${result.rateLimited}` : ''}` +
					`${result.peakRssMb ? ` rss ${result.peakRssBeforeSnapshotMb ?? '?'} MB before the snapshot, ${result.peakRssMb} MB in all` : ''}  load ${loadavg()}`,
			);
		}
		fixedByRound.push(fixedWall);
	}
	return selected.map((config) => {
		const { workflow: _workflow, ...plain } = config;
		const configRuns = runs.get(config.id)!;
		const net = netByConfig.get(config.id)!;
		return {
			config: plain,
			runs: configRuns,
			node: summarise(configRuns.map((run) => run.nodeMs)),
			wall: summarise(configRuns.map((run) => run.wallMs)),
			vendor: summarise(configRuns.map((run) => (run.error ? NaN : run.vendorMs))),
			netWall: net.length ? summarise(net) : undefined,
		};
	});
}

function buildPackage() {
	log('building the package (npm run build) …');
	execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The engine's own ratios (test/bench/run.ts) of this benchmark, and the baseline they are held to. */
function engineResults(): { latest?: EngineResults; baseline?: EngineResults } {
	const read = (file: string) => (fs.existsSync(path.join(RESULTS_DIR, file)) ? (JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, file), 'utf8')) as EngineResults) : undefined);
	return { latest: PARTS.has('engine') ? read('engine-latest.json') : undefined, baseline: read('engine-baseline.json') };
}

async function main() {
	if (process.env.BENCH_N8N_SKIP === '1') return;
	if (![...PARTS].some((part) => part !== 'engine')) return;
	if (process.env.BENCH_N8N_NO_BUILD !== '1') buildPackage();
	const started = Date.now();
	const loadBefore = loadavg();
	const rssDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rss-'));
	const sandbox = await startSandbox();
	const n8n = await createN8nInstance({
		line: 1,
		install: 'custom',
		// Task runners: the Code node that makes the customers runs outside the n8n process, as in
		// production (in-process it takes a minute for 100,000 items).
		env: { NODE_OPTIONS: `--require ${path.join(__dirname, 'peakRss.js')}`, BENCH_RSS_DIR: rssDir, N8N_RUNNERS_ENABLED: 'true' },
		commandTimeoutMs: 15 * 60_000,
	});
	const loads: string[] = [loadBefore];
	try {
		await n8n.importCredentials(credentials(sandbox.url));
		log(`n8n ${n8n.version}; parts ${[...PARTS].join(', ')}; ${ROUNDS} rounds × ${COUNT} customers at ${LATENCY} ms; load ${loadavg()}`);
		const latency = await measure(n8n, sandbox, latencyConfigs(n8n.nodeType, sandbox.url), ROUNDS, rssDir);
		loads.push(loadavg());
		const big = await measure(n8n, sandbox, bigConfigs(n8n.nodeType), 1, rssDir);
		loads.push(loadavg());
		const rate = await measure(n8n, sandbox, rateConfigs(n8n.nodeType, sandbox.url), 1, rssDir);
		loads.push(loadavg());
		const results: BenchResults = {
			date: new Date().toISOString(),
			durationS: Math.round((Date.now() - started) / 1000),
			n8nVersion: n8n.version,
			machine: machine(),
			loadavg: loads,
			complete: COMPLETE,
			settings: {
				parts: [...PARTS],
				only: process.env.BENCH_N8N_ONLY ?? null,
				rounds: ROUNDS,
				extraRounds: EXTRA_ROUNDS,
				customers: COUNT,
				latencyMs: LATENCY,
				batchSize: BATCH,
				vendors: VENDORS,
				mappings: MAPPINGS,
				concurrencies: CONCURRENCIES,
				fullConcurrency: FULL_CONCURRENCY,
				nodeOptions: NODE_OPTIONS,
				big: BIG,
				rate: RATE,
				rateOption: RATE_OPTION ?? null,
				ratePeerCustomers: RATE_PEER,
				peerBatching: PEER_BATCHING,
				ratePeerBatching: RATE_PEER_BATCHING,
			},
			latency,
			big,
			rate,
			engine: engineResults(),
		};
		const writeDocs = COMPLETE || process.env.BENCH_N8N_WRITE === '1';
		const resultsJson = path.join(RESULTS_DIR, COMPLETE ? 'n8n-latest.json' : 'n8n-partial.json');
		fs.mkdirSync(RESULTS_DIR, { recursive: true });
		fs.writeFileSync(resultsJson, `${JSON.stringify(results, null, '\t')}\n`);
		const { renderReport, renderSummary } = await import('./n8nReport');
		if (writeDocs) fs.writeFileSync(RESULTS_MD, renderReport(results));
		log(`\nwrote ${path.relative(REPO_ROOT, resultsJson)}${writeDocs ? ` and ${path.relative(REPO_ROOT, RESULTS_MD)}` : ''} in ${results.durationS} s`);
		process.stdout.write(renderReport(results));
		process.stdout.write(`\nFor the README:\n\n${renderSummary(results)}\n`);
	} finally {
		await n8n.dispose();
		await sandbox.close();
		fs.rmSync(rssDir, { recursive: true, force: true });
	}
}

/** What test/bench/run.ts writes: the engine's own ratios. */
export interface EngineResults {
	date: string;
	loadavg: string[];
	/** `runs`: a baseline's separate runs (value is their median); judged against the worst of them. */
	rows: Array<{ id: string; measure: string; value: number; better: 'lower' | 'higher'; note: string; runs?: number[] }>;
}

export type BenchResults = {
	date: string;
	durationS: number;
	n8nVersion: string;
	machine: ReturnType<typeof machine>;
	loadavg: string[];
	/** Every part and every configuration ran (the results docs/benchmarks.md is written from). */
	complete: boolean;
	settings: {
		parts: string[];
		only: string | null;
		vendors: Vendor[];
		mappings: Mapping[];
		concurrencies: number[];
		fullConcurrency: number;
		nodeOptions: IDataObject;
		rounds: number;
		extraRounds: number;
		customers: number;
		latencyMs: number;
		batchSize: number;
		big: number;
		rate: number;
		rateOption: string | null;
		ratePeerCustomers: number;
		peerBatching: { size: number; intervalMs: number };
		ratePeerBatching: { size: number; intervalMs: number };
	};
	latency: Measured[];
	big: Measured[];
	rate: Measured[];
	engine: { latest?: EngineResults; baseline?: EngineResults };
};
export type { Measured };

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
