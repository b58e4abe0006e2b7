/**
 * Attacks on issue 19's cheaper validateRecord: values the differential test does not try (objects
 * of other prototypes, getters, hidden and symbol keys, lists with holes or extra keys, BigInt, -0,
 * invisible spaces, texts at the length limits with surrogate pairs at the boundary, more dates),
 * at every field path of every schema, and whole records of unusual shape. Each must read as the
 * validator before issue 19 (test/shared/schema/reference) read it: same record, same key order,
 * same problems, or the same exception.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RecordSchema } from '../../../nodes/shared/schema/fieldSchema';
import type { ValidateOptions } from '../../../nodes/shared/schema/validateRecord';
import { validateRecord } from '../../../nodes/shared/schema/validateRecord';
import { readDate, readDateTime } from '../../../nodes/shared/schema/dates';
import { MAX_NESTING } from '../../../nodes/shared/schema/values';
import { SCHEMAS, benchCustomers, fieldPaths, withValue } from '../../helpers/validatorDifferential';
import { validateRecord as validateBefore } from './reference/validateRecord';
import { readDate as readDateBefore, readDateTime as readDateTimeBefore } from './reference/dates';

const OPTIONS: ValidateOptions[] = [{}, { strict: true, dateOrder: 'dmy', timeZone: 'Asia/Shanghai' }, { dateOrder: 'mdy', timeZone: 'America/New_York' }];

/** A reading as text that keeps what JSON drops: key order, undefined, BigInt, -0, NaN. */
function shown(value: unknown): string {
	return JSON.stringify(value, (_key, entry: unknown) => {
		if (typeof entry === 'bigint') return `BigInt(${entry})`;
		if (typeof entry === 'number' && (Number.isNaN(entry) || !Number.isFinite(entry) || Object.is(entry, -0))) return `Number(${Object.is(entry, -0) ? '-0' : entry})`;
		if (entry === undefined) return 'undefined';
		return entry;
	});
}

function outcome(read: () => unknown): string {
	try {
		return shown(read());
	} catch (error) {
		return `threw ${(error as Error).constructor.name}`;
	}
}

let compared = 0;
function expectSameAsBefore(input: IDataObject, schema: RecordSchema, options: ValidateOptions, label: string): void {
	const now = outcome(() => validateRecord(input, schema, options));
	const before = outcome(() => validateBefore(input, schema, options));
	if (now !== before) expect({ label, now }).toEqual({ label, now: before });
	compared++;
}

function withGetter(key: string, value: unknown): object {
	return Object.defineProperty({}, key, { get: () => value, enumerable: true });
}
function hidden(key: string, value: unknown, base: object = {}): object {
	return Object.defineProperty(base, key, { value, enumerable: false });
}
function nullPrototype(entries: Record<string, unknown>): object {
	return Object.assign(Object.create(null) as object, entries);
}
function nested(levels: number, inner: unknown = 'x'): unknown {
	let value: unknown = inner;
	for (let level = 0; level < levels; level++) value = [value];
	return value;
}

class Customer {
	surname = 'x';
	city = 'c';
}

/** Values the differential test leaves out, named for the failure message. */
function strangeValues(): Array<[string, unknown]> {
	// eslint-disable-next-line no-sparse-arrays
	const holes = [, 'a', , ' '];
	return [
		['zero-width space', '\u200b'],
		['NBSP only', '\u00a0\u00a0'],
		['BOM only', '\ufeff'],
		['ideographic space', '\u3000'],
		['text in NBSPs', '\u00a0x\u00a0'],
		['-0', -0],
		['BigInt', BigInt(5)],
		['2^53+1', 2 ** 53 + 1],
		['0.1+0.2', 0.1 + 0.2],
		['hex text', '0x10'],
		['Arabic digits', '١٢٣'],
		['" 1e3 "', ' 1e3 '],
		['-Infinity', Number.NEGATIVE_INFINITY],
		['a symbol', Symbol('s')],
		['a function', () => 'x'],
		['null-prototype object', nullPrototype({ a: 'x', tel: '1', id: 'f', city: 'c' })],
		['empty null-prototype object', nullPrototype({})],
		['blank null-prototype object', nullPrototype({ a: ' ', b: null })],
		['null-prototype with __proto__ key', JSON.parse('{"__proto__": null}', function (this: unknown, _k, v: unknown) { return v; })],
		['object from a prototype with values', Object.create({ tel: '1', city: 'c', a: 'x' }) as object],
		['a class instance', new Customer()],
		['getter object', withGetter('tel', '1')],
		['getter giving blank', withGetter('city', '  ')],
		['hidden value only', hidden('tel', '1')],
		['hidden value beside a blank', hidden('tel', '1', { type: '' })],
		['symbol key only', { [Symbol('tel')]: '1' }],
		['toString key', { toString: 'x' }],
		['hasOwnProperty key', { hasOwnProperty: 'x', tel: '1' }],
		['valueOf key', { valueOf: 'x', city: 'c' }],
		['frozen object', Object.freeze({ tel: '1', city: 'c' })],
		['list with holes', holes],
		['list of holes only', new Array(3)],
		['list with an extra key', Object.assign(['a'], { extra: 'b' })],
		['empty list with an extra key', Object.assign([], { extra: 'b' })],
		['list with a hole before an object', [undefined, { tel: '1', id: 'x', value: 'v' }]],
		['list of BigInt', [BigInt(1)]],
		['list of -0', [-0]],
		['list of NaN', [Number.NaN]],
		['list of invisible spaces', ['\u200b', '\u00a0']],
		['list of getter objects', [withGetter('tel', '1')]],
		['list of null-prototype objects', [nullPrototype({ tel: '1', id: 'f', value: 'v', name: 'n', url: 'u' })]],
		['__proto__ in a list entry', [JSON.parse('{"__proto__": {"tel": "1"}, "tel": "2"}')]],
		['toString in a list entry', [{ toString: '1', tel: '2' }]],
		['constructor holding blank', JSON.parse('{"constructor": " "}')],
		['prototype key', { prototype: 'x' }],
		['date 2024-02-29', '2024-02-29'],
		['date 1900-02-29', '1900-02-29'],
		['date 2100-02-29', '2100-02-29'],
		['date 0000-01-01', '0000-01-01'],
		['date 0001-01-01', '0001-01-01'],
		['date 9999-12-31', '9999-12-31'],
		['date 2024-2-3', '2024-2-3'],
		['date 2024-02-3', '2024-02-3'],
		['date spaced', ' 2024-01-01 '],
		['date NBSP after', '2024-01-01\u00a0'],
		['date newline after', '2024-01-01\n'],
		['date Z', '2024-01-01T00:00:00Z'],
		['date offset', '2024-01-01T23:30:00-05:00'],
		['date T only', '2024-01-01T'],
		['date 5-digit year', '10000-01-01'],
		['date expanded year', '+002024-01-01'],
		['date leap second', '2024-12-31T23:59:60'],
		['date 24:00', '2024-12-31T24:00'],
		['date full-width digits', '２０２４-01-01'],
		['date slashes', '2024/02/29'],
		['date dots', '29.02.2024'],
		['date dots 1900', '29.02.1900'],
		['date day first ambiguous', '02/03/2024'],
		['date day first 1900', '29/02/1900'],
		['date month first 1900', '02/29/1900'],
		['Date year 0', new Date(Date.UTC(0, 0, 1) - 1900 * 0)],
		['Date 0001-01-01', new Date('0001-01-01T00:00:00Z')],
		['Date near max', new Date(8.64e15)],
		['Date at midnight UTC', new Date('2024-02-29T00:00:00Z')],
		['Date late UTC', new Date('2024-02-28T23:30:00Z')],
		['Luxon-like', { toISO: () => '2024-02-29T10:00:00.000+01:00', isValid: true }],
		['nested at the limit with blank', nested(MAX_NESTING - 1, ' ')],
		['nested beyond the limit, blank', nested(MAX_NESTING + 1, '')],
		['object nested at the limit', { a: nested(MAX_NESTING - 1) }],
		['object nested beyond the limit with blank', { a: nested(MAX_NESTING, null) }],
		['map with 17 keys', Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, index % 2 ? `v${index}` : ''])) as object],
		['map with integer keys', { 2: 'b', 1: 'a', x: 'c' }],
		['JSON text map with __proto__', '{"__proto__": "x", "a": "1"}'],
		['JSON text null', 'null'],
		['JSON text list', '["a"]'],
	];
}

/** Texts at a length limit: exactly at it, one over, and with a surrogate pair across the boundary. */
function atLimit(max: number): Array<[string, unknown]> {
	return [
		[`${max} a`, 'a'.repeat(max)],
		[`${max + 1} a`, 'a'.repeat(max + 1)],
		[`${max - 1} a + emoji`, `${'a'.repeat(max - 1)}😀`],
		[`${max} a + emoji`, `${'a'.repeat(max)}😀`],
		[`${max} emoji`, '😀'.repeat(max)],
		[`${max + 1} emoji`, '😀'.repeat(max + 1)],
		[`${max} a + spaces`, ` ${'a'.repeat(max)} `],
		[`${max} a + lone surrogate`, `${'a'.repeat(max - 1)}\ud800`],
		[`${max} a + NBSP`, `${'a'.repeat(max)}\u00a0`],
		[`${max} a + zero-width`, `${'a'.repeat(max)}\u200b`],
		[`list of ${max} a`, ['a'.repeat(max), 'b']],
		[`list of ${max + 1} emoji`, ['😀'.repeat(max + 1)]],
	];
}

describe('validateRecord reads unusual values as before issue 19', () => {
	for (const [name, schema, vendor] of SCHEMAS) {
		it(`${name}: every unusual value and every text at a length limit, at every field path`, () => {
			const base = benchCustomers(2, vendor, 'full')[1];
			const start = compared;
			for (const options of OPTIONS) {
				for (const [path, field] of fieldPaths(schema.fields, 0)) {
					const values = [...strangeValues()];
					for (const max of [field.maxLength, field.itemMaxLength]) if (max !== undefined) values.push(...atLimit(max));
					for (const [label, value] of values) expectSameAsBefore(withValue(base, path, value), schema, options, `${path.join('.')} = ${label}`);
				}
			}
			expect(compared).toBeGreaterThan(start);
		});

		it(`${name}: whole records of unusual shape`, () => {
			const [simple, full] = [benchCustomers(2, vendor, 'simple')[0], benchCustomers(2, vendor, 'full')[0]];
			const inputs: Array<[string, IDataObject]> = [
				['null prototype', nullPrototype(full) as IDataObject],
				['fields inherited from a prototype', Object.create(full) as IDataObject],
				['own keys over an inherited record', Object.assign(Object.create(full) as object, simple) as IDataObject],
				['getters for every field', Object.defineProperties({}, Object.fromEntries(Object.entries(full).map(([key, value]) => [key, { get: () => value, enumerable: true }]))) as IDataObject],
				['hidden fields', Object.defineProperties({}, Object.fromEntries(Object.entries(full).map(([key, value]) => [key, { value, enumerable: false }]))) as IDataObject],
				['a class instance', new Customer() as unknown as IDataObject],
				['toString, hasOwnProperty, valueOf keys', { ...full, toString: 'x', hasOwnProperty: 'y', valueOf: 'z' }],
				['__proto__, constructor, prototype at the top', { ...JSON.parse('{"__proto__": {"a": 1}, "constructor": "", "prototype": "p"}'), ...full } as IDataObject],
				['every field blank', Object.fromEntries(Object.keys(full).map((key) => [key, ' \u00a0']))],
				['every field invisible', Object.fromEntries(Object.keys(full).map((key) => [key, '\u200b']))],
				['every field a number', Object.fromEntries(Object.keys(full).map((key, index) => [key, index]))],
				['every field -0', Object.fromEntries(Object.keys(full).map((key) => [key, -0]))],
				['every schema field given as text', Object.fromEntries(schema.fields.map((field) => [field.name, `v ${field.name}`]))],
				['every schema field and 17 unknown keys', { ...full, ...Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`extra${index}`, index])) }],
				['16 unknown keys only', Object.fromEntries(Array.from({ length: 16 }, (_, index) => [`extra${index}`, 'x']))],
				['integer-like keys', { ...full, 0: 'a', 17: 'b', '+48600100200': 'c' }],
			];
			for (const [label, input] of inputs) for (const options of OPTIONS) expectSameAsBefore(input, schema, options, label);
		});
	}

	it('readDate and readDateTime read unusual dates as before, in every order', () => {
		for (const [label, value] of strangeValues()) {
			for (const order of ['ymd', 'dmy', 'mdy'] as const) {
				for (const zone of [undefined, 'Asia/Shanghai', 'Pacific/Kiritimati', 'Etc/GMT+12']) {
					expect({ label, now: outcome(() => readDate(value, order, zone)) }).toEqual({ label, now: outcome(() => readDateBefore(value, order, zone)) });
					expect({ label, now: outcome(() => readDateTime(value, order, zone)) }).toEqual({ label, now: outcome(() => readDateTimeBefore(value, order, zone)) });
				}
			}
		}
	});
});
