/**
 * `node -r ts-node/register/transpile-only test/bench/sandboxCost.ts`: what the vendor sandbox
 * computes per request of full customers — the number `npm run bench:n8n` charges to the vendor
 * (`handlingMs`, test/sandbox/pace.ts) — without n8n.
 *
 * The request bodies are the ones our nodes send: each vendor's node runs once on the in-process
 * n8n-core harness (test/helpers/n8nWorkflow.ts) with the benchmark's full customers (Auto-Map,
 * batches of 100) against a sandbox, and the bodies it received are kept (cached in the temp folder).
 * They are then posted to a fresh in-process sandbox by a client in a worker thread (its own heap,
 * as n8n runs in a process of its own in the benchmark), Concurrent Batches as set, and the script
 * prints the sandbox's CPU (its thread's, in its measured windows) per request and per customer,
 * the whole thread's CPU, and the garbage collections of the sandbox's heap: how many and how
 * long, and how much of that time fell inside the measured windows.
 *
 * Settings (environment): SANDBOX_COST_VENDORS=thulium,dustess,nxcloud  SANDBOX_COST_CUSTOMERS=10000
 * SANDBOX_COST_CONCURRENCY=4  SANDBOX_COST_LATENCY_MS=0  SANDBOX_COST_ROUNDS=1 (each round a fresh store).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver, constants as perfConstants, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

import type { IDataObject } from 'n8n-workflow';

import { Pace } from '../sandbox/pace';
import { startSandbox } from '../sandbox/server';
import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../sandbox/vendors/nxcloud';
import { THULIUM_USER } from '../sandbox/vendors/thulium';
import { customersCode } from './n8nWorkflows';
import type { Vendor } from './n8nWorkflows';

const VENDORS = (process.env.SANDBOX_COST_VENDORS ?? 'thulium,dustess,nxcloud').split(',') as Vendor[];
const CUSTOMERS = Number(process.env.SANDBOX_COST_CUSTOMERS ?? 10_000);
const CONCURRENCY = Number(process.env.SANDBOX_COST_CONCURRENCY ?? 4);
const LATENCY_MS = Number(process.env.SANDBOX_COST_LATENCY_MS ?? 0);
const ROUNDS = Number(process.env.SANDBOX_COST_ROUNDS ?? 1);
const BATCH = 100;

interface Captured {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	rawBody: string;
}

const NODE_TYPES: Record<Vendor, string> = { thulium: 'thuliumBatchCustomers', nxcloud: 'nxCloudBatchCustomers', dustess: 'dustessBatchCustomers' };

/** The batch requests our node sends for these customers, as the sandbox received them. */
async function capture(vendor: Vendor, count: number): Promise<Captured[]> {
	const code = customersCode(count, vendor, 'full', vendor);
	const file = path.join(os.tmpdir(), `sandbox-cost-${vendor}-${count}-${createHash('md5').update(code).digest('hex').slice(0, 8)}.json`);
	if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Captured[];
	// Loaded here: the harness brings n8n-core, which the replay needs not.
	const { n8nHarness, outputsOrThrow } = await import('../helpers/n8nWorkflow');
	const { startTestSandbox } = await import('../helpers/sandboxClient');
	const sandbox = await startTestSandbox();
	try {
		await sandbox.configure('dustess', { maxBatch: BATCH });
		const items = (new Function(code)() as Array<{ json: IDataObject }>).map((item) => item.json);
		const credentials: Record<Vendor, Record<string, IDataObject>> = {
			thulium: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
			nxcloud: { nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${sandbox.url}/nxcloud` } },
			dustess: { dustessApi: { baseUrl: `${sandbox.url}/dustess`, ...DUSTESS_CLIENT } },
		};
		const parameters: IDataObject = { resource: 'customer', operation: 'create', mappingMode: 'autoMapInputData', options: { batchSize: BATCH } };
		if (vendor === 'nxcloud') Object.assign(parameters, { edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mode: 1 });
		const [success] = outputsOrThrow(await n8nHarness().run({ input: items, node: { type: NODE_TYPES[vendor], parameters }, credentials: credentials[vendor] }));
		if (success.length !== count) throw new Error(`${vendor}: ${success.length} of ${count} customers stored while capturing`);
		const batches = (await sandbox.requests(vendor)).filter((request) => /batch/i.test(request.path));
		fs.writeFileSync(file, JSON.stringify(batches));
		return batches;
	} finally {
		await sandbox.close();
	}
}

/** The client: posts the requests, `concurrency` at a time, from a thread (and heap) of its own. */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: workerData.concurrency });
const post = (request) => new Promise((resolve, reject) => {
	const url = new URL(request.url);
	const req = http.request({ agent, method: request.method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) } }, (res) => {
		const chunks = [];
		res.on('data', (chunk) => chunks.push(chunk));
		res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
	});
	req.on('error', reject);
	req.end(request.body);
});
(async () => {
	const answers = new Array(workerData.requests.length);
	let next = 0;
	const lane = async () => { while (next < workerData.requests.length) { const k = next++; answers[k] = await post(workerData.requests[k]); } };
	await Promise.all(Array.from({ length: workerData.concurrency }, lane));
	agent.destroy();
	parentPort.postMessage(answers.map((answer) => answer.status + ' ' + answer.text.slice(0, 200)));
})().catch((error) => parentPort.postMessage({ error: String(error) }));
`;

function postAll(requests: Array<{ url: string; method: string; headers: Record<string, string>; body: string }>): Promise<string[]> {
	return new Promise((resolve, reject) => {
		const worker = new Worker(CLIENT, { eval: true, workerData: { requests, concurrency: CONCURRENCY } });
		worker.once('message', (message: string[] | { error: string }) => ('error' in message ? reject(new Error(message.error)) : resolve(message)));
		worker.once('error', reject);
	});
}

async function control(url: string, pathname: string, body?: unknown): Promise<any> {
	const response = await fetch(`${url}${pathname}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return response.json();
}

/** The captured requests made sendable again: a fresh Dustess token, NXCLOUD signed anew. */
async function replayable(url: string, vendor: Vendor, captured: Captured[]) {
	let token = '';
	if (vendor === 'dustess') token = ((await control(url, '/dustess/auth/v1/access_token/token', DUSTESS_CLIENT)) as { data: { accessToken: string } }).data.accessToken;
	return captured.map((request) => {
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		const query = new URLSearchParams(request.query);
		if (vendor === 'thulium') headers.authorization = request.headers.authorization;
		if (vendor === 'dustess') query.set('accessToken', token);
		if (vendor === 'nxcloud') {
			const signed = { accessKey: NXCLOUD_ACCESS_KEY, action: 'mt', bizType: '2', ts: String(Date.now() + 30_000) };
			const text = `${Object.entries(signed).map(([name, value]) => `${name}=${value}`).join('&')}&body=${request.rawBody}&accessSecret=${NXCLOUD_ACCESS_SECRET}`;
			Object.assign(headers, signed, { sign: createHash('md5').update(text, 'utf8').digest('hex') });
		}
		const search = query.toString();
		return { url: `${url}/${vendor}${request.path}${search ? `?${search}` : ''}`, method: request.method, headers, body: request.rawBody };
	});
}

interface Gc {
	kind: string;
	start: number;
	ms: number;
}

const GC_KINDS: Record<number, string> = {
	[perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
	[perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
	[perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
	[perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

async function main() {
	const gcs: Gc[] = [];
	const observer = new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			gcs.push({ kind: GC_KINDS[((entry as unknown as { detail: { kind: number } }).detail).kind] ?? 'other', start: entry.startTime, ms: entry.duration });
		}
	});
	// The measured windows, as wall-clock intervals (a window's CPU time ends when it is added).
	const windows: Array<[number, number]> = [];
	// And their CPU time by phase: reading the request, handling it, writing the answer.
	const phases = { reading: 0, handling: 0, answering: 0 };
	let phase: keyof typeof phases = 'reading';
	const addHandling = Pace.prototype.addHandling;
	Pace.prototype.addHandling = function (this: Pace, vendor: string, ms: number) {
		const now = performance.now();
		windows.push([now - ms, now]);
		phases[phase] += ms;
		phase = 'reading';
		addHandling.call(this, vendor, ms);
	};
	const timed = Pace.prototype.timed;
	Pace.prototype.timed = function <T>(this: Pace, vendor: string, handle: () => T): T {
		phase = /\bsend\(/.test(handle.toString()) ? 'answering' : 'handling';
		return timed.call(this, vendor, handle) as T;
	};

	const captured = new Map<Vendor, Captured[]>();
	for (const vendor of VENDORS) captured.set(vendor, await capture(vendor, CUSTOMERS));
	const sandbox = await startSandbox(0);
	try {
		for (let round = 1; round <= ROUNDS; round++) {
			for (const vendor of VENDORS) {
				await control(sandbox.url, '/__control/reset', {});
				await control(sandbox.url, '/__control/configure/dustess', { maxBatch: BATCH });
				const requests = await replayable(sandbox.url, vendor, captured.get(vendor)!);
				await control(sandbox.url, '/__control/pace', { latencyMs: LATENCY_MS, ratePerSecond: 0 });
				global.gc?.();
				windows.length = 0;
				Object.assign(phases, { reading: 0, handling: 0, answering: 0 });
				gcs.length = 0;
				observer.observe({ entryTypes: ['gc'] });
				const { cpuMs } = await import('../sandbox/pace');
				const threadStart = cpuMs();
				const wallStart = performance.now();
				const answers = await postAll(requests);
				const wallMs = performance.now() - wallStart;
				const threadMs = cpuMs() - threadStart;
				await new Promise((resolve) => setTimeout(resolve, 50));
				observer.disconnect();
				const handlingMs = ((await control(sandbox.url, '/__control/pace')) as { handlingMs: Record<string, number> }).handlingMs[vendor] ?? 0;
				const failed = answers.filter((answer) => !answer.startsWith('200 ') || /"(http_status":4|code":[1-9])/.test(answer));
				const inWindows = (gc: Gc) => windows.reduce((sum, [from, to]) => sum + Math.max(0, Math.min(to, gc.start + gc.ms) - Math.max(from, gc.start)), 0);
				const gcSummary = ['major', 'minor', 'incremental']
					.map((kind) => {
						const ofKind = gcs.filter((gc) => gc.kind === kind);
						const total = ofKind.reduce((sum, gc) => sum + gc.ms, 0);
						const inside = ofKind.reduce((sum, gc) => sum + inWindows(gc), 0);
						return `${kind} ${ofKind.length}× ${total.toFixed(0)} ms (${inside.toFixed(0)} ms in windows)`;
					})
					.join(', ');
				const heapMb = (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0);
				console.log(
					`round ${round} ${vendor}: ${requests.length} requests of ${BATCH} full customers, C${CONCURRENCY}, latency ${LATENCY_MS} ms: ` +
						`sandbox ${handlingMs} ms (${((handlingMs / requests.length) * 1000).toFixed(0)} µs/request, ${((handlingMs / CUSTOMERS) * 1000).toFixed(1)} µs/customer: ` +
						`${Object.entries(phases).map(([name, ms]) => `${name} ${((ms / requests.length) * 1000).toFixed(0)}`).join(', ')}); ` +
						`whole thread ${threadMs.toFixed(0)} ms, wall ${wallMs.toFixed(0)} ms; heap ${heapMb} MB; GC: ${gcSummary}` +
						(failed.length ? `; ${failed.length} answers not all stored, e.g. ${failed[0]}` : ''),
				);
			}
		}
	} finally {
		await sandbox.close();
	}
}

void main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
