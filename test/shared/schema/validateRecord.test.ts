import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type { FieldSchema, RecordSchema } from '../../../nodes/shared/schema/fieldSchema';
import { validateRecord } from '../../../nodes/shared/schema/validateRecord';
import { MAX_NESTING } from '../../../nodes/shared/schema/values';
import { documentedSchemas } from '../../docs/fieldTables';

const schema: RecordSchema = {
	fields: [
		{ name: 'surname', label: 'Surname', description: 'Surname', type: 'string', required: true, maxLength: 5 },
		{ name: 'phone', label: 'Phone', description: 'Phone', type: 'string', pattern: { regex: /^\d+$/, expectation: 'digits only' } },
		{ name: 'age', label: 'Age', description: 'Age', type: 'integer', min: 0, max: 150 },
		{ name: 'vip', label: 'VIP', description: 'VIP', type: 'boolean' },
		{ name: 'birthday', label: 'Birthday', description: 'Birthday', type: 'date' },
		{
			name: 'gender',
			label: 'Gender',
			description: 'Gender',
			type: 'options',
			options: [
				{ name: 'Male', value: 1, aliases: ['m'] },
				{ name: 'Female', value: 0, aliases: ['f'] },
			],
		},
		{ name: 'tags', label: 'Tags', description: 'Tags', type: 'stringList', sendAs: 'csv', maxItems: 3 },
		{ name: 'custom', label: 'Custom', description: 'Custom', type: 'keyValue', sendAs: 'jsonString' },
		{ name: 'address', label: 'Address', description: 'Address', type: 'object', fields: [{ name: 'city', label: 'City', description: 'City', type: 'string', required: true }] },
		{
			name: 'mobiles',
			label: 'Mobiles',
			description: 'Mobiles',
			type: 'objectList',
			maxItems: 2,
			fields: [{ name: 'tel', label: 'Tel', description: 'Tel', type: 'string', required: true }],
		},
	],
	rules: [{ type: 'requireOneOf', fields: ['phone', 'mobiles'], message: 'Set a phone or mobiles' }],
};

describe('validateRecord', () => {
	it('normalises a valid record into the vendor shape', () => {
		const { record, problems } = validateRecord(
			{
				surname: ' Nowak ',
				phone: 123456,
				age: '42',
				vip: 'true',
				birthday: new Date(Date.UTC(1990, 1, 3)),
				gender: 'F',
				tags: ['a', ' b ', ''],
				custom: { customize_1: 'x', empty: '' },
				address: { city: 'Kraków' },
				mobiles: { tel: '1' },
				ignored: 'yes',
			},
			schema,
		);
		expect(problems).toEqual([]);
		expect(record).toEqual({
			surname: 'Nowak',
			phone: '123456',
			age: 42,
			vip: true,
			birthday: '1990-02-03',
			gender: 0,
			tags: 'a,b',
			custom: '{"customize_1":"x"}',
			address: { city: 'Kraków' },
			mobiles: [{ tel: '1' }],
		});
	});

	it('names every problem with field, rule and the shape of the value, not its content', () => {
		const { problems } = validateRecord(
			{
				surname: 'Too long surname',
				phone: '12-34',
				age: 3.5,
				vip: 'maybe',
				birthday: '31/12/1990',
				gender: 'x',
				tags: 'a,b,c,d',
				custom: '{not json',
				address: { street: 'no city' },
				mobiles: [{ tel: '1' }, { tel: '2' }, { tel: '3' }],
			},
			schema,
		);
		expect(problems.map((problem) => [problem.field, problem.rule])).toEqual([
			['surname', 'maxLength'],
			['phone', 'format'],
			['age', 'type'],
			['vip', 'type'],
			['birthday', 'format'],
			['gender', 'enum'],
			['tags', 'maxItems'],
			['custom', 'format'],
			['address.city', 'required'],
			['mobiles', 'maxItems'],
		]);
		expect(problems[0].message).toBe("'Surname' (surname) must be at most 5 characters, got 16");
		expect(problems[0].message).not.toContain('Too long');
	});

	it('reports a missing required field and treats empty values as absent', () => {
		const { record, problems } = validateRecord({ surname: '', phone: null, age: '' }, schema);
		expect(problems.map((problem) => problem.rule)).toEqual(['required', 'requireOneOf']);
		expect(record).toEqual({});
	});

	it('counts characters, not UTF-16 units, for length limits', () => {
		expect(validateRecord({ surname: '牛小信😀😀', phone: '1' }, schema).problems).toEqual([]);
	});

	it('rejects unknown keys only in strict mode, with nested paths', () => {
		const input = { surname: 'A', phone: '1', extra: 1, address: { city: 'X', zip: '1' } };
		expect(validateRecord(input, schema).problems).toEqual([]);
		expect(validateRecord(input, schema, { strict: true }).problems.map((problem) => problem.field)).toEqual(['address.zip', 'extra']);
	});

	it('names a field as the panel labels it, with its API path: nested ones through their groups, unknown keys by their path', () => {
		const { problems } = validateRecord({ phone: '1', extra: 1, address: { zip: '1' }, mobiles: [{ tel: '1' }, { tel: true }] }, schema, { strict: true });
		expect(problems.map((problem) => problem.message)).toEqual([
			"'Surname' (surname) is required",
			"'Address → City' (address.city) is required",
			"'Address → zip' (address.zip) is not a field of this API",
			"'Mobiles → Tel' (mobiles[1].tel) must be text, got a boolean",
			"'extra' is not a field of this API",
		]);
	});

	it('names an unknown key only by its shape when it looks like customer data (a phone number, an e-mail address, a long text)', () => {
		const keys = ['48600100200', 'ann@example.com', 'x'.repeat(65)];
		const input = { surname: 'A', phone: '1', address: { city: 'X', '+48 600 100 200': 1 }, ...Object.fromEntries(keys.map((key) => [key, 1])), column12: 1 };
		const { problems } = validateRecord(input, schema, { strict: true });
		const shown = JSON.stringify(problems);
		for (const key of [...keys, '600 100 200']) expect(shown).not.toContain(key);
		expect(problems.map((problem) => problem.message)).toEqual([
			"Inside 'Address' (address), an input key that may be customer data (text of 15 characters) is not a field of this API",
			'An input key that may be customer data (text of 11 characters) is not a field of this API',
			'An input key that may be customer data (text of 15 characters) is not a field of this API',
			'An input key that may be customer data (text of 65 characters) is not a field of this API',
			"'column12' is not a field of this API",
		]);
		expect(problems.map((problem) => problem.field)).toEqual([
			'address.(text of 15 characters)',
			'(text of 11 characters)',
			'(text of 15 characters)',
			'(text of 65 characters)',
			'column12',
		]);
	});

	it('refuses wrong types with a clear message', () => {
		const { problems } = validateRecord({ surname: { first: 'a' }, phone: true, mobiles: 'x' }, schema);
		expect(problems.map((problem) => problem.message)).toEqual([
			"'Surname' (surname) must be text, got an object",
			"'Phone' (phone) must be text, got a boolean",
			"'Mobiles' (mobiles) must be a list of objects, got text of 1 character",
		]);
	});
});

describe('validateRecord messages', () => {
	const messages = (input: Record<string, unknown>, options = {}) => validateRecord({ surname: 'A', phone: '1', ...input }, schema, options).problems.map((problem) => problem.message);

	it('name the field and the shape of the value, never the value', () => {
		expect(messages({ birthday: '31/12/1990' })).toEqual([
			"'Birthday' (birthday) is a date with the year last, whose day and month could be either way round (dd/MM/yyyy or MM/dd/yyyy), got text of 10 characters: set Options → Date Order to the order your data uses, or give yyyy-MM-dd",
		]);
		expect(messages({ birthday: 'yesterday' })).toEqual([
			"'Birthday' (birthday) must be a date (yyyy-MM-dd, an ISO date-time, dd.MM.yyyy or yyyy/MM/dd; for dd/MM/yyyy or MM/dd/yyyy set Options → Date Order), got text of 9 characters",
		]);
		expect(messages({ birthday: 'yesterday' }, { dateOrder: 'dmy' })).toEqual([
			"'Birthday' (birthday) must be a date (yyyy-MM-dd, an ISO date-time, dd.MM.yyyy or yyyy/MM/dd, or dd/MM/yyyy), got text of 9 characters",
		]);
		expect(messages({ birthday: '1990-02-30' })).toEqual(["'Birthday' (birthday) is not a real calendar date (read year first), got text of 10 characters"]);
		expect(messages({ birthday: '13/25/1990' }, { dateOrder: 'mdy' })).toEqual(["'Birthday' (birthday) is not a real calendar date (read month/day/year), got text of 10 characters"]);
		expect(messages({ age: -3 })).toEqual(["'Age' (age) must be at least 0, got a number below it"]);
		expect(messages({ age: '151' })).toEqual(["'Age' (age) must be at most 150, got a number above it"]);
		expect(messages({ age: 3.5 })).toEqual(["'Age' (age) must be a whole number, got a number with a fraction"]);
		expect(messages({ age: 'forty' })).toEqual(["'Age' (age) must be a whole number, got text of 5 characters"]);
		expect(messages({ gender: 'Mxyz' })).toEqual(["'Gender' (gender) must be one of Male, Female, got text of 4 characters"]);
		expect(messages({ gender: 7 })).toEqual(["'Gender' (gender) must be one of Male, Female, got a number"]);
		expect(messages({ vip: 'maybe' })).toEqual(["'VIP' (vip) must be true or false (true/false in any case, or 1/0), got text of 5 characters"]);
		expect(messages({ phone: '12-34' })).toEqual(["'Phone' (phone) must be digits only, got text of 5 characters"]);
	});

	it('never contain the content of a bad value, whatever it is (property)', () => {
		const marked = fc.oneof(
			fc.string({ minLength: 1, maxLength: 30 }).map((text) => `QZX${text}`),
			fc.constantFrom('QZX/12/1990', '12/QZX/1990', 'QZX-05-17'),
		);
		const fieldNames = schema.fields.map((field) => field.name);
		fc.assert(
			fc.property(fc.constantFrom(...fieldNames), marked, fc.constantFrom('plain', 'list', 'object'), (name, value, shape) => {
				const input = shape === 'plain' ? value : shape === 'list' ? [value, value] : { tel: value, city: value };
				for (const message of messages({ [name]: input }, { strict: true })) expect(message).not.toContain('QZX');
			}),
		);
		fc.assert(
			fc.property(fc.constantFrom('age', 'gender', 'birthday', 'vip', 'surname'), fc.integer({ min: 1_000_000, max: 9_999_999 }), (name, number) => {
				for (const message of messages({ [name]: -number, surname: name === 'surname' ? { n: number } : 'A' })) {
					expect(message).not.toContain(String(number));
				}
			}),
		);
	});
});

describe('validateRecord with spreadsheet values', () => {
	it('takes booleans as true/false in any case and 1/0, as text or number, with spaces', () => {
		for (const [value, expected] of [['TRUE', true], ['False', false], [' true ', true], ['1', true], [0, false], [1, true], [' 0', false]] as const) {
			expect(validateRecord({ surname: 'A', phone: '1', vip: value }, schema).record.vip).toBe(expected);
		}
		expect(validateRecord({ surname: 'A', phone: '1', vip: 'yes' }, schema).problems).toEqual([
			{ field: 'vip', rule: 'type', message: "'VIP' (vip) must be true or false (true/false in any case, or 1/0), got text of 3 characters" },
		]);
	});

	it('takes numbers given as text, and gives numbers where text is wanted as their plain digits', () => {
		const { record, problems } = validateRecord({ surname: 'A', phone: 48600100200, age: ' 26 ' }, schema);
		expect(problems).toEqual([]);
		expect(record).toEqual({ surname: 'A', phone: '48600100200', age: 26 });
		expect(validateRecord({ surname: 'A', phone: 1e21 }, schema).record.phone).toBe('1000000000000000000000');
		expect(validateRecord({ surname: 'A', phone: 48600100200.0 }, schema).record.phone).toBe('48600100200');
		const text: RecordSchema = { fields: [{ name: 'note', label: 'Note', description: 'Note', type: 'string' }] };
		expect(validateRecord({ note: 2.5 }, text).record.note).toBe('2.5');
		expect(validateRecord({ note: 1.5e-7 }, text).record.note).toBe('0.00000015');
		expect(validateRecord({ tags: [48600100200, 1e21] , surname: 'A', phone: '1' }, schema).record.tags).toBe('48600100200,1000000000000000000000');
	});

	it('takes an empty cell in an optional field of any type as not given, and never sends it', () => {
		for (const empty of ['', '   ', null, undefined]) {
			const input: IDataObject = { surname: 'A', phone: '1' };
			for (const field of schema.fields) if (!['surname', 'phone'].includes(field.name)) input[field.name] = empty;
			expect(validateRecord(input, schema)).toEqual({ record: { surname: 'A', phone: '1' }, problems: [] });
		}
	});

	it('leaves out objects and list entries that hold only empty cells', () => {
		const { record, problems } = validateRecord({ surname: 'A', phone: '1', mobiles: [{ tel: 1 }, '', null, {}], address: {} }, schema);
		expect(problems).toEqual([]);
		expect(record).toEqual({ surname: 'A', phone: '1', mobiles: [{ tel: '1' }] });
	});

	it('reports an empty cell in a required field as missing', () => {
		expect(validateRecord({ surname: '  ', phone: '1' }, schema).problems).toEqual([{ field: 'surname', rule: 'required', message: "'Surname' (surname) is required" }]);
	});

	it('reads day/month dates in the order the option gives', () => {
		expect(validateRecord({ surname: 'A', phone: '1', birthday: '05/06/1980' }, schema, { dateOrder: 'dmy' }).record.birthday).toBe('1980-06-05');
		expect(validateRecord({ surname: 'A', phone: '1', birthday: '05/06/1980' }, schema, { dateOrder: 'mdy' }).record.birthday).toBe('1980-05-06');
		expect(validateRecord({ surname: 'A', phone: '1', birthday: '1980-05-17T23:30:00-05:00' }, schema).record.birthday).toBe('1980-05-17');
	});
});

describe('validateRecord: requireOneOf', () => {
	it('is not satisfied by a value of spaces, and says which field was empty', () => {
		const { problems } = validateRecord({ surname: 'A', phone: '  ' }, schema);
		expect(problems).toEqual([{ field: 'phone', rule: 'requireOneOf', message: "Set a phone or mobiles ('Phone' (phone) is empty or only spaces)", oneOf: ['phone', 'mobiles'] }]);
		expect(validateRecord({ surname: 'A', mobiles: [{ tel: ' ' }] }, schema).problems.map((problem) => problem.message)).toEqual([
			"Set a phone or mobiles ('Mobiles' (mobiles) is empty or only spaces)",
		]);
	});
});

describe('validateRecord: multiple text values', () => {
	const multiple: RecordSchema = {
		fields: [{ name: 'email', label: 'Email', description: 'Email', type: 'string', multiple: true, maxLength: 10, maxItems: 2, pattern: { regex: /@/, expectation: 'an email address' } }],
	};

	it('sends one value as text and several as a list, each checked', () => {
		expect(validateRecord({ email: 'a@x' }, multiple).record).toEqual({ email: 'a@x' });
		expect(validateRecord({ email: ['a@x'] }, multiple).record).toEqual({ email: 'a@x' });
		expect(validateRecord({ email: [' a@x ', 'b@x'] }, multiple).record).toEqual({ email: ['a@x', 'b@x'] });
		expect(validateRecord({ email: [] }, multiple).record).toEqual({});
		expect(validateRecord({ email: ['a@x', 'bx', 'c@xxxxxxxxxx'] }, multiple).problems.map((problem) => `${problem.field}:${problem.rule}`)).toEqual([
			'email[1]:format',
			'email[2]:maxLength',
		]);
		expect(validateRecord({ email: ['a@x', 'b@x', 'c@x'] }, multiple).problems.map((problem) => `${problem.field}:${problem.rule}`)).toEqual(['email:maxItems']);
	});

	it('is not a list for a field without the flag', () => {
		expect(validateRecord({ surname: ['A', 'B'], phone: '1' }, schema).problems).toEqual([
			{ field: 'surname', rule: 'type', message: "'Surname' (surname) must be text, got a list of 2" },
		]);
	});
});

describe('validateRecord: name/value maps', () => {
	it('refuse an entry that is not text, a number or true/false, by its shape', () => {
		for (const [entry, shape] of [[{ a: 1 }, 'an object'], [[1], 'a list of 1'], [BigInt(1), 'a bigint'], [Number.POSITIVE_INFINITY, 'an infinite number']] as const) {
			expect(validateRecord({ surname: 'A', phone: '1', custom: { k: entry } }, schema).problems).toEqual([
				{ field: 'custom.k', rule: 'type', message: `'Custom → k' (custom.k) must be text, a number or true/false, got ${shape}` },
			]);
		}
	});
});

describe('validateRecord: input that is no customer data', () => {
	const deep = (levels: number) => {
		let value: unknown = 'x';
		for (let level = 0; level < levels; level++) value = [value];
		return value as IDataObject[];
	};

	it('refuses a value nested thousands of levels deep by its field, without walking it', () => {
		for (const levels of [MAX_NESTING + 1, 10_000, 100_000]) {
			const { problems } = validateRecord({ surname: 'A', phone: '1', tags: deep(levels), mobiles: [{ tel: '1', note: deep(levels) }] }, schema);
			expect(problems).toEqual([
				{ field: 'tags', rule: 'maxDepth', message: `'Tags' (tags) holds lists or objects nested more than ${MAX_NESTING} levels deep` },
				{ field: 'mobiles', rule: 'maxDepth', message: `'Mobiles' (mobiles) holds lists or objects nested more than ${MAX_NESTING} levels deep` },
			]);
		}
		expect(validateRecord({ surname: 'A', phone: '1', tags: deep(MAX_NESTING - 1) }, schema).problems.map((problem) => problem.rule)).toEqual(['type']);
	});

	it('refuses the keys __proto__, constructor and prototype wherever it reads an object, naming the path', () => {
		const parsed = JSON.parse('{"surname": "A", "phone": "1", "__proto__": {"x": 1}, "address": {"city": "K", "constructor": "c"}, "mobiles": [{"tel": "1", "prototype": "p"}]}') as IDataObject;
		expect(validateRecord(parsed, schema).problems).toEqual([
			{ field: '__proto__', rule: 'reservedName', message: "'__proto__' uses a name JavaScript reserves (__proto__, constructor, prototype): rename that key" },
			{ field: 'address.constructor', rule: 'reservedName', message: expect.stringContaining('reserves') },
			{ field: 'mobiles[0].prototype', rule: 'reservedName', message: expect.stringContaining('reserves') },
		]);
		for (const custom of [JSON.parse('{"__proto__": "x"}'), '{"constructor": "y"}', { prototype: 'z' }]) {
			const { problems } = validateRecord({ surname: 'A', phone: '1', custom }, schema);
			expect(problems).toEqual([{ field: expect.stringMatching(/^custom\.(__proto__|constructor|prototype)$/), rule: 'reservedName', message: expect.any(String) }]);
		}
	});

	it('reads only what an input object holds itself, and builds no object whose prototype a key could change', () => {
		const inherited = Object.create({ surname: 'Inherited', phone: '1' }) as IDataObject;
		expect(validateRecord(inherited, schema).problems.map((problem) => problem.field)).toContain('surname');
		const { record } = validateRecord({ surname: 'A', phone: '1', custom: { k: 'v' } }, { fields: [...schema.fields.filter((field) => field.name !== 'custom'), { name: 'custom', label: 'Custom', description: 'Custom', type: 'keyValue' }] });
		expect(Object.getPrototypeOf(record.custom)).toBe(Object.prototype);
	});
});

describe('validateRecord: readAs', () => {
	const numberSchema: RecordSchema = {
		fields: [
			{ name: 'kind', label: 'Kind', description: 'Kind', type: 'options', options: [{ name: 'Number', value: 'number' }, { name: 'Text', value: 'text' }], allowOtherValues: true },
			{ name: 'value', label: 'Value', description: 'Value', type: 'string', readAs: [{ type: 'number', when: { field: 'kind', oneOf: ['number', 'Float'] } }] },
			{ name: 'amount', label: 'Amount', description: 'Amount', type: 'string', readAs: [{ type: 'number' }] },
		],
	};

	it('reads a field by the number rule when a sibling says so (after its own reading), and as its own type otherwise', () => {
		expect(validateRecord({ kind: 'Number', value: ' 12.5 ', amount: '3' }, numberSchema)).toEqual({ record: { kind: 'number', value: 12.5, amount: 3 }, problems: [] });
		expect(validateRecord({ kind: 'FLOAT', value: 7 }, numberSchema).record).toEqual({ kind: 'FLOAT', value: 7 });
		expect(validateRecord({ kind: 'text', value: '12,5' }, numberSchema).record).toEqual({ kind: 'text', value: '12,5' });
		expect(validateRecord({ value: 12 }, numberSchema).record).toEqual({ value: '12' });
	});

	it('refuses what the number rule refuses, saying why the field is a number', () => {
		expect(validateRecord({ kind: 'number', value: '12,5', amount: '1 000' }, numberSchema).problems).toEqual([
			{ field: 'value', rule: 'type', message: "'Value' (value) must be a number ('Kind' (kind) is a number type), got text of 4 characters" },
			{ field: 'amount', rule: 'type', message: "'Amount' (amount) must be a number, got text of 5 characters" },
		]);
	});

	it('reads a field as a date, or a date and time, when a sibling says so, the first rule that applies deciding', () => {
		const schema: RecordSchema = {
			fields: [
				{ name: 'kind', label: 'Kind', description: 'Kind', type: 'string' },
				{
					name: 'value',
					label: 'Value',
					description: 'Value',
					type: 'string',
					readAs: [
						{ type: 'date', when: { field: 'kind', oneOf: ['date'] } },
						{ type: 'dateTime', when: { field: 'kind', oneOf: ['date', 'datetime'] } },
					],
				},
			],
		};
		expect(validateRecord({ kind: 'date', value: '1980-05-17T10:00:00' }, schema).record).toEqual({ kind: 'date', value: '1980-05-17' });
		expect(validateRecord({ kind: 'DateTime', value: '1980-05-17T10:00' }, schema).record).toEqual({ kind: 'DateTime', value: '1980-05-17 10:00:00' });
		expect(validateRecord({ kind: 'text', value: '17.05.1980' }, schema).record).toEqual({ kind: 'text', value: '17.05.1980' });
		expect(validateRecord({ kind: 'date', value: 'soon' }, schema).problems[0].message).toMatch(/^'Value' \(value\) must be a date \('Kind' \(kind\) is a date type\)/);
	});

	it('has its sibling earlier in every vendor schema', () => {
		const check = (fields: FieldSchema[]) => {
			fields.forEach((field, position) => {
				for (const rule of field.readAs ?? []) {
					if (rule.when) expect(fields.slice(0, position).map((earlier) => earlier.name)).toContain(rule.when.field);
				}
				check(field.fields ?? []);
			});
		};
		for (const documented of Object.values(documentedSchemas)) check(documented.fields);
	});
});

describe('validateRecord: entries that carry no value (entryGivenBy)', () => {
	const schema: RecordSchema = {
		fields: [
			{
				name: 'methods',
				label: 'Methods',
				description: 'Methods',
				type: 'objectList',
				maxItems: 1,
				entryGivenBy: ['value'],
				fields: [
					{ name: 'value', label: 'Value', description: 'Value', type: 'string', required: true },
					{ name: 'label', label: 'Label', description: 'Label', type: 'string' },
				],
			},
		],
	};

	it('leaves out an entry whose value fields are blank, and does not count it against maxItems', () => {
		expect(validateRecord({ methods: [{ value: '1', label: 'a' }, { value: ' ', label: 'b' }, { label: 'c' }] }, schema)).toEqual({ record: { methods: [{ value: '1', label: 'a' }] }, problems: [] });
	});

	it('is still "required" when every entry was left out of a required list', () => {
		const required: RecordSchema = { fields: [{ ...schema.fields[0], required: true }] };
		expect(validateRecord({ methods: [{ value: '', label: 'b' }] }, required).problems).toEqual([{ field: 'methods', rule: 'required', message: "'Methods' (methods) is required" }]);
	});

	it('reports a reserved key rather than dropping its entry unseen', () => {
		const entry = JSON.parse('{"label": "x", "__proto__": {"value": "1"}}') as IDataObject;
		expect(validateRecord({ methods: [entry] }, schema).problems.map((problem) => problem.rule)).toContain('reservedName');
	});
});
