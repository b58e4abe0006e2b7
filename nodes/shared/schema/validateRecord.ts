import type { IDataObject } from 'n8n-workflow';

import type { FieldOption, FieldSchema, Problem, ReadAs, RecordSchema } from './fieldSchema';
import type { DateOrder, DateProblem } from './dates';
import { DATE_ORDER_OPTION, isDate, readDate, readDateTime } from './dates';
import { fieldName } from './fieldNames';
import { BOOLEAN_FORMS, MAX_NESTING, compact, hasOwnKeys, hasReservedKey, isBlank, isEmptyValue, isReservedKey, numberAsText, readBoolean, readNumber, setOwn, valueShape } from './values';

export interface ValidatedRecord {
	/** The record as it would be sent: normalised values, empty fields left out. */
	record: IDataObject;
	problems: Problem[];
}

/** A field's reading once its problem is reported: no value for the record. */
const FAILED: unique symbol = Symbol('failed');

export interface ValidateOptions {
	/** Refuse keys that are not fields of the schema (Auto-Map with "Reject Unknown Fields"). */
	strict?: boolean;
	/** How to read `05/06/1980` (the node option "Date Order"); default `ymd`: such dates are refused as ambiguous. */
	dateOrder?: DateOrder;
	/** The IANA time zone Date objects are read in (the workflow's, as n8n shows dates); UTC without one. */
	timeZone?: string;
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !isDate(value);
}

/** A key's value only when the object holds it itself: nothing is read through a prototype. */
function ownValue(input: IDataObject, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(input, key) ? input[key] : undefined;
}

/** A count with its noun: `1 row`, `3 rows`, `2 retries` (given `many`). */
export function plural(count: number, one: string, many = `${one}s`): string {
	return `${count} ${count === 1 ? one : many}`;
}

/** How a value looks, without its content: personal data stays out of error messages. */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing';
	if (Array.isArray(value)) return `a list of ${value.length}`;
	if (isDate(value)) return 'a date object';
	if (typeof value === 'string') return `text of ${plural([...value].length, 'character')}`;
	if (typeof value === 'number') {
		if (Number.isNaN(value)) return 'a number that is not a number (NaN)';
		if (!Number.isFinite(value)) return 'an infinite number';
		return 'a number';
	}
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

/**
 * A key that reads like a column name, not like a value: no space and no at sign (a name, an
 * e-mail address), fewer than five digits of any script (a phone number), at most 64 characters.
 */
function readsLikeName(key: string): boolean {
	if (key.length > 64 || /[\s@＠]/u.test(key)) return false;
	return (key.match(/\p{Nd}/gu)?.length ?? 0) < 5;
}

const DATE_FORMS = 'yyyy-MM-dd, an ISO date-time, dd.MM.yyyy or yyyy/MM/dd';

/**
 * What the validator derives from a schema, made once per field list or field and kept while the
 * schema lives (schemas are module constants): the names a field list knows, a field as read as
 * another type, an options field's names for messages and its spellings, a `readAs` rule's sibling
 * values in lower case.
 */
const knownNamesOf = new WeakMap<FieldSchema[], ReadonlySet<string>>();
const readAsOf = new WeakMap<FieldSchema, Map<FieldSchema['type'], FieldSchema>>();
const optionNamesOf = new WeakMap<FieldSchema, string>();
const optionBySpellingOf = new WeakMap<FieldSchema, ReadonlyMap<string, FieldOption>>();
const lowerCaseOneOfRule = new WeakMap<ReadAs, ReadonlySet<string>>();

const uniformListOf = new WeakMap<FieldSchema[], FieldSchema[]>();
const uniformFieldOf = new WeakMap<FieldSchema, FieldSchema>();

/**
 * The fields as the validator reads them: copies that all have every property of a FieldSchema, in
 * one order, so that V8 reads a property of any field at one place in one way (fields written as
 * literals each have their own layout, and reading a property of many layouts is slow), nested
 * fields too. Made once per field list and field.
 */
function uniformFields(fields: FieldSchema[]): FieldSchema[] {
	let uniform = uniformListOf.get(fields);
	if (!uniform) uniformListOf.set(fields, (uniform = fields.map(uniformField)));
	return uniform;
}

function uniformField(field: FieldSchema): FieldSchema {
	let uniform = uniformFieldOf.get(field);
	if (uniform) return uniform;
	// Every property named (a new one of FieldSchema is a type error here until it is added).
	const copy: { [Key in keyof Required<FieldSchema>]: FieldSchema[Key] } = {
		name: field.name,
		label: field.label,
		description: field.description,
		type: field.type,
		required: field.required,
		maxLength: field.maxLength,
		pattern: field.pattern,
		min: field.min,
		max: field.max,
		options: field.options,
		allowOtherValues: field.allowOtherValues,
		fields: field.fields && uniformFields(field.fields),
		maxItems: field.maxItems,
		multiple: field.multiple,
		itemMaxLength: field.itemMaxLength,
		sendAs: field.sendAs,
		keepEmptyValues: field.keepEmptyValues,
		nameOptions: field.nameOptions,
		placeholder: field.placeholder,
		readAs: field.readAs,
		entryGivenBy: field.entryGivenBy,
	};
	uniformFieldOf.set(field, copy);
	return copy;
}

function knownNames(fields: FieldSchema[]): ReadonlySet<string> {
	let known = knownNamesOf.get(fields);
	if (!known) knownNamesOf.set(fields, (known = new Set(fields.map((field) => field.name))));
	return known;
}

/** The field as read as another type (a `readAs` rule): its own type, pattern and length limit dropped. */
function readAsField(field: FieldSchema, type: FieldSchema['type']): FieldSchema {
	let byType = readAsOf.get(field);
	if (!byType) readAsOf.set(field, (byType = new Map()));
	let asRead = byType.get(type);
	if (!asRead) byType.set(type, (asRead = { ...field, type, pattern: undefined, maxLength: undefined }));
	return asRead;
}

function optionNames(field: FieldSchema): string {
	let names = optionNamesOf.get(field);
	if (names === undefined) optionNamesOf.set(field, (names = (field.options ?? []).map((option) => option.name).join(', ')));
	return names;
}

/**
 * The option a given value names, by every spelling of every option (value, name, aliases),
 * compared as text in any case; the first option in order wins, as the options are listed.
 */
function optionBySpelling(field: FieldSchema): ReadonlyMap<string, FieldOption> {
	let bySpelling = optionBySpellingOf.get(field);
	if (!bySpelling) {
		const map = new Map<string, FieldOption>();
		for (const option of field.options ?? []) {
			for (const spelling of [option.value, option.name, ...(option.aliases ?? [])]) {
				const text = String(typeof spelling === 'string' ? spelling.toLowerCase() : spelling);
				if (!map.has(text)) map.set(text, option);
			}
		}
		optionBySpellingOf.set(field, (bySpelling = map));
	}
	return bySpelling;
}
const ORDER_NAMES: Record<DateOrder, string> = { ymd: 'year first', dmy: 'day/month/year', mdy: 'month/day/year' };

/** Whether a `readAs` rule applies, given the fields read before it in the same object. */
function appliesTo(rule: ReadAs, siblings: IDataObject): boolean {
	if (!rule.when) return true;
	const sibling = siblings[rule.when.field];
	return typeof sibling === 'string' && lowerCaseOneOf(rule).has(sibling.toLowerCase());
}

/** A `readAs` rule's sibling values in lower case, made once per rule. */
function lowerCaseOneOf(rule: ReadAs): ReadonlySet<string> {
	let values = lowerCaseOneOfRule.get(rule);
	if (!values) lowerCaseOneOfRule.set(rule, (values = new Set(rule.when?.oneOf.map((value) => value.toLowerCase()))));
	return values;
}

/** The path of the sibling that made a field be read as its type (a `readAs` rule with `when`), if one did. */
function readAsSibling(field: FieldSchema, path: string): string | undefined {
	const rule = field.readAs?.find((candidate) => candidate.type === field.type && candidate.when);
	return rule?.when ? path.replace(/[^.[\]]+$/, rule.when.field) : undefined;
}

/**
 * A map that names entries with empty values on purpose, for a field that sends them
 * (`keepEmptyValues`: Thulium clears such a custom field): given, although all its values are empty.
 */
function namesEmptyEntries(value: unknown, field: FieldSchema): boolean {
	return field.type === 'keyValue' && field.keepEmptyValues === true && isPlainObject(value) && Object.keys(value).length > 0;
}

/** An entry of a list of objects that says something: not blank, and with a value where `entryGivenBy` names the fields that carry it. */
function isGivenEntry(entry: unknown, field: FieldSchema): boolean {
	if (!field.entryGivenBy || !isPlainObject(entry)) return !isBlank(entry);
	let carriesValue = false;
	for (const name of field.entryGivenBy) {
		if (isBlank(ownValue(entry, name))) continue;
		// An entry one of whose own listed values is not blank is not blank either: no need to walk it.
		if (Object.prototype.propertyIsEnumerable.call(entry, name)) return true;
		carriesValue = true;
	}
	// Such a key is reported, never dropped with its entry.
	return !isBlank(entry) && (carriesValue || hasReservedKey(entry));
}

/** The path of a key in an object (`address.city`) or of a position in a list (`mobiles[1]`): built only where it is needed. */
function pathOf(parent: string, key: string | number): string {
	if (typeof key === 'number') return `${parent}[${key}]`;
	return parent ? `${parent}.${key}` : key;
}

/**
 * Reads a record against its schema. A field's reading is its value for the record, `undefined`
 * for "not given", or FAILED once its problem is reported; a field's path (`parent`, `key`) is
 * joined only for a message, most records have none.
 */
class RecordValidator {
	readonly problems: Problem[] = [];

	constructor(
		private readonly options: ValidateOptions,
		private readonly rootFields: FieldSchema[],
	) {}

	/** The field at `path` as a message names it: panel label and API name. */
	private named(path: string): string {
		return fieldName(this.rootFields, path);
	}

	private fail(field: string, rule: Problem['rule'], message: string): typeof FAILED {
		this.problems.push({ field, rule, message });
		return FAILED;
	}

	object(input: IDataObject, fields: FieldSchema[], path: string): IDataObject {
		const output: IDataObject = {};
		// Such a key could change the prototype of an object built from it, or vanish unseen.
		if (hasReservedKey(input)) {
			for (const key of Object.keys(input)) if (isReservedKey(key)) this.reservedName(pathOf(path, key));
		}
		let size = 0;
		for (let index = 0; index < fields.length; index++) {
			const field = fields[index];
			const given = ownValue(input, field.name);
			// Not in the input, most fields of most records: "not given", whatever it is read as.
			if (given === undefined) {
				if (field.required) this.required(pathOf(path, field.name));
				continue;
			}
			const value = this.field(given, field.readAs ? this.asRead(field, output) : field, path, field.name);
			if (value === FAILED || value === undefined) continue;
			setOwn(output, field.name, value);
			size++;
		}
		if (this.options.strict) {
			const known = knownNames(fields);
			for (const key of Object.keys(input)) {
				if (known.has(key) || isReservedKey(key)) continue;
				if (readsLikeName(key)) {
					this.fail(pathOf(path, key), 'unknownField', `${this.named(pathOf(path, key))} is not a field of this API`);
				} else {
					// A row keyed by a phone number, an e-mail address or a name: the key is customer data.
					const shape = `an input key that may be customer data (${describeValue(key)})`;
					const where = pathOf(path, `(${describeValue(key)})`);
					this.fail(where, 'unknownField', `${path ? `Inside ${this.named(path)}, ${shape}` : shape.charAt(0).toUpperCase() + shape.slice(1)} is not a field of this API`);
				}
			}
		}
		return compact(output, size);
	}

	/** The field as it is read here: as another type where `readAs` says so, given its earlier siblings. */
	private asRead(field: FieldSchema, siblings: IDataObject): FieldSchema {
		for (const rule of field.readAs ?? []) if (appliesTo(rule, siblings)) return readAsField(field, rule.type);
		return field;
	}

	/** Why a field is of the type it is read as, where a sibling decided it: ` ('Field Type' (type) is a date type)`. */
	private readAsReason(field: FieldSchema, path: string, kind: string): string {
		const sibling = readAsSibling(field, path);
		return sibling === undefined ? '' : ` (${this.named(sibling)} is ${kind})`;
	}

	private reservedName(path: string): typeof FAILED {
		return this.fail(path, 'reservedName', `${this.named(path)} uses a name JavaScript reserves (__proto__, constructor, prototype): rename that key`);
	}

	private required(path: string): typeof FAILED {
		return this.fail(path, 'required', `${this.named(path)} is required`);
	}

	private field(value: unknown, field: FieldSchema, parent: string, key: string | number): unknown {
		// Text for a text field, most values: the reading below, where text has no nesting to check.
		if (typeof value === 'string' && field.type === 'string') {
			const text = value.trim();
			if (text === '') return field.required ? this.required(pathOf(parent, key)) : undefined;
			return this.text(text, field, parent, key);
		}
		const shape = valueShape(value);
		// Checked before anything walks the value: deeper nesting is no customer data.
		if (shape === 'tooDeep') {
			const path = pathOf(parent, key);
			return this.fail(path, 'maxDepth', `${this.named(path)} holds lists or objects nested more than ${MAX_NESTING} levels deep`);
		}
		// An empty cell means "not given", whatever the field's type.
		if (shape === 'blank' && !namesEmptyEntries(value, field)) {
			return field.required ? this.required(pathOf(parent, key)) : undefined;
		}
		const normalised = this.byType(value, field, parent, key);
		if (normalised === undefined && field.required) return this.required(pathOf(parent, key));
		return normalised;
	}

	private byType(value: unknown, field: FieldSchema, parent: string, key: string | number): unknown {
		switch (field.type) {
			case 'string':
				return field.multiple && Array.isArray(value) ? this.multipleStrings(value, field, pathOf(parent, key)) : this.string(value, field, parent, key);
			case 'number':
			case 'integer':
				return this.number(value, field, pathOf(parent, key));
			case 'boolean':
				return this.boolean(value, pathOf(parent, key));
			case 'date':
				return this.date(value, field, parent, key);
			case 'dateTime':
				return this.dateTime(value, field, parent, key);
			case 'options':
				return this.option(value, field, parent, key);
			case 'object':
				return this.nestedObject(value, field, pathOf(parent, key));
			case 'objectList':
				return this.objectList(value, field, pathOf(parent, key));
			case 'stringList':
				return this.stringList(value, field, pathOf(parent, key));
			case 'keyValue':
				return this.keyValue(value, field, pathOf(parent, key));
		}
	}

	private string(value: unknown, field: FieldSchema, parent: string, key: string | number): unknown {
		// Spreadsheets hand phone numbers and ids over as numbers; their digits are what was meant.
		if (typeof value === 'number' && Number.isFinite(value)) value = numberAsText(value);
		if (typeof value !== 'string') {
			const path = pathOf(parent, key);
			return this.fail(path, 'type', `${this.named(path)} must be text, got ${describeValue(value)}`);
		}
		const text = value.trim();
		if (text === '') return undefined;
		return this.text(text, field, parent, key);
	}

	/** Trimmed text that is not empty, against the field's length limit and pattern. */
	private text(text: string, field: FieldSchema, parent: string, key: string | number): unknown {
		// Counted in characters, not UTF-16 units: a text no longer in units than allowed is short enough.
		if (field.maxLength !== undefined && text.length > field.maxLength) {
			const length = [...text].length;
			if (length > field.maxLength) {
				const path = pathOf(parent, key);
				return this.fail(path, 'maxLength', `${this.named(path)} must be at most ${plural(field.maxLength, 'character')}, got ${length}`);
			}
		}
		if (field.pattern && !field.pattern.regex.test(text)) {
			const path = pathOf(parent, key);
			return this.fail(path, 'format', `${this.named(path)} must be ${field.pattern.expectation}, got ${describeValue(text)}`);
		}
		return text;
	}

	/** A `multiple` text field given a list: each entry checked; one value goes as text, several as a list. */
	private multipleStrings(list: unknown[], field: FieldSchema, path: string): unknown {
		const before = this.problems.length;
		const entries: string[] = [];
		for (let index = 0; index < list.length; index++) {
			const entry = list[index];
			if (isEmptyValue(entry)) continue;
			const result = this.string(entry, field, path, index);
			if (typeof result === 'string') entries.push(result);
		}
		if (this.problems.length > before) return FAILED;
		if (field.maxItems !== undefined && entries.length > field.maxItems) {
			return this.fail(path, 'maxItems', `${this.named(path)} may hold at most ${field.maxItems} entries, got ${entries.length}`);
		}
		if (entries.length === 0) return undefined;
		return entries.length === 1 ? entries[0] : entries;
	}

	private number(value: unknown, field: FieldSchema, path: string): unknown {
		const number = readNumber(value);
		if (number === undefined) {
			const why = this.readAsReason(field, path, 'a number type');
			const expected = field.type === 'integer' ? 'a whole number' : 'a number';
			return this.fail(path, 'type', `${this.named(path)} must be ${expected}${why}, got ${describeValue(value)}`);
		}
		if (field.type === 'integer' && !Number.isInteger(number)) {
			return this.fail(path, 'type', `${this.named(path)} must be a whole number, got a number with a fraction`);
		}
		if (field.min !== undefined && number < field.min) {
			return this.fail(path, 'min', `${this.named(path)} must be at least ${field.min}, got a number below it`);
		}
		if (field.max !== undefined && number > field.max) {
			return this.fail(path, 'max', `${this.named(path)} must be at most ${field.max}, got a number above it`);
		}
		return number;
	}

	private boolean(value: unknown, path: string): unknown {
		const flag = readBoolean(value);
		if (flag === undefined) {
			return this.fail(path, 'type', `${this.named(path)} must be true or false (${BOOLEAN_FORMS}), got ${describeValue(value)}`);
		}
		return flag;
	}

	private date(value: unknown, field: FieldSchema, parent: string, key: string | number): unknown {
		const reading = readDate(value, this.options.dateOrder ?? 'ymd', this.options.timeZone);
		if (reading.ok) return reading.date;
		const path = pathOf(parent, key);
		return this.dateProblem(reading.reason, value, `a date${this.readAsReason(field, path, 'a date type')}`, path);
	}

	private dateTime(value: unknown, field: FieldSchema, parent: string, key: string | number): unknown {
		const reading = readDateTime(value, this.options.dateOrder ?? 'ymd', this.options.timeZone);
		if (reading.ok) return reading.dateTime;
		const path = pathOf(parent, key);
		return this.dateProblem(reading.reason, value, `a date and time${this.readAsReason(field, path, 'a date-and-time type')}`, path);
	}

	private dateProblem(reason: DateProblem, value: unknown, expected: string, path: string): typeof FAILED {
		const order = this.options.dateOrder ?? 'ymd';
		const shape = describeValue(value);
		if (reason === 'ambiguous') {
			return this.fail(
				path,
				'format',
				`${this.named(path)} is a date with the year last, whose day and month could be either way round (dd/MM/yyyy or MM/dd/yyyy), got ${shape}: set ${DATE_ORDER_OPTION} to the order your data uses, or give yyyy-MM-dd`,
			);
		}
		if (reason === 'notARealDate') {
			return this.fail(path, 'format', `${this.named(path)} is not a real calendar date (read ${ORDER_NAMES[order]}), got ${shape}`);
		}
		const dayMonth = order === 'ymd' ? `; for dd/MM/yyyy or MM/dd/yyyy set ${DATE_ORDER_OPTION}` : `, or ${order === 'dmy' ? 'dd/MM/yyyy' : 'MM/dd/yyyy'}`;
		return this.fail(path, 'format', `${this.named(path)} must be ${expected} (${DATE_FORMS}${dayMonth}), got ${shape}`);
	}

	private option(value: unknown, field: FieldSchema, parent: string, key: string | number): unknown {
		// Only text, numbers and booleans are compared as text: String() of an object may throw (a null-prototype object).
		if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
			const path = pathOf(parent, key);
			return this.fail(path, 'enum', `${this.named(path)} must be one of ${optionNames(field)}, got ${describeValue(value)}`);
		}
		const wanted = typeof value === 'string' ? value.trim().toLowerCase() : value;
		const option = optionBySpelling(field).get(String(wanted));
		if (option) return option.value;
		if (field.allowOtherValues && (typeof value === 'string' || typeof value === 'number')) {
			return this.string(value, field, parent, key);
		}
		const path = pathOf(parent, key);
		return this.fail(path, 'enum', `${this.named(path)} must be one of ${optionNames(field)}, got ${describeValue(value)}`);
	}

	private nestedObject(value: unknown, field: FieldSchema, path: string): unknown {
		if (!isPlainObject(value)) {
			return this.fail(path, 'type', `${this.named(path)} must be an object, got ${describeValue(value)}`);
		}
		const before = this.problems.length;
		const output = this.object(value, field.fields ?? [], path);
		if (this.problems.length > before) return FAILED;
		return hasOwnKeys(output) ? output : undefined;
	}

	private objectList(value: unknown, field: FieldSchema, path: string): unknown {
		const list = isPlainObject(value) ? [value] : value;
		if (!Array.isArray(list)) {
			return this.fail(path, 'type', `${this.named(path)} must be a list of objects, got ${describeValue(value)}`);
		}
		if (field.maxItems !== undefined) {
			let given = 0;
			for (const entry of list) if (isGivenEntry(entry, field)) given++;
			if (given > field.maxItems) {
				return this.fail(path, 'maxItems', `${this.named(path)} may hold at most ${field.maxItems} entries, got ${given}`);
			}
		}
		const before = this.problems.length;
		const output: IDataObject[] = [];
		for (let index = 0; index < list.length; index++) {
			const entry: unknown = list[index];
			if (!isGivenEntry(entry, field)) continue;
			const entryPath = pathOf(path, index);
			if (!isPlainObject(entry)) {
				this.fail(entryPath, 'type', `${this.named(entryPath)} must be an object, got ${describeValue(entry)}`);
				continue;
			}
			const normalised = this.object(entry, field.fields ?? [], entryPath);
			if (hasOwnKeys(normalised)) output.push(normalised);
		}
		if (this.problems.length > before) return FAILED;
		return output.length ? output : undefined;
	}

	private stringList(value: unknown, field: FieldSchema, path: string): unknown {
		let list: unknown[];
		// A text is a comma-separated list ("a, b"); a list entry is one entry as it is.
		if (Array.isArray(value)) list = value;
		else if (typeof value === 'string') list = value.split(',');
		else if (typeof value === 'number' && Number.isFinite(value)) list = [value];
		else return this.fail(path, 'type', `${this.named(path)} must be a list of text, got ${describeValue(value)}`);

		const entries: string[] = [];
		for (let index = 0; index < list.length; index++) {
			const entry = list[index];
			const text = typeof entry === 'number' && Number.isFinite(entry) ? numberAsText(entry) : entry;
			if (isEmptyValue(text)) continue;
			if (typeof text !== 'string') {
				const entryPath = pathOf(path, index);
				return this.fail(entryPath, 'type', `${this.named(entryPath)} must be text, got ${describeValue(entry)}`);
			}
			const trimmed = text.trim();
			if (field.itemMaxLength !== undefined && [...trimmed].length > field.itemMaxLength) {
				const entryPath = pathOf(path, index);
				return this.fail(entryPath, 'maxLength', `${this.named(entryPath)} must be at most ${plural(field.itemMaxLength, 'character')}, got ${[...trimmed].length}`);
			}
			if (field.sendAs === 'csv' && trimmed.includes(',')) {
				const entryPath = pathOf(path, index);
				return this.fail(
					entryPath,
					'format',
					`${this.named(entryPath)} contains a comma: ${this.named(path)} is sent comma-separated, so the entry would arrive as two. Remove the comma from it`,
				);
			}
			entries.push(trimmed);
		}
		if (field.maxItems !== undefined && entries.length > field.maxItems) {
			return this.fail(path, 'maxItems', `${this.named(path)} may hold at most ${field.maxItems} entries, got ${entries.length}`);
		}
		if (!entries.length) return undefined;
		if (field.sendAs !== 'csv') return entries;
		const joined = entries.join(',');
		if (field.maxLength !== undefined && [...joined].length > field.maxLength) {
			return this.fail(path, 'maxLength', `${this.named(path)} must be at most ${plural(field.maxLength, 'character')} when joined, got ${[...joined].length}`);
		}
		return joined;
	}

	private keyValue(value: unknown, field: FieldSchema, path: string): unknown {
		let map = value;
		if (typeof value === 'string') {
			try {
				map = JSON.parse(value);
			} catch {
				return this.fail(path, 'format', `${this.named(path)} must be an object or a JSON object text, got text that is not JSON`);
			}
		}
		if (!isPlainObject(map)) {
			return this.fail(path, 'type', `${this.named(path)} must be an object of name/value pairs, got ${describeValue(map)}`);
		}
		const output: IDataObject = {};
		let size = 0;
		for (const key of Object.keys(map)) {
			const entry = map[key];
			if (key.trim() === '') {
				return this.fail(path, 'format', `${this.named(path)} has an entry with an empty name`);
			}
			if (isReservedKey(key)) return this.reservedName(`${path}.${key}`);
			if (isEmptyValue(entry)) {
				// An entry the map names on purpose: with keepEmptyValues it goes as "" (Thulium clears the field).
				if (field.keepEmptyValues) {
					setOwn(output, key, '');
					size++;
				}
				continue;
			}
			const scalar = typeof entry === 'string' || typeof entry === 'boolean' || (typeof entry === 'number' && Number.isFinite(entry));
			if (!scalar) {
				const entryPath = `${path}.${key}`;
				return this.fail(entryPath, 'type', `${this.named(entryPath)} must be text, a number or true/false, got ${describeValue(entry)}`);
			}
			setOwn(output, key, typeof entry === 'string' ? entry.trim() : entry);
			size++;
		}
		if (size === 0) return undefined;
		if (field.sendAs !== 'jsonString') return output;
		const text = JSON.stringify(output);
		if (field.maxLength !== undefined && [...text].length > field.maxLength) {
			return this.fail(path, 'maxLength', `${this.named(path)} must be at most ${plural(field.maxLength, 'character')} as JSON, got ${[...text].length}`);
		}
		return text;
	}
}

function hasProblem(problems: Problem[], name: string): boolean {
	return problems.some((problem) => problem.field === name || problem.field.startsWith(`${name}.`) || problem.field.startsWith(`${name}[`));
}

/** A field of a requireOneOf rule that was given but holds nothing once trimmed, e.g. only spaces. */
function givenButEmpty(input: IDataObject, name: string): boolean {
	const value = ownValue(input, name);
	return value !== undefined && isBlank(value);
}

/**
 * Checks one record against the schema and returns it in the form the vendor expects
 * (trimmed text, formatted dates, option values, joined lists), with every problem named.
 */
export function validateRecord(input: IDataObject, schema: RecordSchema, options: ValidateOptions = {}): ValidatedRecord {
	const validator = new RecordValidator(options, schema.fields);
	const record = validator.object(input, uniformFields(schema.fields), '');
	for (const rule of schema.rules ?? []) {
		// Judged on the record as it would be sent: a value of spaces only is no value. A field
		// that failed its own check is reported already.
		if (rule.type !== 'requireOneOf') continue;
		if (rule.fields.some((name) => record[name] !== undefined || hasProblem(validator.problems, name))) continue;
		const empty = rule.fields.filter((name) => givenButEmpty(input, name)).map((name) => fieldName(schema.fields, name));
		const note = empty.length === 0 ? '' : ` (${empty.join(' and ')} ${empty.length === 1 ? 'is' : 'are'} empty or only spaces)`;
		validator.problems.push({ field: rule.fields[0], rule: 'requireOneOf', message: `${rule.message}${note}`, oneOf: [...rule.fields] });
	}
	return { record, problems: validator.problems };
}
