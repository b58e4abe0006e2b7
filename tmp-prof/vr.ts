import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { createSchema as dustessCreate } from '../nodes/Dustess/fields';
import { seaSchema } from '../nodes/NxCloud/fields';
import { createSchema as thuliumCreate } from '../nodes/Thulium/fields';
import { validateRecord } from '../nodes/shared/schema/validateRecord';
import { customersCode } from '../test/bench/n8nWorkflows';
const vendor = (process.env.V ?? 'thulium') as 'thulium' | 'nxcloud' | 'dustess';
const records = (process.env.R ?? 'full') as 'simple' | 'full';
const schema = { thulium: thuliumCreate, nxcloud: seaSchema, dustess: dustessCreate }[vendor];
const items = new Function(customersCode(20000, vendor, records, vendor))() as INodeExecutionData[];
const input = JSON.parse(JSON.stringify(items.map((i) => i.json))) as IDataObject[];
let least = Infinity;
for (let r = 0; r < Number(process.env.N ?? 15); r++) {
	const t = process.cpuUsage();
	for (const json of input) validateRecord(json, schema, { strict: false, dateOrder: 'ymd', timeZone: 'Europe/Warsaw' });
	const u = process.cpuUsage(t);
	least = Math.min(least, u.user + u.system);
}
console.log(`${vendor} ${records}: ${(least / input.length).toFixed(2)} µs per record`);
