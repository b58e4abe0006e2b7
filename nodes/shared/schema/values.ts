/**
 * Values as spreadsheets, CSV files and CRM triggers hand them over, read the same way for every
 * node and field type (issue 10 §2).
 */

/** An empty cell: nothing, `null`, or text that is empty or only spaces. */
export function isEmptyValue(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Nothing in it at all: an empty cell, or a list or object (not a Date) that holds only empty
 * cells, e.g. an address whose columns are all empty. Such a value is "not given".
 */
export function isBlank(value: unknown): boolean {
	if (isEmptyValue(value)) return true;
	if (Array.isArray(value)) return value.every(isBlank);
	if (typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
		return Object.values(value).every(isBlank);
	}
	return false;
}

/** The forms a true/false field accepts, for messages. */
export const BOOLEAN_FORMS = 'true/false in any case, or 1/0';

/** `true`/`false` in any case, `1`/`0` as text or number, spaces around them ignored. */
export function readBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 1) return true;
	if (value === 0) return false;
	if (typeof value !== 'string') return undefined;
	const text = value.trim().toLowerCase();
	if (text === 'true' || text === '1') return true;
	if (text === 'false' || text === '0') return false;
	return undefined;
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A finite number, or a decimal number written as text (`"26"`, `" 26 "`, `"-1.5"`); no hex, no `Infinity`. */
export function readNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (!DECIMAL.test(text)) return undefined;
	const number = Number(text);
	return Number.isFinite(number) ? number : undefined;
}

/**
 * A number as the text a person would have typed: a phone number or id that a spreadsheet turned
 * into a number comes back as its digits (`48600100200`, also beyond 1e21), never as `4.86e10`
 * nor `48600100200.0`; a fraction as its plain decimal text (`1.5e-7` → `0.00000015`).
 */
export function numberAsText(value: number): string {
	if (Number.isInteger(value)) return BigInt(value).toString();
	const text = String(value);
	// Only fractions below 1e-6 are written with an exponent (every double of 1e21 or more is whole).
	const match = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(text);
	if (!match) return text;
	const [, sign, first, rest = '', exponent] = match;
	return `${sign}0.${'0'.repeat(Number(exponent) - 1)}${first}${rest}`;
}
