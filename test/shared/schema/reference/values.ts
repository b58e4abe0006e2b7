/**
 * REFERENCE, not used by the node: nodes/shared/schema/values.ts as it was before issue 19 made it
 * cheaper (commit e9d8fca). validateRecord.sameAsBefore.test.ts checks that the node's reading
 * gives the same records and problems as this one on edge values. Do not change it to match.
 */
/**
 * Values as spreadsheets, CSV files and CRM triggers hand them over, read the same way for every
 * node and field type (issue 10 §2).
 */

/** An empty cell: nothing, `null`, or text that is empty or only spaces. */
export function isEmptyValue(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * The deepest nesting of lists and objects read in one field value. The deepest vendor field
 * (Dustess `custom_fields[].files_value[].name`) is 4 levels down; anything far deeper is no
 * customer data, and walking it could exhaust the stack.
 */
export const MAX_NESTING = 32;

/** Keys that are JavaScript's prototype machinery: never read from input, never written to output. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isReservedKey(key: string): boolean {
	return RESERVED_KEYS.has(key);
}

/** Sets a key as the object's own property, whatever its name: no key can change a prototype. */
export function setOwn(target: object, key: string, value: unknown): void {
	// `__proto__` is the only accessor a plain object inherits: any other key is an own data property when assigned.
	if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
	else (target as Record<string, unknown>)[key] = value;
}

/**
 * A copy of an object's own keys but `leftOut`, key by key: for the few keys of most items several
 * times faster than a spread or rest pattern, which take V8's slow path for objects from JSON.parse.
 */
export function copyOwnKeys(source: Record<string, unknown>, leftOut: readonly string[] = []): Record<string, unknown> {
	const copy: Record<string, unknown> = {};
	for (const key of Object.keys(source)) if (!leftOut.includes(key)) setOwn(copy, key, source[key]);
	return copy;
}

/** A list, or an object that holds data as it is (not a Date, a class instance or a Luxon DateTime). */
function isContainer(value: unknown): value is unknown[] | Record<string, unknown> {
	if (Array.isArray(value)) return true;
	if (typeof value !== 'object' || value === null) return false;
	const prototype: unknown = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

function entriesOf(container: unknown[] | Record<string, unknown>): unknown[] {
	return Array.isArray(container) ? container : Object.values(container);
}

/** A list or object whose entries are all plain values: one level deep. */
function holdsNoContainer(container: unknown[] | Record<string, unknown>): boolean {
	for (const entry of entriesOf(container)) if (isContainer(entry)) return false;
	return true;
}

/**
 * Whether lists and objects in the value are nested more than `limit` levels (`[1]` is one
 * level, `{a: [1]}` two). Walks without recursion, so any depth, or a cycle, is safe to ask about.
 */
export function isNestedDeeperThan(value: unknown, limit = MAX_NESTING): boolean {
	if (!isContainer(value)) return false;
	// Most values are one level deep (an address, a list of text): no walk needed.
	if (limit >= 1 && holdsNoContainer(value)) return false;
	const pending: Array<[unknown, number]> = [[value, 0]];
	while (pending.length) {
		const [current, depth] = pending.pop()!;
		if (!isContainer(current)) continue;
		if (depth >= limit) return true;
		for (const entry of entriesOf(current)) pending.push([entry, depth + 1]);
	}
	return false;
}

/**
 * Nothing in it at all: an empty cell, or a list or object (not a Date) that holds only empty
 * cells, e.g. an address whose columns are all empty. Such a value is "not given". A value nested
 * more than MAX_NESTING levels is not blank (nor read further).
 */
export function isBlank(value: unknown): boolean {
	if (isEmptyValue(value)) return true;
	if (!isContainer(value)) return false;
	if (holdsNoContainer(value)) return entriesOf(value).every(isEmptyValue);
	const pending: Array<[unknown, number]> = [[value, 0]];
	while (pending.length) {
		const [current, depth] = pending.pop()!;
		if (isEmptyValue(current)) continue;
		if (!isContainer(current) || depth >= MAX_NESTING) return false;
		for (const entry of entriesOf(current)) pending.push([entry, depth + 1]);
	}
	return true;
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
