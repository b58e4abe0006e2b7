import type { INodeExecutionData, IDataObject } from 'n8n-workflow';
import { customersCode } from '../test/bench/n8nWorkflows';
for (const [shape, records] of [['thulium', 'simple'], ['export', 'full'], ['thulium', 'full']] as const) {
	const raw = new Function(customersCode(20000, shape as never, records, 'thulium'))() as INodeExecutionData[];
	const items = JSON.parse(JSON.stringify(raw.map((i) => i.json))) as IDataObject[];
	const cb = { status: 'success' };
	const time = (f: () => unknown) => { let least = Infinity; for (let r = 0; r < 25; r++) { const t = process.cpuUsage(); f(); const u = process.cpuUsage(t); least = Math.min(least, u.user + u.system); } return (least / items.length).toFixed(2); };
	const spread = () => items.map((j) => ({ ...j, customerBatch: cb }));
	const loop = () => items.map((j) => { const o: IDataObject = {}; for (const k of Object.keys(j)) o[k] = j[k]; o.customerBatch = cb; return o; });
	console.log(shape, records, Object.keys(items[0]).length, 'keys: spread', time(spread), 'loop', time(loop), 'spread', time(spread), 'loop', time(loop));
}
