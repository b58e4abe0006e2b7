import { MAX_NESTING, isBlank, isEmptyValue, isNestedDeeperThan, numberAsText, readBoolean, readNumber } from '../../../nodes/shared/schema/values';

/** A list nested `levels` deep around `inner`: `[[[inner]]]` for 3. */
function nested(levels: number, inner: unknown = 'x'): unknown {
	let value = inner;
	for (let level = 0; level < levels; level++) value = level % 2 ? { a: value } : [value];
	return value;
}

describe('isEmptyValue', () => {
	it.each([undefined, null, '', ' ', '\t \n'])('takes %p as an empty cell', (value) => {
		expect(isEmptyValue(value)).toBe(true);
	});

	it.each([0, false, 'x', ' x ', [], {}])('takes %p as a value', (value) => {
		expect(isEmptyValue(value)).toBe(false);
	});
});

describe('readBoolean', () => {
	it.each([
		[true, true],
		[false, false],
		['true', true],
		['TRUE', true],
		[' True ', true],
		['false', false],
		['FALSE', false],
		['fAlSe', false],
		['1', true],
		[' 0 ', false],
		[1, true],
		[0, false],
	])('reads %p as %p', (value, expected) => {
		expect(readBoolean(value)).toBe(expected);
	});

	it.each(['yes', 'no', 'on', '2', 2, -1, 'truee', [], {}, null])('refuses %p', (value) => {
		expect(readBoolean(value)).toBeUndefined();
	});
});

describe('readNumber', () => {
	it.each([
		[26, 26],
		['26', 26],
		[' 26 ', 26],
		['-1.5', -1.5],
		['+3', 3],
		['.5', 0.5],
		['1e3', 1000],
		['26.0', 26],
	])('reads %p as %p', (value, expected) => {
		expect(readNumber(value)).toBe(expected);
	});

	it.each(['0x1A', 'Infinity', 'NaN', '1,5', '26 years', '', ' ', Number.NaN, Number.POSITIVE_INFINITY, true, null, []])('refuses %p', (value) => {
		expect(readNumber(value)).toBeUndefined();
	});
});

describe('numberAsText', () => {
	it.each([
		[48600100200, '48600100200'],
		[48600100200.0, '48600100200'],
		[8613800138000, '8613800138000'],
		[1e21, '1000000000000000000000'],
		[2 ** 80, '1208925819614629174706176'],
		[-48600100200, '-48600100200'],
		[-0, '0'],
		[3.5, '3.5'],
		[0.1, '0.1'],
		[1.5e-7, '0.00000015'],
		[-2e-10, '-0.0000000002'],
		[1.23456e-7, '0.000000123456'],
	])('writes %p as %p', (value, expected) => {
		expect(numberAsText(value)).toBe(expected);
	});

	it('never writes an exponent or a trailing .0', () => {
		for (const value of [1e15, 1e20, 1e21, 1e25, 4.86001002e10, 1e-7, 5e-324, 2 ** 53 + 2]) {
			expect(numberAsText(value)).toMatch(/^-?\d+(\.\d*[1-9])?$/);
		}
	});
});

describe('isNestedDeeperThan', () => {
	it('counts lists and plain objects, and answers for any depth without recursion', () => {
		expect(isNestedDeeperThan('x')).toBe(false);
		expect(isNestedDeeperThan(nested(MAX_NESTING))).toBe(false);
		expect(isNestedDeeperThan(nested(MAX_NESTING + 1))).toBe(true);
		expect(isNestedDeeperThan([1, [2, [3]]], 2)).toBe(true);
		expect(isNestedDeeperThan([1, [2, [3]]], 3)).toBe(false);
		expect(isNestedDeeperThan(nested(100_000))).toBe(true);
		expect(isNestedDeeperThan([new Date(), { at: new Date() }], 2)).toBe(false);
	});

	it('takes a cycle as too deep', () => {
		const cycle: { self?: unknown } = {};
		cycle.self = [cycle];
		expect(isNestedDeeperThan(cycle)).toBe(true);
	});
});

describe('isBlank', () => {
	it('takes lists and objects of empty cells as blank, anything else as given', () => {
		expect(isBlank([' ', null, { a: '', b: [undefined] }])).toBe(true);
		expect(isBlank([' ', { a: [0] }])).toBe(false);
		expect(isBlank(new Date('nope'))).toBe(false);
		expect(isBlank(nested(MAX_NESTING, ''))).toBe(true);
	});

	it('does not walk past MAX_NESTING levels: a deeper value is not blank, at any depth', () => {
		expect(isBlank(nested(MAX_NESTING + 1, ''))).toBe(false);
		expect(isBlank(nested(100_000, ''))).toBe(false);
	});
});
