import type { RecordSchema } from '../../../nodes/shared/schema/fieldSchema';
import { validateRecord } from '../../../nodes/shared/schema/validateRecord';

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
		expect(problems[0].message).toBe("'surname' must be at most 5 characters, got 16");
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

	it('refuses wrong types with a clear message', () => {
		const { problems } = validateRecord({ surname: { first: 'a' }, phone: true, mobiles: 'x' }, schema);
		expect(problems.map((problem) => problem.message)).toEqual([
			"'surname' must be text, got an object",
			"'phone' must be text, got a boolean",
			"'mobiles' must be a list of objects, got text of 1 character",
		]);
	});
});
