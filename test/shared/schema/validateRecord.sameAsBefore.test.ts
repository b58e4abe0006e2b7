/**
 * Issue 19 made validateRecord cheaper (a quick reading of text, one walk for nesting and
 * blankness, paths joined only for messages, compact records, dates already in yyyy-MM-dd read at
 * once). This proves nothing it reads changed: on every schema and on edge values at every field
 * path, it gives the same record (same keys in the same order) and the same problems as the
 * validator before the change, kept in ./reference.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RecordSchema } from '../../../nodes/shared/schema/fieldSchema';
import type { ValidateOptions } from '../../../nodes/shared/schema/validateRecord';
import { validateRecord } from '../../../nodes/shared/schema/validateRecord';
import { MAX_NESTING, isBlank, isNestedDeeperThan, valueShape } from '../../../nodes/shared/schema/values';
import { readDate, readDateTime } from '../../../nodes/shared/schema/dates';
import { createSchema as dustessCreate } from '../../../nodes/Dustess/fields';
import { createSchema as thuliumCreate } from '../../../nodes/Thulium/fields';
import { SCHEMAS, benchCustomers, fieldPaths, withValue } from '../../helpers/validatorDifferential';
import { validateRecord as validateBefore } from './reference/validateRecord';
import { isBlank as isBlankBefore, isNestedDeeperThan as isNestedDeeperThanBefore } from './reference/values';
import { readDate as readDateBefore, readDateTime as readDateTimeBefore } from './reference/dates';

const OPTIONS: ValidateOptions[] = [{}, { strict: true, dateOrder: 'dmy', timeZone: 'Asia/Shanghai' }, { dateOrder: 'mdy' }];

function nested(levels: number): unknown {
	let value: unknown = 'x';
	for (let level = 0; level < levels; level++) value = [value];
	return value;
}

/** Values at the edges of every reading: blank, spaces, over-long, of another type, nested, dates in every form. */
const EDGE_VALUES: unknown[] = [
	undefined,
	null,
	'',
	'   ',
	'\t\n',
	' x ',
	'x',
	'Łódź',
	'a'.repeat(129),
	'a'.repeat(2001),
	'😀'.repeat(100),
	'😀'.repeat(101),
	' 5260000001 ',
	'80051700001',
	'a@b.cd',
	'a @b',
	'四川省-成都市-武侯区',
	'a-b-c-d',
	'a,b',
	' a , ,b ',
	0,
	1,
	-1,
	1.5,
	151,
	48600100200,
	1e21,
	1.5e-7,
	Number.NaN,
	Number.POSITIVE_INFINITY,
	true,
	false,
	'true',
	' FALSE ',
	'1',
	'0',
	'male',
	'F',
	'女',
	'College',
	'1980-05-17',
	' 1980-05-17 ',
	'1980-02-29',
	'1981-02-29',
	'2000-02-29',
	'1900-02-29',
	'0000-01-01',
	'0999-12-31',
	'1980-5-7',
	'1980-13-01',
	'1980/05/17',
	'17.05.1980',
	'05/06/1980',
	'05-06-1980',
	'1980-05-17T10:11:12Z',
	'1980-05-17 25:00',
	'1980-05-17x',
	new Date(Date.UTC(1980, 4, 17, 22, 30)),
	new Date(Number.NaN),
	[],
	[''],
	['  ', null],
	['a'],
	['a', ' b '],
	['a', 1, ''],
	['a', {}],
	[{ a: '' }],
	['a,b', 'c'],
	{},
	{ a: '' },
	{ a: ' ', b: [null, ['']] },
	{ a: 'x' },
	{ a: { b: ['', 'y'] } },
	JSON.parse('{"__proto__": "x"}'),
	JSON.parse('{"__proto__": ""}'),
	JSON.parse('{"constructor": {"a": 1}}'),
	'{"a": "1", "b": ""}',
	'{not json',
	'[1]',
	nested(MAX_NESTING - 1),
	nested(MAX_NESTING),
	nested(MAX_NESTING + 1),
	{ deep: nested(MAX_NESTING) },
];

let compared = 0;

function expectSameAsBefore(input: IDataObject, schema: RecordSchema, options: ValidateOptions): void {
	const now = validateRecord(input, schema, options);
	const before = validateBefore(input, schema, options);
	// As text: the same keys in the same order at every level (a record holds only JSON values).
	// Compared in full only where they differ, to name the difference.
	if (JSON.stringify(now) !== JSON.stringify(before)) expect(now).toEqual(before);
	compared++;
}

describe('validateRecord gives what it gave before issue 19', () => {
	for (const [name, schema, vendor] of SCHEMAS) {
		it(`${name}: the benchmark's simple and full customers, and every edge value at every field path`, () => {
			const bases = [...benchCustomers(3, vendor, 'simple'), ...benchCustomers(3, vendor, 'full'), {}];
			const paths = fieldPaths(schema.fields, 1).map(([path]) => path);
			const start = compared;
			for (const options of OPTIONS) {
				for (const base of bases) expectSameAsBefore(base, schema, options);
				for (const path of paths) for (const value of EDGE_VALUES) expectSameAsBefore(withValue(bases[4], path, value), schema, options);
			}
			expect(compared - start).toBe(OPTIONS.length * (bases.length + paths.length * EDGE_VALUES.length));
		});
	}

	it('reads Dustess custom field values by their entry\'s type as before, in every spelling of the type', () => {
		for (const type of ['number', 'NUMBER', 'Int', 'date', 'Date', 'datetime', 'date_time', 'text', 'other', '', 5, null]) {
			for (const value of EDGE_VALUES) {
				const input = { pool: 'p', custom_fields: [{ id: 'f', type, value }] } as IDataObject;
				expectSameAsBefore(input, dustessCreate, {});
				expectSameAsBefore(input, dustessCreate, { dateOrder: 'dmy', strict: true });
			}
		}
	});

	it('keeps keys reserved by JavaScript, unknown keys and blank nested entries as before, at every level', () => {
		const inputs: IDataObject[] = [
			JSON.parse('{"surname": "A", "__proto__": {"x": 1}, "constructor": "", "prototype": 1, "address": {"__proto__": "", "city": " "}}'),
			JSON.parse('{"surname": "A", "address": {"constructor": "x", "city": "c"}, "Anna Kowalska": 1, "+48 600 100 200": 2}'),
			{ surname: 'A', address: { city: '', street: ['', null] }, invoice_address: { city: 'c', unknown: '' } },
		];
		for (const input of inputs) for (const options of OPTIONS) expectSameAsBefore(input, thuliumCreate, options);
		const dustess: IDataObject[] = [
			{ pool: 'p', mobiles: [{ tel: '' }, { tel: ' ', type: 'mobile' }, {}, null, '', { tel: '1' }], custom_fields: [{ id: 'x' }, { id: 'y', value: '' }, { id: 'z', array_value: ['', ' '] }] },
			JSON.parse('{"pool": "p", "mobiles": [{"tel": "", "__proto__": "x"}, {"tel": "1", "constructor": ""}]}'),
			{ pool: 'p', mobiles: { tel: '1' }, custom_fields: 'x' },
			{ pool: 'p', custom_fields: [{ id: 'f', files_value: [{ name: 'a', url: 'u' }, {}, { name: '' }, { name: 'b', url: 'v', file_type: 'XLSX' }] }] },
			{ pool: 'p', custom_fields: [{ id: 'f', files_value: Array.from({ length: 6 }, (_, index) => ({ name: `n${index}`, url: 'u' })) }] },
		];
		// A value the entry holds but does not list as its own (not enumerable): not read as making the entry given.
		const hidden = (entry: IDataObject, name: string, value: unknown) => Object.defineProperty(entry, name, { value, enumerable: false });
		dustess.push({ pool: 'p', mobiles: [hidden({}, 'tel', '1'), hidden({ type: 'x' }, 'tel', '1'), hidden({ display: '' }, 'tel', '1')] });
		dustess.push({ pool: 'p', custom_fields: [hidden({ id: 'a' }, 'value', 'v'), hidden({ id: '' }, 'value', ''), hidden({}, 'string_value', ['x'])] });
		for (const input of dustess) for (const options of OPTIONS) expectSameAsBefore(input, dustessCreate, options);
	});
});

describe('the readers issue 19 made cheaper read as before', () => {
	it('valueShape answers as isNestedDeeperThan, then isBlank, did; both still answer as before', () => {
		const cyclic: unknown[] = ['x'];
		cyclic.push(cyclic);
		const values = [...EDGE_VALUES, cyclic, [cyclic], { a: [[[]]] }, [[['', [null]]]], { a: nested(MAX_NESTING - 1) }, { a: [' ', { b: nested(MAX_NESTING - 2) }] }];
		for (const value of values) {
			const before = isNestedDeeperThanBefore(value) ? 'tooDeep' : isBlankBefore(value) ? 'blank' : 'given';
			expect({ value, shape: valueShape(value) }).toEqual({ value, shape: before });
			expect(isNestedDeeperThan(value)).toBe(isNestedDeeperThanBefore(value));
			expect(isBlank(value)).toBe(isBlankBefore(value));
			for (const limit of [0, 1, 2, 3]) expect(isNestedDeeperThan(value, limit)).toBe(isNestedDeeperThanBefore(value, limit));
		}
	});

	it('reads every yyyy-MM-dd of the years 0000 to 9999, real or not, as before (the quick reading and the calendar)', () => {
		const pad = (value: number, digits = 2) => String(value).padStart(digits, '0');
		const months = [0, 1, 2, 4, 12, 13];
		const days = [0, 1, 28, 29, 30, 31, 32];
		let differ = 0;
		for (let year = 0; year <= 9999; year++) {
			for (const month of months) {
				for (const day of days) {
					const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
					if (JSON.stringify(readDate(text)) !== JSON.stringify(readDateBefore(text))) differ++;
				}
			}
		}
		expect(differ).toBe(0);
		for (const text of ['1980-05-17', '1980-5-17', '1980/05/17', '17.05.1980', '05/06/1980', '1980-05-17T23:59:59', ' 2000-02-29 ', '2000-02-29\n']) {
			for (const order of ['ymd', 'dmy', 'mdy'] as const) {
				expect(readDate(text, order)).toEqual(readDateBefore(text, order));
				expect(readDateTime(text, order)).toEqual(readDateTimeBefore(text, order));
			}
		}
	});
});
