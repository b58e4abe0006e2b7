import type { IDataObject } from 'n8n-workflow';

import type { FieldSchema, Problem, RecordSchema } from './fieldSchema';
import { toVendorDate } from './dates';

export interface ValidatedRecord {
	/** The record as it would be sent: normalised values, empty fields left out. */
	record: IDataObject;
	problems: Problem[];
}

type Normalised = { ok: true; value: unknown } | { ok: false };

const ABSENT: Normalised = { ok: true, value: undefined };

function isAbsent(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** How a value looks, without its content: personal data stays out of error messages. */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return `a list of ${value.length}`;
	if (value instanceof Date) return 'a date object';
	if (typeof value === 'string') {
		const length = [...value].length;
		return `text of ${length} character${length === 1 ? '' : 's'}`;
	}
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

function quoteShort(value: unknown): string {
	const text = String(value);
	return text.length <= 40 ? `"${text}"` : describeValue(value);
}

class RecordValidator {
	readonly problems: Problem[] = [];

	constructor(private readonly strict: boolean) {}

	private fail(field: string, rule: Problem['rule'], message: string): Normalised {
		this.problems.push({ field, rule, message });
		return { ok: false };
	}

	object(input: IDataObject, fields: FieldSchema[], path: string): IDataObject {
		const output: IDataObject = {};
		const known = new Set(fields.map((field) => field.name));
		for (const field of fields) {
			const fieldPath = path ? `${path}.${field.name}` : field.name;
			const result = this.field(input[field.name], field, fieldPath);
			if (result.ok && result.value !== undefined) output[field.name] = result.value as IDataObject;
		}
		if (this.strict) {
			for (const key of Object.keys(input)) {
				if (!known.has(key)) {
					const fieldPath = path ? `${path}.${key}` : key;
					this.fail(fieldPath, 'unknownField', `'${fieldPath}' is not a field of this API`);
				}
			}
		}
		return output;
	}

	field(value: unknown, field: FieldSchema, path: string): Normalised {
		if (isAbsent(value)) {
			return field.required ? this.fail(path, 'required', `'${path}' is required`) : ABSENT;
		}
		const normalised = this.byType(value, field, path);
		if (normalised.ok && normalised.value === undefined && field.required) {
			return this.fail(path, 'required', `'${path}' is required`);
		}
		return normalised;
	}

	private byType(value: unknown, field: FieldSchema, path: string): Normalised {
		switch (field.type) {
			case 'string':
				return this.string(value, field, path);
			case 'number':
			case 'integer':
				return this.number(value, field, path);
			case 'boolean':
				return this.boolean(value, path);
			case 'date':
				return this.date(value, path);
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
		// Spreadsheets hand phone numbers and ids over as numbers; their text is what was meant.
		if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
		if (typeof value !== 'string') {
			return this.fail(path, 'type', `'${path}' must be text, got ${describeValue(value)}`);
		}
		const text = value.trim();
		if (text === '') return ABSENT;
		const length = [...text].length;
		if (field.maxLength !== undefined && length > field.maxLength) {
			return this.fail(
				path,
				'maxLength',
				`'${path}' must be at most ${field.maxLength} characters, got ${length}`,
			);
		}
		if (field.pattern && !field.pattern.regex.test(text)) {
			return this.fail(path, 'format', `'${path}' must be ${field.pattern.expectation}`);
		}
		return { ok: true, value: text };
	}

	private number(value: unknown, field: FieldSchema, path: string): Normalised {
		let number = value;
		if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value.trim()))) {
			number = Number(value.trim());
		}
		if (typeof number !== 'number' || !Number.isFinite(number)) {
			return this.fail(path, 'type', `'${path}' must be a number, got ${describeValue(value)}`);
		}
		if (field.type === 'integer' && !Number.isInteger(number)) {
			return this.fail(path, 'type', `'${path}' must be a whole number, got ${number}`);
		}
		if (field.min !== undefined && number < field.min) {
			return this.fail(path, 'min', `'${path}' must be at least ${field.min}, got ${number}`);
		}
		if (field.max !== undefined && number > field.max) {
			return this.fail(path, 'max', `'${path}' must be at most ${field.max}, got ${number}`);
		}
		return { ok: true, value: number };
	}

	private boolean(value: unknown, path: string): Normalised {
		if (typeof value === 'boolean') return { ok: true, value };
		if (value === 'true' || value === 1 || value === '1') return { ok: true, value: true };
		if (value === 'false' || value === 0 || value === '0') return { ok: true, value: false };
		return this.fail(path, 'type', `'${path}' must be true or false, got ${describeValue(value)}`);
	}

	private date(value: unknown, path: string): Normalised {
		const date = toVendorDate(value);
		if (date === undefined) {
			return this.fail(
				path,
				'format',
				`'${path}' must be a date (yyyy-MM-dd or an ISO date), got ${typeof value === 'string' ? quoteShort(value) : describeValue(value)}`,
			);
		}
		return { ok: true, value: date };
	}

	private option(value: unknown, field: FieldSchema, path: string): Normalised {
		const options = field.options ?? [];
		const wanted = typeof value === 'string' ? value.trim().toLowerCase() : value;
		for (const option of options) {
			const spellings = [option.value, option.name, ...(option.aliases ?? [])];
			for (const spelling of spellings) {
				const candidate = typeof spelling === 'string' ? spelling.toLowerCase() : spelling;
				if (candidate === wanted || String(candidate) === String(wanted)) {
					return { ok: true, value: option.value };
				}
			}
		}
		if (field.allowOtherValues && (typeof value === 'string' || typeof value === 'number')) {
			return this.string(value, field, path);
		}
		const names = options.map((option) => option.name).join(', ');
		return this.fail(path, 'enum', `'${path}' must be one of ${names}, got ${quoteShort(value)}`);
	}

	private nestedObject(value: unknown, field: FieldSchema, path: string): Normalised {
		if (!isPlainObject(value)) {
			return this.fail(path, 'type', `'${path}' must be an object, got ${describeValue(value)}`);
		}
		const before = this.problems.length;
		const output = this.object(value, field.fields ?? [], path);
		if (this.problems.length > before) return { ok: false };
		return { ok: true, value: Object.keys(output).length ? output : undefined };
	}

	private objectList(value: unknown, field: FieldSchema, path: string): Normalised {
		const list = isPlainObject(value) ? [value] : value;
		if (!Array.isArray(list)) {
			return this.fail(path, 'type', `'${path}' must be a list of objects, got ${describeValue(value)}`);
		}
		if (field.maxItems !== undefined && list.length > field.maxItems) {
			return this.fail(path, 'maxItems', `'${path}' may hold at most ${field.maxItems} entries, got ${list.length}`);
		}
		const before = this.problems.length;
		const output: IDataObject[] = [];
		list.forEach((entry, index) => {
			const entryPath = `${path}[${index}]`;
			if (!isPlainObject(entry)) {
				this.fail(entryPath, 'type', `'${entryPath}' must be an object, got ${describeValue(entry)}`);
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
		if (Array.isArray(value)) list = value;
		else if (typeof value === 'string') list = value.split(',');
		else if (typeof value === 'number') list = [String(value)];
		else return this.fail(path, 'type', `'${path}' must be a list of text, got ${describeValue(value)}`);

		const entries: string[] = [];
		for (const [index, entry] of list.entries()) {
			const text = typeof entry === 'number' ? String(entry) : entry;
			if (typeof text !== 'string') {
				return this.fail(`${path}[${index}]`, 'type', `'${path}[${index}]' must be text, got ${describeValue(entry)}`);
			}
			if (text.trim() === '') continue;
			if (field.itemMaxLength !== undefined && [...text.trim()].length > field.itemMaxLength) {
				return this.fail(
					`${path}[${index}]`,
					'maxLength',
					`'${path}[${index}]' must be at most ${field.itemMaxLength} characters`,
				);
			}
			entries.push(text.trim());
		}
		if (field.maxItems !== undefined && entries.length > field.maxItems) {
			return this.fail(path, 'maxItems', `'${path}' may hold at most ${field.maxItems} entries, got ${entries.length}`);
		}
		if (!entries.length) return ABSENT;
		if (field.sendAs !== 'csv') return { ok: true, value: entries };
		const joined = entries.join(',');
		if (field.maxLength !== undefined && [...joined].length > field.maxLength) {
			return this.fail(path, 'maxLength', `'${path}' must be at most ${field.maxLength} characters when joined, got ${[...joined].length}`);
		}
		return { ok: true, value: joined };
	}

	private keyValue(value: unknown, field: FieldSchema, path: string): Normalised {
		let map = value;
		if (typeof value === 'string') {
			try {
				map = JSON.parse(value);
			} catch {
				return this.fail(path, 'format', `'${path}' must be an object or a JSON object text, got text that is not JSON`);
			}
		}
		if (!isPlainObject(map)) {
			return this.fail(path, 'type', `'${path}' must be an object of name/value pairs, got ${describeValue(map)}`);
		}
		const output: IDataObject = {};
		for (const [key, entry] of Object.entries(map)) {
			const entryPath = `${path}.${key}`;
			if (key.trim() === '') {
				return this.fail(path, 'format', `'${path}' has an entry with an empty name`);
			}
			if (entry !== null && typeof entry === 'object') {
				return this.fail(entryPath, 'type', `'${entryPath}' must be text, a number or true/false, got ${describeValue(entry)}`);
			}
			if ((entry === undefined || entry === null || entry === '') && !field.keepEmptyValues) continue;
			output[key] = entry ?? '';
		}
		if (!Object.keys(output).length) return ABSENT;
		if (field.sendAs !== 'jsonString') return { ok: true, value: output };
		const text = JSON.stringify(output);
		if (field.maxLength !== undefined && [...text].length > field.maxLength) {
			return this.fail(path, 'maxLength', `'${path}' must be at most ${field.maxLength} characters as JSON, got ${[...text].length}`);
		}
		return { ok: true, value: text };
	}
}

/**
 * Checks one record against the schema and returns it in the form the vendor expects
 * (trimmed text, formatted dates, option values, joined lists), with every problem named.
 */
export function validateRecord(
	input: IDataObject,
	schema: RecordSchema,
	options: { strict?: boolean } = {},
): ValidatedRecord {
	const validator = new RecordValidator(options.strict ?? false);
	const record = validator.object(input, schema.fields, '');
	for (const rule of schema.rules ?? []) {
		if (rule.type === 'requireOneOf' && !rule.fields.some((name) => !isAbsent(input[name]))) {
			validator.problems.push({ field: rule.fields.join('|'), rule: 'requireOneOf', message: rule.message });
		}
	}
	return { record, problems: validator.problems };
}
