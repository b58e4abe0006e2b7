/**
 * Attacks a review tried that held, kept as regressions: validateRecord's per-schema caches (known
 * names, a field read as another type, option spellings) keep nothing between rows, schemas or
 * vendors, and the character count of long texts is unchanged.
 */
import type { IDataObject } from 'n8n-workflow';

import { createSchema as dustessCreate, updateSchema as dustessUpdate } from '../../../nodes/Dustess/fields';
import { seaSchema, standardIndonesiaSchema, standardSchema } from '../../../nodes/NxCloud/fields';
import { validateRecord } from '../../../nodes/shared/schema/validateRecord';

const customFields = (order: number[]) => {
	const all: IDataObject[] = [
		{ id: 'f1', type: 'number', value: ' 12.5 ' },
		{ id: 'f2', type: 'date', value: '1980-05-17T10:00:00Z' },
		{ id: 'f3', type: 'datetime', value: '1980-05-17 10:11:12' },
		{ id: 'f4', type: 'text', value: '1980-05-17' },
		{ id: 'f5', type: 'int', value: '7' },
	];
	return order.map((index) => all[index]);
};

describe('validateRecord caches', () => {
	it('reads a Dustess custom value by its own entry\'s type in any order, in create and update schemas that share the field objects', () => {
		const expected: Record<string, unknown> = { f1: 12.5, f2: '1980-05-17', f3: '1980-05-17 10:11:12', f4: '1980-05-17', f5: 7 };
		for (const order of [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 0, 3, 2, 4]]) {
			for (const [schema, keys] of [[dustessCreate, { pool: 'p' }], [dustessUpdate, { id: 'c1' }]] as const) {
				const { record, problems } = validateRecord({ ...keys, custom_fields: customFields(order) }, schema, { dateOrder: 'ymd', timeZone: 'UTC' });
				expect(problems).toEqual([]);
				const read = Object.fromEntries((record.custom_fields as IDataObject[]).map((entry) => [entry.id, entry.value]));
				expect(read).toEqual(Object.fromEntries(order.map((index) => [`f${index + 1}`, expected[`f${index + 1}`]])));
			}
		}
		// A number field given a date after a date field was read: still refused as a number, by its own type.
		const wrong = validateRecord({ pool: 'p', custom_fields: [{ id: 'd', type: 'date', value: '1980-05-17' }, { id: 'n', type: 'number', value: '1980-05-17' }] }, dustessCreate);
		expect(wrong.problems.map((problem) => problem.field)).toEqual(['custom_fields[1].value']);
	});

	it('keeps Reject Unknown Fields per schema: a key known to one schema is unknown to the other', () => {
		expect(validateRecord({ id: 'c1', remark: 'x' }, dustessUpdate, { strict: true }).problems).toEqual([]);
		expect(validateRecord({ id: 'c1', pool: 'p' }, dustessCreate, { strict: true }).problems.map((problem) => problem.rule)).toEqual(['unknownField']);
		expect(validateRecord({ id: 'c1', remark: 'x' }, dustessUpdate, { strict: true }).problems).toEqual([]);
		expect(validateRecord({ full_name: 'A', viber_phone: '1' }, standardSchema, { strict: true }).problems).toEqual([]);
		expect(validateRecord({ first_name: 'A', last_name: 'B', viber_phone: '1' }, seaSchema, { strict: true }).problems.map((problem) => problem.field)).toEqual(['viber_phone']);
	});

	it('matches option spellings as before: by value, name or alias, any case, numbers and their text, first option first', () => {
		const gender = (value: unknown) => validateRecord({ first_name: 'A', last_name: 'B', gender: value } as IDataObject, seaSchema);
		for (const [given, sent] of [[1, 1], ['1', 1], [' 1 ', 1], ['MALE', 1], ['m', 1], ['男', 1], [0, 0], ['0', 0], ['Female', 0], ['F', 0], ['女', 0]] as const) {
			expect({ given, record: gender(given).record.gender }).toEqual({ given, record: sent });
		}
		for (const refused of ['1.0', true, false, 'male ish', 2, -1]) expect(gender(refused).problems.map((problem) => problem.rule)).toEqual(['enum']);
	});

	it('counts a text in characters where its UTF-16 length exceeds the limit, per edition', () => {
		const remark = (text: string, schema = standardSchema) => validateRecord({ full_name: 'A', remark: text }, schema).problems.map((problem) => problem.message);
		expect(remark('😀'.repeat(100))).toEqual([]);
		expect(remark('😀'.repeat(101))).toEqual(["'Remark' (remark) must be at most 100 characters, got 101"]);
		expect(remark('a'.repeat(101))).toHaveLength(1);
		expect(remark('😀'.repeat(101), standardIndonesiaSchema)).toEqual([]);
		expect(remark('a'.repeat(101))).toHaveLength(1);
	});
});
