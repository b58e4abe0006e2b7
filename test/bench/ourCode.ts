/**
 * `npm run bench:ours`: the CPU microseconds per customer of our own per-customer code, each
 * function on its own, outside n8n (test/bench/profileBreakdown.ts gives the same costs inside n8n,
 * where they cannot be told apart from noise below a few microseconds on a busy machine). Every
 * measurement is the least CPU time of BENCH_OURS_REPEAT runs over BENCH_OURS_CUSTOMERS customers:
 * on a shared machine other work only ever adds time, so the least is the closest to the cost.
 *
 * Customers are the benchmark's own (test/bench/n8nWorkflows.ts), simple and full, in each
 * vendor's Auto-Map shape. Also measured: what n8n's HTTP helper (axios) does with an object
 * request body (JSON.stringify, then Buffer.from), against the same bytes made by our jsonBody.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { createSchema as dustessCreate } from '../../nodes/Dustess/fields';
import { toVendorContact } from '../../nodes/Dustess/adapter';
import { seaSchema } from '../../nodes/NxCloud/fields';
import { thuliumOperations } from '../../nodes/Thulium/adapter';
import { createSchema as thuliumCreate } from '../../nodes/Thulium/fields';
import { jsonBody } from '../../nodes/shared/engine/jsonBody';
import { routeOutcomes } from '../../nodes/shared/engine/routeOutcomes';
import type { Outcome } from '../../nodes/shared/engine/outcomes';
import type { RecordSchema } from '../../nodes/shared/schema/fieldSchema';
import { validateRecord } from '../../nodes/shared/schema/validateRecord';
import { customersCode } from './n8nWorkflows';
import type { Records, Vendor } from './n8nWorkflows';

const COUNT = Number(process.env.BENCH_OURS_CUSTOMERS ?? 20_000);
const REPEAT = Number(process.env.BENCH_OURS_REPEAT ?? 7);
const SCHEMAS: Record<Vendor, RecordSchema> = { thulium: thuliumCreate, nxcloud: seaSchema, dustess: dustessCreate };

function cpuUs(): number {
	const { user, system } = process.cpuUsage();
	return user + system;
}

/** The least CPU µs per customer of `work` over REPEAT runs; `prepare` (not timed) makes each run's input. */
function leastPerCustomer<T>(prepare: () => T, work: (input: T) => unknown): number {
	let least = Infinity;
	for (let run = 0; run < REPEAT; run++) {
		const input = prepare();
		const started = cpuUs();
		work(input);
		least = Math.min(least, cpuUs() - started);
	}
	return least / COUNT;
}

/** The Code node's customers, made here as n8n's Code node would, then through JSON as n8n's items arrive. */
function customers(vendor: Vendor, records: Records): IDataObject[] {
	const items = new Function(customersCode(COUNT, vendor, records, vendor))() as INodeExecutionData[];
	return JSON.parse(JSON.stringify(items.map((item) => item.json))) as IDataObject[];
}

function main() {
	const rows: Array<[string, string, number]> = [];
	for (const records of ['simple', 'full'] as Records[]) {
		for (const vendor of ['thulium', 'nxcloud', 'dustess'] as Vendor[]) {
			const input = customers(vendor, records);
			const label = `${vendor} ${records}`;
			const validated = input.map((json) => validateRecord(json, SCHEMAS[vendor]).record);
			rows.push([label, 'validateRecord', leastPerCustomer(() => input, (list) => list.map((json) => validateRecord(json, SCHEMAS[vendor])))]);

			const items: INodeExecutionData[] = input.map((json) => ({ json }));
			const outcomes: Outcome[] = validated.map((record, index) => ({ ok: true, record, result: { customer_id: String(index), http_status: 201 }, batch: 1 + Math.floor(index / 100) }));
			rows.push([label, 'routeOutcomes (output items)', leastPerCustomer(() => outcomes, (list) => routeOutcomes(items, list, { vendor, operation: 'create' }, true))]);

			if (vendor === 'thulium') {
				const naturalKeys = thuliumOperations.create.naturalKeys!;
				rows.push([label, 'natural keys (Skip Duplicate Rows)', leastPerCustomer(() => validated, (list) => list.map((record) => naturalKeys(record)))]);
			}
			if (vendor === 'dustess') rows.push([label, 'toVendorContact (adapter)', leastPerCustomer(() => validated, (list) => list.map((record) => toVendorContact(record)))]);

			const bodies = () => {
				const list: IDataObject[] = [];
				for (let start = 0; start < validated.length; start += 100) list.push({ customers: validated.slice(start, start + 100) });
				return list;
			};
			rows.push([label, "request bodies as bytes: Buffer.from(JSON.stringify(body)) (what n8n's HTTP helper, axios, makes of an object)", leastPerCustomer(bodies, (list) => list.map((body) => Buffer.from(JSON.stringify(body), 'utf8')))]);
			rows.push([label, 'request bodies as bytes: jsonBody (ours, handed to the helper as a Buffer)', leastPerCustomer(bodies, (list) => list.map((body) => jsonBody(body)))]);
		}
	}
	const width = Math.max(...rows.map(([label, what]) => `${label}  ${what}`.length));
	console.log(`CPU µs per customer, least of ${REPEAT} runs over ${COUNT.toLocaleString('en')} customers (load average ${require('node:os').loadavg().map((value: number) => value.toFixed(2)).join(' ')}):\n`);
	for (const [label, what, us] of rows) console.log(`${`${label}  ${what}`.padEnd(width)}  ${us.toFixed(2).padStart(7)} µs`);
}

main();
