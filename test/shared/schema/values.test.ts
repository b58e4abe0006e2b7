import { isEmptyValue, numberAsText, readBoolean, readNumber } from '../../../nodes/shared/schema/values';

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
