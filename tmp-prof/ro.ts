import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { routeOutcomes } from '../nodes/shared/engine/routeOutcomes';
import { routeOutcomes as routeOld } from './routeOld';
import { customersCode } from '../test/bench/n8nWorkflows';
import type { Outcome } from '../nodes/shared/engine/outcomes';
for (const [shape, records] of [['thulium', 'simple'], ['export', 'full'], ['thulium', 'full']] as const) {
	const raw = new Function(customersCode(20000, shape as never, records, 'thulium'))() as INodeExecutionData[];
	const items: INodeExecutionData[] = JSON.parse(JSON.stringify(raw.map((i) => ({ json: i.json }))));
	const outcomes: Outcome[] = items.map((item, index) => ({ ok: true, record: { ...item.json }, result: { customer_id: String(index), http_status: 201 }, batch: 1 }));
	const time = (f: () => unknown) => { let least = Infinity; for (let r = 0; r < 9; r++) { const t = process.cpuUsage(); f(); const u = process.cpuUsage(t); least = Math.min(least, u.user + u.system); } return (least / items.length).toFixed(2); };
	console.log(shape, records, 'old', time(() => routeOld(items, outcomes, { vendor: 'thulium', operation: 'create' })), 'new(record)', time(() => routeOutcomes(items, outcomes, { vendor: 'thulium', operation: 'create' }, true)), 'new(no record)', time(() => routeOutcomes(items, outcomes, { vendor: 'thulium', operation: 'create' }, false)));
}
