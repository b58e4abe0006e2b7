/**
 * REFERENCE, not used by the node: nodes/shared/schema/validateRecord as it was before issue 19 made it
 * cheaper (commit e9d8fca). validateRecord.sameAsBefore.test.ts checks that the node's reading
 * gives the same records and problems as this one on edge values. Do not change it to match.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FieldOption, FieldSchema, Problem, ReadAs, RecordSchema } from '../../../../nodes/shared/schema/fieldSchema';
import type { DateOrder, DateProblem } from './dates';
import { DATE_ORDER_OPTION, isDate, readDate, readDateTime } from './dates';
import { fieldName } from '../../../../nodes/shared/schema/fieldNames';
import { BOOLEAN_FORMS, MAX_NESTING, isBlank, isEmptyValue, isNestedDeeperThan, isReservedKey, numberAsText, readBoolean, readNumber, setOwn } from './values';

export interface ValidatedRecord {
	/** The record as it would be sent: normalised values, empty fields left out. */
	record: IDataObject;
	problems: Problem[];
}

type Normalised = { ok: true; value: unknown } | { ok: false };

const ABSENT: Normalised = { ok: true, value: undefined };

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
 * another type, an options field's names for messages and its spellings.
 */
const knownNamesOf = new WeakMap<FieldSchema[], ReadonlySet<string>>();
const readAsOf = new WeakMap<FieldSchema, Map<FieldSchema['type'], FieldSchema>>();
const optionNamesOf = new WeakMap<FieldSchema, string>();
const optionBySpellingOf = new WeakMap<FieldSchema, ReadonlyMap<string, FieldOption>>();

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
	const given = typeof sibling === 'string' ? sibling.toLowerCase() : undefined;
	return rule.when.oneOf.some((value) => value.toLowerCase() === given);
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
	if (isBlank(entry)) return false;
	if (!field.entryGivenBy || !isPlainObject(entry)) return true;
	// Such a key is reported, never dropped with its entry.
	if (Object.keys(entry).some(isReservedKey)) return true;
	return field.entryGivenBy.some((name) => !isBlank(ownValue(entry, name)));
}

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

	private fail(field: string, rule: Problem['rule'], message: string): Normalised {
		this.problems.push({ field, rule, message });
		return { ok: false };
	}

	object(input: IDataObject, fields: FieldSchema[], path: string): IDataObject {
		const output: IDataObject = {};
		const known = knownNames(fields);
		const pathOf = (key: string) => (path ? `${path}.${key}` : key);
		for (const key of Object.keys(input)) {
			// Such a key could change the prototype of an object built from it, or vanish unseen.
			if (isReservedKey(key)) this.reservedName(pathOf(key));
		}
		for (const field of fields) {
			const result = this.field(ownValue(input, field.name), this.asRead(field, output), pathOf(field.name));
			if (result.ok && result.value !== undefined) setOwn(output, field.name, result.value);
		}
		if (this.options.strict) {
			for (const key of Object.keys(input)) {
				if (known.has(key) || isReservedKey(key)) continue;
				if (readsLikeName(key)) {
					this.fail(pathOf(key), 'unknownField', `${this.named(pathOf(key))} is not a field of this API`);
				} else {
					// A row keyed by a phone number, an e-mail address or a name: the key is customer data.
					const shape = `an input key that may be customer data (${describeValue(key)})`;
					this.fail(pathOf(`(${describeValue(key)})`), 'unknownField', `${path ? `Inside ${this.named(path)}, ${shape}` : shape.charAt(0).toUpperCase() + shape.slice(1)} is not a field of this API`);
				}
			}
		}
		return output;
	}

	/** The field as it is read here: as another type where `readAs` says so, given its earlier siblings. */
	private asRead(field: FieldSchema, siblings: IDataObject): FieldSchema {
		const rule = field.readAs?.find((candidate) => appliesTo(candidate, siblings));
		if (!rule) return field;
		return readAsField(field, rule.type);
	}

	/** Why a field is of the type it is read as, where a sibling decided it: ` ('Field Type' (type) is a date type)`. */
	private readAsReason(field: FieldSchema, path: string, kind: string): string {
		const sibling = readAsSibling(field, path);
		return sibling === undefined ? '' : ` (${this.named(sibling)} is ${kind})`;
	}

	private reservedName(path: string): Normalised {
		return this.fail(path, 'reservedName', `${this.named(path)} uses a name JavaScript reserves (__proto__, constructor, prototype): rename that key`);
	}

	field(value: unknown, field: FieldSchema, path: string): Normalised {
		// Checked before anything walks the value: deeper nesting is no customer data.
		if (isNestedDeeperThan(value)) {
			return this.fail(path, 'maxDepth', `${this.named(path)} holds lists or objects nested more than ${MAX_NESTING} levels deep`);
		}
		// An empty cell means "not given", whatever the field's type.
		if (isBlank(value) && !namesEmptyEntries(value, field)) {
			return field.required ? this.fail(path, 'required', `${this.named(path)} is required`) : ABSENT;
		}
		const normalised = this.byType(value, field, path);
		if (normalised.ok && normalised.value === undefined && field.required) {
			return this.fail(path, 'required', `${this.named(path)} is required`);
		}
		return normalised;
	}

	private byType(value: unknown, field: FieldSchema, path: string): Normalised {
		switch (field.type) {
			case 'string':
				return field.multiple && Array.isArray(value) ? this.multipleStrings(value, field, path) : this.string(value, field, path);
			case 'number':
			case 'integer':
				return this.number(value, field, path);
			case 'boolean':
				return this.boolean(value, path);
			case 'date':
				return this.date(value, field, path);
			case 'dateTime':
				return this.dateTime(value, field, path);
			case 'options':
				return this.option(value, field, path);
			case 'object':
				return this.nestedObject(value, field, path);
			case 'objectList':
				return this.objectList(value, field, path);
			case 'stringList':
				return this.stringList(value, field, path);
			case 'keyValue':
				return this.keyValue(value, field, path);
		}
	}

	private string(value: unknown, field: FieldSchema, path: string): Normalised {
		// Spreadsheets hand phone numbers and ids over as numbers; their digits are what was meant.
		if (typeof value === 'number' && Number.isFinite(value)) value = numberAsText(value);
		if (typeof value !== 'string') {
			return this.fail(path, 'type', `${this.named(path)} must be text, got ${describeValue(value)}`);
		}
		const text = value.trim();
		if (text === '') return ABSENT;
		// Counted in characters, not UTF-16 units: a text no longer in units than allowed is short enough.
		const length = field.maxLength !== undefined && text.length > field.maxLength ? [...text].length : text.length;
		if (field.maxLength !== undefined && length > field.maxLength) {
			return this.fail(path, 'maxLength', `${this.named(path)} must be at most ${plural(field.maxLength, 'character')}, got ${length}`);
		}
		if (field.pattern && !field.pattern.regex.test(text)) {
			return this.fail(path, 'format', `${this.named(path)} must be ${field.pattern.expectation}, got ${describeValue(text)}`);
		}
		return { ok: true, value: text };
	}

	/** A `multiple` text field given a list: each entry checked; one value goes as text, several as a list. */
	private multipleStrings(list: unknown[], field: FieldSchema, path: string): Normalised {
		const before = this.problems.length;
		const entries: string[] = [];
		list.forEach((entry, index) => {
			if (isEmptyValue(entry)) return;
			const result = this.string(entry, field, `${path}[${index}]`);
			if (result.ok && typeof result.value === 'string') entries.push(result.value);
		});
		if (this.problems.length > before) return { ok: false };
		if (field.maxItems !== undefined && entries.length > field.maxItems) {
			return this.fail(path, 'maxItems', `${this.named(path)} may hold at most ${field.maxItems} entries, got ${entries.length}`);
		}
		if (entries.length === 0) return ABSENT;
		return { ok: true, value: entries.length === 1 ? entries[0] : entries };
	}

	private number(value: unknown, field: FieldSchema, path: string): Normalised {
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
		return { ok: true, value: number };
	}

	private boolean(value: unknown, path: string): Normalised {
		const flag = readBoolean(value);
		if (flag === undefined) {
			return this.fail(path, 'type', `${this.named(path)} must be true or false (${BOOLEAN_FORMS}), got ${describeValue(value)}`);
		}
		return { ok: true, value: flag };
	}

	private date(value: unknown, field: FieldSchema, path: string): Normalised {
		const reading = readDate(value, this.options.dateOrder ?? 'ymd', this.options.timeZone);
		if (reading.ok) return { ok: true, value: reading.date };
		return this.dateProblem(reading.reason, value, `a date${this.readAsReason(field, path, 'a date type')}`, path);
	}

	private dateTime(value: unknown, field: FieldSchema, path: string): Normalised {
		const reading = readDateTime(value, this.options.dateOrder ?? 'ymd', this.options.timeZone);
		if (reading.ok) return { ok: true, value: reading.dateTime };
		return this.dateProblem(reading.reason, value, `a date and time${this.readAsReason(field, path, 'a date-and-time type')}`, path);
	}

	private dateProblem(reason: DateProblem, value: unknown, expected: string, path: string): Normalised {
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

	private option(value: unknown, field: FieldSchema, path: string): Normalised {
		const names = optionNames(field);
		// Only text, numbers and booleans are compared as text: String() of an object may throw (a null-prototype object).
		if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
			return this.fail(path, 'enum', `${this.named(path)} must be one of ${names}, got ${describeValue(value)}`);
		}
		const wanted = typeof value === 'string' ? value.trim().toLowerCase() : value;
		const option = optionBySpelling(field).get(String(wanted));
		if (option) return { ok: true, value: option.value };
		if (field.allowOtherValues && (typeof value === 'string' || typeof value === 'number')) {
			return this.string(value, field, path);
		}
		return this.fail(path, 'enum', `${this.named(path)} must be one of ${names}, got ${describeValue(value)}`);
	}

	private nestedObject(value: unknown, field: FieldSchema, path: string): Normalised {
		if (!isPlainObject(value)) {
			return this.fail(path, 'type', `${this.named(path)} must be an object, got ${describeValue(value)}`);
		}
		const before = this.problems.length;
		const output = this.object(value, field.fields ?? [], path);
		if (this.problems.length > before) return { ok: false };
		return { ok: true, value: Object.keys(output).length ? output : undefined };
	}

	private objectList(value: unknown, field: FieldSchema, path: string): Normalised {
		const list = isPlainObject(value) ? [value] : value;
		if (!Array.isArray(list)) {
			return this.fail(path, 'type', `${this.named(path)} must be a list of objects, got ${describeValue(value)}`);
		}
		const given = list.filter((entry) => isGivenEntry(entry, field)).length;
		if (field.maxItems !== undefined && given > field.maxItems) {
			return this.fail(path, 'maxItems', `${this.named(path)} may hold at most ${field.maxItems} entries, got ${given}`);
		}
		const before = this.problems.length;
		const output: IDataObject[] = [];
		list.forEach((entry, index) => {
			const entryPath = `${path}[${index}]`;
			if (!isGivenEntry(entry, field)) return;
			if (!isPlainObject(entry)) {
				this.fail(entryPath, 'type', `${this.named(entryPath)} must be an object, got ${describeValue(entry)}`);
				return;
			}
			const normalised = this.object(entry, field.fields ?? [], entryPath);
			if (Object.keys(normalised).length) output.push(normalised);
		});
		if (this.problems.length > before) return { ok: false };
		return { ok: true, value: output.length ? output : undefined };
	}

	private stringList(value: unknown, field: FieldSchema, path: string): Normalised {
		let list: unknown[];
		// A text is a comma-separated list ("a, b"); a list entry is one entry as it is.
		if (Array.isArray(value)) list = value;
		else if (typeof value === 'string') list = value.split(',');
		else if (typeof value === 'number' && Number.isFinite(value)) list = [value];
		else return this.fail(path, 'type', `${this.named(path)} must be a list of text, got ${describeValue(value)}`);

		const entries: string[] = [];
		for (const [index, entry] of list.entries()) {
			const entryPath = `${path}[${index}]`;
			const text = typeof entry === 'number' && Number.isFinite(entry) ? numberAsText(entry) : entry;
			if (isEmptyValue(text)) continue;
			if (typeof text !== 'string') {
				return this.fail(entryPath, 'type', `${this.named(entryPath)} must be text, got ${describeValue(entry)}`);
			}
			const trimmed = text.trim();
			if (field.itemMaxLength !== undefined && [...trimmed].length > field.itemMaxLength) {
				return this.fail(entryPath, 'maxLength', `${this.named(entryPath)} must be at most ${plural(field.itemMaxLength, 'character')}, got ${[...trimmed].length}`);
			}
			if (field.sendAs === 'csv' && trimmed.includes(',')) {
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
		if (!entries.length) return ABSENT;
		if (field.sendAs !== 'csv') return { ok: true, value: entries };
		const joined = entries.join(',');
		if (field.maxLength !== undefined && [...joined].length > field.maxLength) {
			return this.fail(path, 'maxLength', `${this.named(path)} must be at most ${plural(field.maxLength, 'character')} when joined, got ${[...joined].length}`);
		}
		return { ok: true, value: joined };
	}

	private keyValue(value: unknown, field: FieldSchema, path: string): Normalised {
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
		for (const [key, entry] of Object.entries(map)) {
			const entryPath = `${path}.${key}`;
			if (key.trim() === '') {
				return this.fail(path, 'format', `${this.named(path)} has an entry with an empty name`);
			}
			if (isReservedKey(key)) return this.reservedName(entryPath);
			if (isEmptyValue(entry)) {
				// An entry the map names on purpose: with keepEmptyValues it goes as "" (Thulium clears the field).
				if (field.keepEmptyValues) setOwn(output, key, '');
				continue;
			}
			const scalar = typeof entry === 'string' || typeof entry === 'boolean' || (typeof entry === 'number' && Number.isFinite(entry));
			if (!scalar) {
				return this.fail(entryPath, 'type', `${this.named(entryPath)} must be text, a number or true/false, got ${describeValue(entry)}`);
			}
			setOwn(output, key, typeof entry === 'string' ? entry.trim() : entry);
		}
		if (!Object.keys(output).length) return ABSENT;
		if (field.sendAs !== 'jsonString') return { ok: true, value: output };
		const text = JSON.stringify(output);
		if (field.maxLength !== undefined && [...text].length > field.maxLength) {
			return this.fail(path, 'maxLength', `${this.named(path)} must be at most ${plural(field.maxLength, 'character')} as JSON, got ${[...text].length}`);
		}
		return { ok: true, value: text };
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
	const record = validator.object(input, schema.fields, '');
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
