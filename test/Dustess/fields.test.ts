import type { INodeProperties } from 'n8n-workflow';

import { DustessBatchCustomers } from '../../nodes/Dustess/DustessBatchCustomers.node';
import { createSchema, updateSchema } from '../../nodes/Dustess/fields';
import { validateRecord } from '../../nodes/shared/schema/validateRecord';

const VENDOR_FIELDS = [
	'remark', 'category_id', 'corp_id', 'corp_full_name', 'mobiles', 'position', 'source', 'prov_city', 'address',
	'birthday', 'email', 'gender', 'description', 'custom_fields', 'tags', 'age', 'national', 'nationality',
	'education', 'major', 'id_card', 'wx', 'qq', 'owner', 'pool', 'reason', 'status', 'share_uids',
];

describe('Dustess contact fields', () => {
	it('cover every field of the vendor page, with id on update only', () => {
		const create = createSchema.fields.map((field) => field.name);
		const update = updateSchema.fields.map((field) => field.name);
		expect(create).toEqual(expect.arrayContaining([...VENDOR_FIELDS, 'external_id']));
		expect(update).toEqual(expect.arrayContaining([...VENDOR_FIELDS, 'id', 'external_id']));
		expect(create).not.toContain('id');
		for (const field of updateSchema.fields) {
			expect(field.label).toMatch(/^[\x20-\x7e]+$/);
			expect(field.description).toMatch(/^[A-Z]/);
		}
	});

	it('require an owner or a pool to create, and an id or external id to update', () => {
		expect(validateRecord({ remark: 'A' }, createSchema).problems).toEqual([
			{ field: 'owner', rule: 'requireOneOf', message: expect.stringContaining('Owner ID or a Pool ID'), oneOf: ['owner', 'pool'] },
		]);
		expect(validateRecord({ remark: 'A', pool: 'p1' }, createSchema).problems).toEqual([]);
		expect(validateRecord({ remark: 'A', owner: 'u1' }, createSchema).problems).toEqual([]);
		expect(validateRecord({ remark: 'A' }, updateSchema).problems[0]).toMatchObject({ field: 'id', rule: 'requireOneOf', oneOf: ['id', 'external_id'] });
		expect(validateRecord({ external_id: 'e1' }, updateSchema).problems).toEqual([]);
	});

	it('do not take a value of spaces as the owner, pool, id or external id', () => {
		for (const blank of ['', '   ', '\t']) {
			expect(validateRecord({ remark: 'A', owner: blank }, createSchema).problems).toEqual([
				{
					field: 'owner',
					rule: 'requireOneOf',
					message: "Set an Owner ID or a Pool ID: Dustess needs one of the two to create a contact ('Owner ID' (owner) is empty or only spaces)",
					oneOf: ['owner', 'pool'],
				},
			]);
		}
		expect(validateRecord({ remark: 'A', owner: ' ', pool: '  ' }, createSchema).problems[0].message).toMatch(/\('Owner ID' \(owner\) and 'Pool ID' \(pool\) are empty or only spaces\)$/);
		expect(validateRecord({ remark: 'A', owner: ' ', pool: 'p1' }, createSchema)).toEqual({ record: { remark: 'A', pool: 'p1' }, problems: [] });
		expect(validateRecord({ id: '  ', external_id: null }, updateSchema).problems).toEqual([
			{
				field: 'id',
				rule: 'requireOneOf',
				message: expect.stringMatching(/Contact ID or an External Contact ID.*\('Contact ID' \(id\) and 'External Contact ID' \(external_id\) are empty or only spaces\)$/),
				oneOf: ['id', 'external_id'],
			},
		]);
		expect(validateRecord({ id: ' c1 ' }, updateSchema)).toEqual({ record: { id: 'c1' }, problems: [] });
	});

	it('turn gender and education names into the vendor codes', () => {
		const { record, problems } = validateRecord(
			{ pool: 'p', gender: 'Female', education: "bachelor's degree" },
			createSchema,
		);
		expect(problems).toEqual([]);
		expect(record).toMatchObject({ gender: 2, education: '05' });
		expect(validateRecord({ pool: 'p', gender: '男', education: 7 }, createSchema).record).toMatchObject({ gender: 1, education: '07' });
		expect(validateRecord({ pool: 'p', gender: 0, education: '03' }, createSchema).record).toMatchObject({ gender: 0, education: '03' });
		expect(validateRecord({ pool: 'p', gender: 'x' }, createSchema).problems[0]).toMatchObject({ field: 'gender', rule: 'enum' });
	});

	it('accept a region with - or / and at most three parts', () => {
		for (const region of ['四川省-成都市-武侯区', '四川省/成都市/武侯区', '四川省', '天津市-天津市']) {
			expect(validateRecord({ pool: 'p', prov_city: region }, createSchema).problems).toEqual([]);
		}
		expect(validateRecord({ pool: 'p', prov_city: 'a-b-c-d' }, createSchema).problems[0]).toMatchObject({ field: 'prov_city', rule: 'format' });
	});

	it('take contact method types by name or a custom type id', () => {
		const { record, problems } = validateRecord(
			{ pool: 'p', mobiles: [{ tel: 12500010002, type: 'Mobile', display: '手机号' }, { tel: 'wx-id', type: '11b90rp60zya' }] },
			createSchema,
		);
		expect(problems).toEqual([]);
		expect(record.mobiles).toEqual([{ tel: '12500010002', type: 'mobile', display: '手机号' }, { tel: 'wx-id', type: '11b90rp60zya' }]);
	});

	it('take custom fields in the vendor\'s own shape, and at most 5 files', () => {
		const vendorShape = {
			pool: 'p',
			custom_fields: [
				{ id: 'field01', string_value: 'x', type: 'text' },
				{ id: 'field71', array_value: ['a', 'b'], type: 'checkbox' },
				{ id: 'field15', array_value: ['组01=testttest'], type: 'multi-cascader' },
				{ id: 'field20', float_value: 3.5, type: 'Int' },
				{ id: 'field30', type: 'attachment', files_value: [{ name: 'a.pdf', url: 'https://x/a.pdf', file_type: 'pdf' }] },
			],
		};
		const { record, problems } = validateRecord(vendorShape, createSchema, { strict: true });
		expect(problems).toEqual([]);
		expect((record.custom_fields as unknown[])[3]).toEqual({ id: 'field20', float_value: 3.5, type: 'Int' });
		const file = { name: 'a', url: 'https://x/a' };
		const tooMany = validateRecord({ pool: 'p', custom_fields: [{ id: 'f', files_value: Array(6).fill(file) }] }, createSchema);
		expect(tooMany.problems[0]).toMatchObject({ field: 'custom_fields[0].files_value', rule: 'maxItems' });
		const notNumber = validateRecord({ pool: 'p', custom_fields: [{ id: 'f', float_value: 'abc' }] }, createSchema);
		expect(notNumber.problems[0]).toMatchObject({ field: 'custom_fields[0].float_value', rule: 'type' });
	});

	it("read a Number field's Value by the one number rule, the same as float_value, and refuse a decimal comma before sending", () => {
		const numbers = validateRecord(
			{ pool: 'p', custom_fields: [{ id: 'f1', type: 'Number', value: ' 12.5 ' }, { id: 'f2', type: 'Int', value: 7 }, { id: 'f3', type: 'text', value: '12,5' }] },
			createSchema,
		);
		expect(numbers.problems).toEqual([]);
		expect(numbers.record.custom_fields).toEqual([
			{ id: 'f1', type: 'number', value: 12.5 },
			{ id: 'f2', type: 'Int', value: 7 },
			{ id: 'f3', type: 'text', value: '12,5' },
		]);
		for (const slot of ['value', 'float_value']) {
			const { problems } = validateRecord({ pool: 'p', custom_fields: [{ id: 'f1', type: 'number', [slot]: '12,5' }] }, createSchema);
			expect(problems).toEqual([expect.objectContaining({ field: `custom_fields[0].${slot}`, rule: 'type' })]);
		}
		expect(validateRecord({ pool: 'p', custom_fields: [{ id: 'f1', type: 'float64', value: '1.5e3x' }] }, createSchema).problems).toEqual([
			{ field: 'custom_fields[0].value', rule: 'type', message: "'Custom Fields → Value' (custom_fields[0].value) must be a number ('Custom Fields → Field Type' (custom_fields[0].type) is a number type), got text of 6 characters" },
		]);
	});

	it('take tags and shared staff as lists or comma-separated text', () => {
		const { record } = validateRecord({ pool: 'p', tags: 't1, t2', share_uids: ['u1'] }, createSchema);
		expect(record).toMatchObject({ tags: ['t1', 't2'], share_uids: ['u1'] });
	});
});

describe('Dustess contact fields from a spreadsheet', () => {
	it('take an age as text, numbers as their digits, and leave empty cells out', () => {
		const { record, problems } = validateRecord(
			{ pool: 'p', age: ' 26 ', qq: 12345678901, wx: '', birthday: ' ', gender: null, tags: '', mobiles: [{ tel: 13800138000, type: '' }] },
			createSchema,
		);
		expect(problems).toEqual([]);
		expect(record).toEqual({ pool: 'p', age: 26, qq: '12345678901', mobiles: [{ tel: '13800138000' }] });
	});

	it('refuse an age out of range without repeating it', () => {
		expect(validateRecord({ pool: 'p', age: '1980' }, createSchema).problems).toEqual([
			{ field: 'age', rule: 'max', message: "'Age' (age) must be at most 150, got a number above it" },
		]);
	});

	it('take a custom number value given as a spreadsheet number, or as number text, as that number', () => {
		const { record } = validateRecord({ pool: 'p', custom_fields: [{ id: 'f1', float_value: 1e-7 }, { id: 'f2', float_value: ' 12.5 ' }] }, createSchema);
		expect(record.custom_fields).toEqual([
			{ id: 'f1', float_value: 1e-7 },
			{ id: 'f2', float_value: 12.5 },
		]);
	});
});

describe('Dustess node description', () => {
	const description = new DustessBatchCustomers().description;

	it('is named as the package lists it, with Success and Failure outputs', () => {
		expect(description).toMatchObject({
			name: 'dustessBatchCustomers',
			displayName: 'Dustess Batch Create Customers',
			outputNames: ['Success', 'Failure'],
			credentials: [{ name: 'dustessApi', required: true }],
		});
	});

	it('offers create and update, and a batch size of 50 by default up to 1000', () => {
		const operation = description.properties.find((property) => property.name === 'operation')!;
		expect(operation.options!.map((option) => (option as { value: string }).value)).toEqual(['create', 'update']);
		const options = description.properties.find((property) => property.name === 'options')!;
		const batchSize = (options.options as INodeProperties[]).find((option) => option.name === 'batchSize')!;
		expect(batchSize).toMatchObject({ default: 50, typeOptions: { maxValue: 1000 } });
	});

	it('shows the one-of-two rules as notices', () => {
		const notices = description.properties.filter((property) => property.type === 'notice').map((property) => property.displayName);
		expect(notices).toEqual([expect.stringContaining('Owner ID or a Pool ID'), expect.stringContaining('Contact ID or an External Contact ID')]);
	});
});
