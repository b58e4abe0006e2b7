/**
 * What the differential tests of validateRecord share (test/shared/schema/*sameAsBefore*): every
 * vendor schema, every path at which a value is read, a record with a value set at a path, and the
 * benchmark's customers as n8n's items carry them.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { createSchema as dustessCreate, updateSchema as dustessUpdate } from '../../nodes/Dustess/fields';
import { seaSchema, standardIndonesiaSchema, standardSchema } from '../../nodes/NxCloud/fields';
import { createSchema as thuliumCreate, updateSchema as thuliumUpdate } from '../../nodes/Thulium/fields';
import type { FieldSchema, RecordSchema } from '../../nodes/shared/schema/fieldSchema';
import { customersCode } from '../bench/n8nWorkflows';

export type Vendor = 'thulium' | 'nxcloud' | 'dustess';

export const SCHEMAS: Array<[string, RecordSchema, Vendor]> = [
	['Thulium create', thuliumCreate, 'thulium'],
	['Thulium update', thuliumUpdate, 'thulium'],
	['NXCLOUD SEA', seaSchema, 'nxcloud'],
	['NXCLOUD Standard', standardSchema, 'nxcloud'],
	['NXCLOUD Standard (Indonesia)', standardIndonesiaSchema, 'nxcloud'],
	['Dustess create', dustessCreate, 'dustess'],
	['Dustess update', dustessUpdate, 'dustess'],
];

/**
 * Every path at which a value is read, with its field: `name`, `address.city`, `mobiles[k].tel`,
 * `custom_fields[k].value` (k: the list position tried).
 */
export function fieldPaths(fields: FieldSchema[], listPosition: number, prefix: Array<string | number> = []): Array<[Array<string | number>, FieldSchema]> {
	const paths: Array<[Array<string | number>, FieldSchema]> = [];
	for (const field of fields) {
		const path = [...prefix, field.name];
		paths.push([path, field]);
		if (field.type === 'object' && field.fields) paths.push(...fieldPaths(field.fields, listPosition, path));
		if (field.type === 'objectList' && field.fields) paths.push(...fieldPaths(field.fields, listPosition, [...path, listPosition]));
	}
	return paths;
}

/** A deep copy of the record with the value at `path` set (objects and lists on the way made where missing). */
export function withValue(record: IDataObject, path: Array<string | number>, value: unknown): IDataObject {
	const copy = JSON.parse(JSON.stringify(record)) as IDataObject;
	let target: Record<string | number, unknown> = copy;
	path.slice(0, -1).forEach((step, index) => {
		const next = target[step];
		if (typeof next !== 'object' || next === null) target[step] = typeof path[index + 1] === 'number' ? [{}, {}] : {};
		target = target[step] as Record<string | number, unknown>;
	});
	target[path[path.length - 1]] = value;
	return copy;
}

/** The benchmark's customers (made as its Code node makes them), through JSON as n8n's items arrive. */
export function benchCustomers(count: number, vendor: Vendor, records: 'simple' | 'full'): IDataObject[] {
	const items = new Function(customersCode(count, vendor, records, vendor))() as INodeExecutionData[];
	return JSON.parse(JSON.stringify(items.map((item) => item.json))) as IDataObject[];
}
