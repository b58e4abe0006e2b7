/**
 * `node --expose-gc -r ts-node/register/transpile-only test/bench/memoryProbe.ts [count] [rounds]`:
 * the heap the Thulium node (Auto-Map, Concurrent Batches 4) holds in n8n's engine (the in-process
 * harness), against a vendor on 127.0.0.1 that answers at once and keeps nothing:
 * - live at the end: the heap after a full GC at the moment the node hands its outputs over (its
 *   execution hints are added then), less the heap before the run: what the run keeps alive at
 *   its fullest (the input, the node's own data and its outputs);
 * - kept: the same after the run (n8n's run data: the outputs);
 * - peak: the highest heap sampled every 10 ms during the run (garbage included).
 * Numbers only; no assertions. Customers as the real-n8n benchmark's simple Thulium ones.
 */
import http from 'node:http';

import { ExecuteContext } from 'n8n-core';
import type { IDataObject } from 'n8n-workflow';

import { n8nHarness, outputsOrThrow } from '../helpers/n8nWorkflow';

const gc = (): void => {
	if (!global.gc) throw new Error('run with node --expose-gc');
	global.gc();
	global.gc();
};
const heap = () => process.memoryUsage().heapUsed;
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

const FIRST = ['Anna', 'Jan', 'Ewa', 'Piotr', 'Zofia', 'Tomasz', 'Maria', 'Paweł'];
const LAST = ['Nowak', 'Kowalski', 'Wiśniewska', 'Wójcik', 'Kamiński', 'Lewandowska'];
const CITIES = ['Warszawa', 'Kraków', 'Łódź', 'Wrocław', 'Poznań', 'Gdańsk'];

function customers(count: number, full: boolean): IDataObject[] {
	return Array.from({ length: count }, (_, i) => {
		const customer: IDataObject = {
			surname: LAST[i % 6],
			name: FIRST[i % 8],
			email: `c${i}@example.com`,
			phone_number: `13${String(i).padStart(9, '0')}`,
			birthdate: `${1950 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
			address: { city: CITIES[(i % 5) + (i % 2)] },
		};
		if (full) {
			Object.assign(customer, {
				company_id: String(1000 + (i % 500)),
				identifier: `CRM-${i}`,
				note: `Imported from the CRM export, row ${i}`,
				custom_fields: { source: 'crm-export', score: String(i % 100) },
				invoice_address: { street: 'Długa', building: String(1 + (i % 60)), city: 'Gdańsk', country: 'PL' },
			});
		}
		return customer;
	});
}

/** Thulium's batch answer, one entry per position, as the sandbox gives it; keeps nothing. */
async function vendor(): Promise<{ url: string; close: () => Promise<void> }> {
	const server = http.createServer((incoming, response) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', () => {
			const path = incoming.url ?? '';
			let body: IDataObject = {};
			if (path.includes('customers')) {
				const list = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { customers: unknown[] }).customers;
				list.forEach((_, position) => (body[String(position)] = { http_status: 201, customer_id: String(100000 + position) }));
			} else body = { token: 't' };
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify(body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return { url: `http://127.0.0.1:${port}`, close: async () => await new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function main() {
	const count = Number(process.argv[2] ?? 100_000);
	const rounds = Number(process.argv[3] ?? 2);
	const full = process.env.PROBE_FULL === '1';
	const options = JSON.parse(process.env.PROBE_OPTIONS ?? '{}') as IDataObject;
	const n8n = n8nHarness();
	const server = await vendor();
	let liveAtEnd = 0;
	const original = ExecuteContext.prototype.addExecutionHints;
	ExecuteContext.prototype.addExecutionHints = function (this: ExecuteContext, ...hints) {
		gc();
		liveAtEnd = heap();
		return original.apply(this, hints);
	};
	const run = async (items: IDataObject[]) =>
		outputsOrThrow(
			await n8n.run({
				input: items,
				node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { concurrency: 4, ...options } } },
				credentials: { thuliumApi: { baseUrl: `${server.url}/api`, login: 'u', password: 'p' } },
			}),
		);
	await run(customers(2000, full));
	for (let round = 0; round < rounds; round++) {
		const items = customers(count, full);
		gc();
		const before = heap();
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, heap())), 10);
		let outputs: unknown = await run(items);
		clearInterval(sampler);
		gc();
		const kept = heap() - before;
		if (items.length !== count) throw new Error('items lost');
		const success = (outputs as unknown[][])[0].length;
		outputs = undefined;
		console.log(
			`${count} ${full ? 'full' : 'simple'}: live at end ${mb(liveAtEnd - before)} MB, kept after ${mb(kept)} MB, peak sampled ${mb(peak - before)} MB (success ${success})`,
		);
	}
	await server.close();
}

void main();
