import { MAX_NESTING, compact, copyOwnKeys, hasOwnKeys, hasReservedKey, isBlank, isEmptyValue, isNestedDeeperThan, numberAsText, readBoolean, readNumber, setOwn } from '../../../nodes/shared/schema/values';

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

describe('compact and copyOwnKeys (issue 19: objects of many keys)', () => {
	/** An object of `count` keys built key by key, `__proto__` among them as an own key. */
	function built(count: number): Record<string, unknown> {
		const object: Record<string, unknown> = {};
		for (let index = 0; index < count; index++) setOwn(object, index === 3 ? '__proto__' : `key_${index}`, index % 2 ? { nested: index } : `value ${index}`);
		return object;
	}

	it('gives the same own keys in the same order, the same values and the plain prototype, at any number of keys', () => {
		for (const count of [0, 1, 16, 17, 40]) {
			const object = built(count);
			const compacted = compact(object, count);
			expect(Object.keys(compacted)).toEqual(Object.keys(object));
			for (const key of Object.keys(object)) expect(Object.getOwnPropertyDescriptor(compacted, key)).toEqual(Object.getOwnPropertyDescriptor(object, key));
			expect(Object.getPrototypeOf(compacted)).toBe(Object.prototype);
			expect(JSON.stringify(compacted)).toBe(JSON.stringify(object));
		}
	});

	it('copies every own key but those left out, __proto__ as an own key, also beyond 16 keys', () => {
		const source = built(30);
		const copy = copyOwnKeys(source, ['key_5', 'error']);
		expect(Object.keys(copy)).toEqual(Object.keys(source).filter((key) => key !== 'key_5'));
		expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
		expect(Object.prototype.hasOwnProperty.call(copy, '__proto__')).toBe(true);
		expect(copy.key_7).toBe(source.key_7);
	});

	it('hasOwnKeys and hasReservedKey read own enumerable keys only', () => {
		expect(hasOwnKeys({})).toBe(false);
		expect(hasOwnKeys(Object.create({ inherited: 1 }))).toBe(false);
		expect(hasOwnKeys({ a: undefined })).toBe(true);
		expect(hasReservedKey({ a: 1 })).toBe(false);
		expect(hasReservedKey(JSON.parse('{"__proto__": 1}'))).toBe(true);
		expect(hasReservedKey({ constructor: 1 })).toBe(true);
		expect(hasReservedKey(Object.defineProperty({}, 'prototype', { value: 1, enumerable: false }))).toBe(false);
	});
});
