/**
 * `npm run bench`: speed and memory of the batch engine, reported as ratios (machine-independent
 * comparisons), never as timed assertions. The Thulium node runs in n8n's own engine (the test
 * harness, n8n-core in process) against a Thulium-shaped vendor served over HTTP on 127.0.0.1 by
 * this process, so the figures measure the node in n8n plus a local round trip, not the network.
 *
 * Writes test/bench/results/engine-latest.json, which the n8n part's report holds against
 * engine-baseline.json (the ratios before the per-customer work of issue 19). Skipped when
 * BENCH_PARTS is set without `engine`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startFakeServer } from '../helpers/fakeServer';
import type { FakeServer } from '../helpers/fakeServer';
import { n8nHarness, outputsOrThrow } from '../helpers/n8nWorkflow';

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const n8n = n8nHarness();

function customers(count: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({
		surname: `Kowalski-${index}`,
		name: 'Jan',
		email: `jan.${index}@example.com`,
		phone_number: `48${String(500000000 + index)}`,
		birthdate: '1980-05-17T00:00:00Z',
		vip: index % 2 === 0,
		address: { street: 'Długa', building: '5', city: 'Gdańsk', postcode: '80-001', country: 'PL' },
		custom_fields: { source: 'bench', score: String(index % 100) },
	}));
}

/** A Thulium-shaped vendor over HTTP: answers per position; `rejectWhole` emulates an all-or-nothing vendor. */
async function vendor(latencyMs: number, rejectWhole?: (record: IDataObject) => boolean): Promise<FakeServer & { calls: () => number }> {
	const server = await startFakeServer(async (request) => {
		if (latencyMs) await sleep(latencyMs);
		const list = (request.body as { customers: IDataObject[] }).customers;
		if (rejectWhole && list.some(rejectWhole)) {
			return { statusCode: 400, body: { request_id: 'r', errors: [{ message: 'invalid customer', code: 1 }] } };
		}
		const body: IDataObject = {};
		list.forEach((_, position) => (body[String(position)] = { http_status: 201, customer_id: String(position) }));
		return { statusCode: 200, body };
	});
	return Object.assign(server, { calls: () => server.requests.length });
}

/** Input → Thulium Batch Create Customers in n8n; the time is the node's execution time as n8n measured it. */
async function timeRun(items: IDataObject[], server: FakeServer, options: IDataObject = {}) {
	const run = await n8n.run({
		input: items,
		node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options } },
		credentials: { thuliumApi: { baseUrl: `${server.url}/api`, login: 'u', password: 'p' } },
	});
	const outputs: INodeExecutionData[][] = outputsOrThrow(run);
	return { ms: run.task!.executionTime, outputs, run };
}

/** The least any batch sender must do: chunk, serialise each request once, send it. */
async function baseline(items: IDataObject[], server: FakeServer) {
	const start = process.hrtime.bigint();
	for (let offset = 0; offset < items.length; offset += 100) {
		const response = await fetch(`${server.url}/api/batch/customers`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ customers: items.slice(offset, offset + 100) }),
		});
		await response.json();
	}
	return Number(process.hrtime.bigint() - start) / 1e6;
}

interface Row {
	id: string;
	measure: string;
	value: number;
	better: 'lower' | 'higher';
	note: string;
}

/** Heap the run keeps (n8n's run data: the node's outputs, which carry input + record + result), against the input's JSON size. */
async function memoryRatio(items: IDataObject[], server: FakeServer): Promise<Row> {
	const inputBytes = Buffer.byteLength(JSON.stringify(items));
	global.gc?.();
	const before = process.memoryUsage().heapUsed;
	const kept = await timeRun(items, server);
	global.gc?.();
	const after = process.memoryUsage().heapUsed;
	return {
		id: 'heapPerInput',
		measure: 'heap kept by the run / input JSON size',
		value: (after - before) / inputBytes,
		better: 'lower',
		note: `${(inputBytes / 1e6).toFixed(1)} MB input, ${kept.outputs[0].length} outputs (each carries the input and the result; the sent record only with Include Sent Record)`,
	};
}

async function main() {
	const parts = (process.env.BENCH_PARTS ?? 'engine').split(',').map((part) => part.trim());
	if (!parts.includes('engine')) return;
	const loads = [os.loadavg().map((value) => value.toFixed(2)).join(' ')];
	const rows: Row[] = [];
	const count = 20_000;
	const items = customers(count);
	const fast = await vendor(0);

	rows.push(await memoryRatio(items, fast));

	// Warm up the JIT so the first measurement is not penalised.
	await timeRun(customers(2000), fast);
	await baseline(customers(2000), fast);

	const base = await baseline(items, fast);
	const engine = await timeRun(items, fast);
	rows.push({
		id: 'enginePerMinimal',
		measure: 'engine time / minimal chunk+serialise+send time',
		value: engine.ms / base,
		better: 'lower',
		note: `${count} customers; engine in n8n ${(count / (engine.ms / 1000)).toFixed(0)} customers/s here`,
	});

	const clean = await vendor(0);
	await timeRun(items, clean);
	rows.push({ id: 'requestsClean', measure: 'requests / ideal requests (clean data)', value: clean.calls() / Math.ceil(count / 100), better: 'lower', note: `${clean.calls()} calls for ${count}` });

	const rejecting = await vendor(0, (record) => String(record.surname).endsWith('37'));
	const mixed = await timeRun(items.slice(0, 10_000), rejecting);
	const bad = mixed.outputs[1].length;
	rows.push({
		id: 'requestsWithBad',
		measure: 'requests / ideal requests (1 bad in 100, all-or-nothing vendor)',
		value: rejecting.calls() / 100,
		better: 'lower',
		note: `${bad} bad records found, ${rejecting.calls()} calls; bound 1 + 2·log2(100) ≈ 15 per bad batch`,
	});

	const slow = await vendor(20);
	const serial = await timeRun(items.slice(0, 2000), slow, { concurrency: 1 });
	const parallel = await timeRun(items.slice(0, 2000), slow, { concurrency: 4 });
	rows.push({ id: 'concurrencySpeedUp', measure: 'speed-up with 4 concurrent batches (20 ms vendor latency)', value: serial.ms / parallel.ms, better: 'higher', note: 'ideal 4×' });

	await Promise.all([fast, clean, rejecting, slow].map(async (server) => await server.close()));

	loads.push(os.loadavg().map((value) => value.toFixed(2)).join(' '));
	const results = path.join(__dirname, 'results/engine-latest.json');
	fs.mkdirSync(path.dirname(results), { recursive: true });
	fs.writeFileSync(results, `${JSON.stringify({ date: new Date().toISOString(), loadavg: loads, rows }, null, '\t')}\n`);

	const width = Math.max(...rows.map((row) => row.measure.length));
	console.log(`\n${'measure'.padEnd(width)}  ratio   note`);
	for (const row of rows) console.log(`${row.measure.padEnd(width)}  ${`${row.value.toFixed(2)}×`.padEnd(6)}  ${row.note}`);
	console.log(`(load average ${loads.join(' → ')}; written to ${path.relative(path.resolve(__dirname, '../..'), results)})`);
}

void main();
