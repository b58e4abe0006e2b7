/**
 * `npm run bench`: speed and memory of the batch engine, reported as ratios (machine-independent
 * comparisons), never as timed assertions. The vendor is in-process (tests' fake vendor) so the
 * figures measure the engine, not the network.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BatchOperation } from '../../nodes/shared/engine/adapter';
import { runBatchOperation } from '../../nodes/shared/engine/runBatchOperation';
import { thuliumOperations } from '../../nodes/Thulium/adapter';
import { mockExecuteFunctions } from '../helpers/mockExecuteFunctions';
import type { HttpHandler } from '../helpers/mockExecuteFunctions';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** A Thulium-shaped vendor in memory: answers per position; `rejectWhole` emulates an all-or-nothing vendor. */
function vendor(latencyMs: number, rejectWhole?: (record: IDataObject) => boolean): HttpHandler & { calls: number } {
	const handler = async (_type: string, options: { body?: unknown }) => {
		handler.calls++;
		if (latencyMs) await sleep(latencyMs);
		const list = (options.body as { customers: IDataObject[] }).customers;
		if (rejectWhole && list.some(rejectWhole)) {
			return { statusCode: 400, headers: {}, body: { request_id: 'r', errors: [{ message: 'invalid customer', code: 1 }] } };
		}
		const body: IDataObject = {};
		list.forEach((_, position) => (body[String(position)] = { http_status: 201, customer_id: String(position) }));
		return { statusCode: 200, headers: {}, body };
	};
	handler.calls = 0;
	return handler;
}

async function timeRun(items: IDataObject[], http: HttpHandler, options: IDataObject = {}, operation: BatchOperation = thuliumOperations.create) {
	const fn = mockExecuteFunctions({
		items,
		parameters: { mappingMode: 'autoMapInputData', options },
		credentials: { thuliumApi: { baseUrl: 'http://bench.invalid/api', login: 'u', password: 'p' } },
		http,
	});
	const start = process.hrtime.bigint();
	const outputs = (await runBatchOperation.call(fn, operation)) as INodeExecutionData[][];
	return { ms: Number(process.hrtime.bigint() - start) / 1e6, outputs };
}

/** The least any batch sender must do: chunk, serialise each request once. */
async function baseline(items: IDataObject[], http: HttpHandler) {
	const start = process.hrtime.bigint();
	for (let offset = 0; offset < items.length; offset += 100) {
		const body = JSON.parse(JSON.stringify({ customers: items.slice(offset, offset + 100) }));
		await http('thuliumApi', { url: 'http://bench.invalid/api', body });
	}
	return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Heap the outputs keep alive, against the size of the input as JSON. */
async function memoryRatio(items: IDataObject[]): Promise<[string, string, string]> {
	const inputBytes = Buffer.byteLength(JSON.stringify(items));
	global.gc?.();
	const before = process.memoryUsage().heapUsed;
	const kept = await timeRun(items, vendor(0));
	global.gc?.();
	const after = process.memoryUsage().heapUsed;
	return ['heap kept by the outputs / input JSON size', `${((after - before) / inputBytes).toFixed(2)}×`, `${(inputBytes / 1e6).toFixed(1)} MB input, ${kept.outputs[0].length} outputs (each carries input + record + result)`];
}

async function main() {
	const rows: Array<[string, string, string]> = [];
	const count = 20_000;
	const items = customers(count);

	rows.push(await memoryRatio(items));

	// Warm up the JIT so the first measurement is not penalised.
	await timeRun(customers(2000), vendor(0));
	await baseline(customers(2000), vendor(0));

	const base = await baseline(items, vendor(0));
	const engine = await timeRun(items, vendor(0));
	rows.push(['engine time / minimal chunk+serialise time', `${(engine.ms / base).toFixed(2)}×`, `${count} customers; engine ${(count / (engine.ms / 1000)).toFixed(0)} customers/s here`]);

	const clean = vendor(0);
	await timeRun(items, clean);
	rows.push(['requests / ideal requests (clean data)', (clean.calls / Math.ceil(count / 100)).toFixed(2), `${clean.calls} calls for ${count}`]);

	const rejecting = vendor(0, (record) => String(record.surname).endsWith('37'));
	const mixed = await timeRun(items.slice(0, 10_000), rejecting);
	const bad = mixed.outputs[1].length;
	rows.push(['requests / ideal requests (1 bad in 100, all-or-nothing vendor)', (rejecting.calls / 100).toFixed(2), `${bad} bad records found, ${rejecting.calls} calls; bound 1 + 2·log2(100) ≈ 15 per bad batch`]);

	const serial = await timeRun(items.slice(0, 2000), vendor(20), { concurrency: 1 });
	const parallel = await timeRun(items.slice(0, 2000), vendor(20), { concurrency: 4 });
	rows.push(['speed-up with 4 concurrent batches (20 ms vendor latency)', `${(serial.ms / parallel.ms).toFixed(2)}×`, 'ideal 4×']);

	const width = Math.max(...rows.map((row) => row[0].length));
	console.log(`\n${'measure'.padEnd(width)}  ratio   note`);
	for (const [name, ratio, note] of rows) console.log(`${name.padEnd(width)}  ${ratio.padEnd(6)}  ${note}`);
}

void main();
