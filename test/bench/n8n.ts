/**
 * `npm run bench:n8n` (also the second half of `npm run bench`): our nodes inside a real n8n
 * (line 1, 1.123.x) against what users build instead — the HTTP Request node sending one customer
 * per request — on the same vendor sandbox with a fixed latency. Runs are interleaved (every
 * configuration once per round, then the next round) and reported as median [min–max].
 *
 * Measured per run: the node's own execution time as n8n records it (runData executionTime),
 * and the wall time of `n8n execute` minus that round's fixed cost (the same workflow with a
 * No-Op in place of the node under test). Then 100,000 customers through n8n with our node and
 * with Edit Fields (Set) on the same items (peak RSS of the n8n process), and a vendor limited
 * to N requests/s.
 *
 * Writes test/bench/results/n8n-latest.json and docs/benchmarks.md. No assertions: numbers only.
 *
 * Settings (environment):
 *   BENCH_N8N_ROUNDS=3            rounds of the 10,000-customer comparison (Thulium, the peer, the
 *                                 concurrency sweep)
 *   BENCH_N8N_EXTRA_ROUNDS=1      rounds of NXCLOUD, Dustess and the peer with Batching (slower:
 *                                 their sandboxes search their stores linearly)
 *   BENCH_N8N_CUSTOMERS=10000     customers per run
 *   BENCH_N8N_LATENCY_MS=50       sandbox latency for every answer
 *   BENCH_N8N_BIG=100000          customers of the memory runs (0 = skip)
 *   BENCH_N8N_RATE=10             requests/s the rate-limited vendor accepts (0 = skip)
 *   BENCH_N8N_RATE_PEER=200       customers the rate-limited peer sends (it takes N / rate seconds)
 *   BENCH_N8N_RATE_OPTION=name    our nodes' option that caps requests per second (default maxRequestsPerSecond; '' = none)
 *   BENCH_N8N_ONLY=a,b            only these configurations (ids as printed), for a quick look
 *   BENCH_N8N_SKIP=1              `npm run bench` skips this part
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { IRun } from 'n8n-workflow';

import { createN8nInstance, startSandbox } from '../n8n/harness';
import type { N8nInstance, WorkflowInput } from '../n8n/harness';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { NODE_UNDER_TEST, credentials, fixedCostWorkflow, ourNodeWorkflow, peerWorkflow, setWorkflow } from './n8nWorkflows';
import type { Mapping, Vendor } from './n8nWorkflows';
import { executeMeasured } from './n8nRun';
import { summarise } from './stats';
import type { Summary } from './stats';

const env = (name: string, fallback: number) => {
	const value = Number(process.env[name]);
	return process.env[name] !== undefined && Number.isFinite(value) ? value : fallback;
};
const ROUNDS = env('BENCH_N8N_ROUNDS', 3);
const EXTRA_ROUNDS = Math.min(env('BENCH_N8N_EXTRA_ROUNDS', 1), ROUNDS);
const COUNT = env('BENCH_N8N_CUSTOMERS', 10_000);
const LATENCY = env('BENCH_N8N_LATENCY_MS', 50);
const BIG = env('BENCH_N8N_BIG', 100_000);
const RATE = env('BENCH_N8N_RATE', 10);
const RATE_PEER = env('BENCH_N8N_RATE_PEER', 200);
const RATE_OPTION = process.env.BENCH_N8N_RATE_OPTION ?? 'maxRequestsPerSecond';
const ONLY = process.env.BENCH_N8N_ONLY?.split(',').map((id) => id.trim());
const BATCH = 100;
/** The peer's Batching option in the latency runs: 100 items, then one round trip's pause. */
const PEER_BATCHING = { size: 100, intervalMs: LATENCY };
/** The peer configured to stay inside RATE requests/s: RATE items per 1.1 s (a 10 % margin). */
const RATE_PEER_BATCHING = { size: RATE, intervalMs: 1100 };

const REPO_ROOT = path.resolve(__dirname, '../..');
const RESULTS_JSON = path.join(__dirname, 'results/n8n-latest.json');
const RESULTS_MD = path.join(REPO_ROOT, 'docs/benchmarks.md');

interface Config {
	id: string;
	label: string;
	workflow: (id: string) => WorkflowInput;
	kind: 'peer' | 'ours' | 'fixed' | 'set';
	vendor?: Vendor;
	mapping?: Mapping;
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
	for (const file of fs.readdirSync(rssDir)) {
		const report = JSON.parse(fs.readFileSync(path.join(rssDir, file), 'utf8')) as { argv: string[]; maxRssKb: number };
		if (report.argv.includes('execute-batch')) peakRssMb = Math.round(report.maxRssKb / 1024);
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
	};
}

function latencyConfigs(nodeType: (name: string) => string, sandboxUrl: string): Config[] {
	const configs: Config[] = [
		{ id: 'fixed', label: 'fixed cost: Customers → No-Op', kind: 'fixed', count: COUNT, latencyMs: LATENCY, workflow: (id) => fixedCostWorkflow(id, COUNT) },
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
	];
	const ours = (vendor: Vendor, mapping: Mapping, concurrency: number): Config => ({
		id: `${vendor}-${mapping}-c${concurrency}`,
		label: `${{ thulium: 'Thulium', nxcloud: 'NXCLOUD', dustess: 'Dustess' }[vendor]} node, ${mapping === 'auto' ? 'Auto-Map' : 'every field mapped by expression'}, Concurrent Batches ${concurrency}`,
		kind: 'ours',
		vendor,
		mapping,
		concurrency,
		count: COUNT,
		latencyMs: LATENCY,
		rounds: vendor === 'thulium' ? undefined : EXTRA_ROUNDS,
		workflow: (id) => ourNodeWorkflow(id, { vendor, mapping, concurrency, count: COUNT, nodeType }),
	});
	for (const vendor of ['thulium', 'nxcloud', 'dustess'] as Vendor[]) {
		for (const mapping of ['auto', 'mapped'] as Mapping[]) configs.push(ours(vendor, mapping, 4));
	}
	for (const concurrency of [1, 2, 8]) configs.push(ours('thulium', 'auto', concurrency));
	return configs;
}

function bigConfigs(nodeType: (name: string) => string): Config[] {
	if (BIG <= 0) return [];
	return [
		{ id: 'big-fixed', label: `fixed cost: ${BIG} customers → No-Op`, kind: 'fixed', count: BIG, latencyMs: 0, workflow: (id) => fixedCostWorkflow(id, BIG) },
		{ id: 'big-set', label: `Edit Fields (Set), six fields by expression, ${BIG} customers`, kind: 'set', count: BIG, latencyMs: 0, workflow: (id) => setWorkflow(id, BIG) },
		{
			id: 'big-thulium-auto-c4',
			label: `Thulium node, Auto-Map, Concurrent Batches 4, ${BIG} customers, sandbox answering at once`,
			kind: 'ours',
			vendor: 'thulium',
			mapping: 'auto',
			concurrency: 4,
			count: BIG,
			latencyMs: 0,
			workflow: (id) => ourNodeWorkflow(id, { vendor: 'thulium', mapping: 'auto', concurrency: 4, count: BIG, nodeType }),
		},
	];
}

function rateConfigs(nodeType: (name: string) => string, sandboxUrl: string): Config[] {
	if (RATE <= 0) return [];
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
			id: 'rate-thulium-auto-c1',
			label: `Thulium node, Auto-Map, Concurrent Batches 1, ${COUNT} customers`,
			kind: 'ours',
			vendor: 'thulium',
			mapping: 'auto',
			concurrency: 1,
			count: COUNT,
			latencyMs: LATENCY,
			ratePerSecond: RATE,
			workflow: (id) =>
				ourNodeWorkflow(id, { vendor: 'thulium', mapping: 'auto', concurrency: 1, count: COUNT, nodeType, extraOptions: RATE_OPTION ? { [RATE_OPTION]: RATE } : {} }),
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
	const selected = configs.filter((config) => !ONLY || ONLY.includes(config.id) || config.kind === 'fixed');
	const ids = await n8n.importWorkflows(selected.map((config, index) => config.workflow(`b${String(index).padStart(2, '0')}${config.id.replace(/[^a-z0-9]/gi, '')}`.slice(0, 16))));
	const runs = new Map<string, RunResult[]>(selected.map((config) => [config.id, []]));
	const fixedByRound: number[] = [];
	const netByConfig = new Map<string, number[]>(selected.map((config) => [config.id, []]));
	for (let round = 0; round < rounds; round++) {
		let fixedWall = 0;
		for (const [index, config] of selected.entries()) {
			if (round >= (config.rounds ?? rounds)) continue;
			let result: RunResult;
			try {
				result = await runOnce(n8n, sandbox, config, ids[index], rssDir);
			} catch (error) {
				result = { error: String((error as Error).message).slice(0, 500), nodeMs: NaN, wallMs: NaN, succeeded: 0, failed: 0, rateLimited: 0, requests: 0, vendorMs: 0 };
				log(`round ${round + 1}/${rounds} ${config.id}: FAILED ${result.error}`);
			}
			runs.get(config.id)!.push(result);
			if (result.error) continue;
			if (config.kind === 'fixed') fixedWall = result.wallMs;
			else netByConfig.get(config.id)!.push(result.wallMs - fixedWall);
			log(
				`round ${round + 1}/${rounds} ${config.id.padEnd(22)} node ${String(result.nodeMs).padStart(6)} ms  wall ${String(result.wallMs).padStart(6)} ms` +
					`  ok ${result.succeeded} failed ${result.failed} requests ${result.requests} vendor ${result.vendorMs} ms${result.rateLimited ? ` 429s ${result.rateLimited}` : ''}` +
					`${result.peakRssMb ? ` rss ${result.peakRssMb} MB` : ''}  load ${loadavg()}`,
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

async function main() {
	if (process.env.BENCH_N8N_SKIP === '1') return;
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
		log(`n8n ${n8n.version}; ${ROUNDS} rounds × ${COUNT} customers at ${LATENCY} ms; load ${loadavg()}`);
		const latency = await measure(n8n, sandbox, latencyConfigs(n8n.nodeType, sandbox.url), ROUNDS, rssDir);
		loads.push(loadavg());
		const big = await measure(n8n, sandbox, bigConfigs(n8n.nodeType), 1, rssDir);
		loads.push(loadavg());
		const rate = await measure(n8n, sandbox, rateConfigs(n8n.nodeType, sandbox.url), 1, rssDir);
		loads.push(loadavg());
		const results = {
			date: new Date().toISOString(),
			durationS: Math.round((Date.now() - started) / 1000),
			n8nVersion: n8n.version,
			machine: machine(),
			loadavg: loads,
			settings: { rounds: ROUNDS, extraRounds: EXTRA_ROUNDS, customers: COUNT, latencyMs: LATENCY, batchSize: BATCH, big: BIG, rate: RATE, rateOption: RATE_OPTION ?? null, ratePeerCustomers: RATE_PEER, peerBatching: PEER_BATCHING, ratePeerBatching: RATE_PEER_BATCHING },
			latency,
			big,
			rate,
		};
		fs.mkdirSync(path.dirname(RESULTS_JSON), { recursive: true });
		fs.writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, '\t')}\n`);
		const { renderReport, renderSummary } = await import('./n8nReport');
		fs.mkdirSync(path.dirname(RESULTS_MD), { recursive: true });
		fs.writeFileSync(RESULTS_MD, renderReport(results));
		log(`\nwrote ${path.relative(REPO_ROOT, RESULTS_JSON)} and ${path.relative(REPO_ROOT, RESULTS_MD)} in ${results.durationS} s`);
		process.stdout.write(renderReport(results));
		process.stdout.write(`\nFor the README:\n\n${renderSummary(results)}\n`);
	} finally {
		await n8n.dispose();
		await sandbox.close();
		fs.rmSync(rssDir, { recursive: true, force: true });
	}
}

export type BenchResults = {
	date: string;
	durationS: number;
	n8nVersion: string;
	machine: ReturnType<typeof machine>;
	loadavg: string[];
	settings: {
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
};
export type { Measured };

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
