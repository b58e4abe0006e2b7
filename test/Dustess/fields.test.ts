import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { DustessBatchCustomers } from '../../nodes/Dustess/DustessBatchCustomers.node';
import { toVendorContact } from '../../nodes/Dustess/adapter';
import { createSchema, updateSchema } from '../../nodes/Dustess/fields';
import { validateRecord } from '../../nodes/shared/schema/validateRecord';
import { n8nHarness } from '../helpers/n8nWorkflow';
import type { WorkflowRun } from '../helpers/n8nWorkflow';
import { useTestSandbox } from '../helpers/sandboxClient';
import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';

jest.setTimeout(60_000);

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

describe('Dustess entries that carry no value', () => {
	it('leave out a custom field whose value slots are all empty, whatever its id and type say', () => {
		const { record, problems } = validateRecord(
			{ pool: 'p', custom_fields: [{ id: 'score', type: 'number', value: '' }, { id: 'note', type: 'text', value: '  ', string_value: null }, { id: 'tier', type: 'text', value: 'Gold' }] },
			createSchema,
		);
		expect(problems).toEqual([]);
		expect(record.custom_fields).toEqual([{ id: 'tier', type: 'text', value: 'Gold' }]);
		expect(validateRecord({ pool: 'p', custom_fields: [{ id: 'score', type: 'number' }] }, createSchema).record).toEqual({ pool: 'p' });
	});

	it('leave out a contact method whose number or value is empty, and keep the others', () => {
		const { record, problems } = validateRecord(
			{ pool: 'p', mobiles: [{ tel: '13900000001', type: 'mobile' }, { tel: '', type: 'landline', display: 'Landline' }, { tel: null, type: 'other' }] },
			createSchema,
		);
		expect(problems).toEqual([]);
		expect(record.mobiles).toEqual([{ tel: '13900000001', type: 'mobile' }]);
		// Only an empty number or value makes an entry "not given": a label alone is no contact method.
		expect(validateRecord({ pool: 'p', mobiles: [{ display: 'Mobile' }] }, createSchema).record).toEqual({ pool: 'p' });
	});
});

describe('Dustess custom fields of a date type', () => {
	it('read the Value of a Date field as every date is read, and send it as yyyy-MM-dd', () => {
		const read = (value: unknown, dateOrder?: 'dmy') => validateRecord({ pool: 'p', custom_fields: [{ id: 'since', type: 'Date', value }] }, createSchema, { dateOrder });
		expect(read('1980-05-17').record.custom_fields).toEqual([{ id: 'since', type: 'date', value: '1980-05-17' }]);
		expect(read(new Date(Date.UTC(1980, 4, 17, 12))).record.custom_fields).toEqual([{ id: 'since', type: 'date', value: '1980-05-17' }]);
		expect(read('05/06/1980', 'dmy').record.custom_fields).toEqual([{ id: 'since', type: 'date', value: '1980-06-05' }]);
		expect(read('05/06/1980').problems).toEqual([
			{
				field: 'custom_fields[0].value',
				rule: 'format',
				message:
					"'Custom Fields → Value' (custom_fields[0].value) is a date with the year last, whose day and month could be either way round (dd/MM/yyyy or MM/dd/yyyy), got text of 10 characters: set Options → Date Order to the order your data uses, or give yyyy-MM-dd",
			},
		]);
		expect(read('soon').problems[0].message).toBe(
			"'Custom Fields → Value' (custom_fields[0].value) must be a date ('Custom Fields → Field Type' (custom_fields[0].type) is a date type) (yyyy-MM-dd, an ISO date-time, dd.MM.yyyy or yyyy/MM/dd; for dd/MM/yyyy or MM/dd/yyyy set Options → Date Order), got text of 4 characters",
		);
	});

	it('read the Value of a Date and Time field as a date and time, sent as yyyy-MM-dd HH:mm:ss with the time as written', () => {
		const read = (value: unknown) => validateRecord({ pool: 'p', custom_fields: [{ id: 'seen', type: 'datetime', value }] }, createSchema, { timeZone: 'Asia/Shanghai' });
		expect(read('2024-05-17T14:30:00+02:00').record.custom_fields).toEqual([{ id: 'seen', type: 'datetime', value: '2024-05-17 14:30:00' }]);
		expect(read('2024-05-17').record.custom_fields).toEqual([{ id: 'seen', type: 'datetime', value: '2024-05-17 00:00:00' }]);
		expect(read(new Date('2024-05-17T06:30:05Z')).record.custom_fields).toEqual([{ id: 'seen', type: 'datetime', value: '2024-05-17 14:30:05' }]);
		expect(read('2024-05-17 25:00').problems.map((problem) => problem.rule)).toEqual(['format']);
	});

	it('send a date value as string_value, the slot Dustess documents for date types', () => {
		const { record } = validateRecord({ pool: 'p', custom_fields: [{ id: 'since', type: 'date', value: '17.05.1980' }] }, createSchema);
		expect(toVendorContact(record).custom_fields).toEqual([{ id: 'since', type: 'date', string_value: '1980-05-17' }]);
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

describe('Dustess fields in n8n\'s engine', () => {
	const sandbox = useTestSandbox();

	const n8n = n8nHarness();
	const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
	const recordOf = (item: INodeExecutionData) => (item.json.customerBatch as IDataObject).record as IDataObject;
	const sentContacts = async () =>
		(await sandbox.requests('dustess')).filter((request) => request.path.startsWith('/customer/')).flatMap((request) => JSON.parse(request.rawBody).customer_list as IDataObject[]);

	function runDustess(input: IDataObject[], parameters: IDataObject): Promise<WorkflowRun> {
		return n8n.run({
			input,
			node: { type: 'dustessBatchCustomers', parameters: { mappingMode: 'defineBelow', ...parameters, options: { maxRetries: 0, includeSentRecord: true } } },
			credentials: { dustessApi: { baseUrl: `${sandbox.url}/dustess`, ...DUSTESS_CLIENT } },
		});
	}

	describe('Dustess: an empty cell behind a panel row', () => {
		it('a Custom Fields row whose Value cell is empty is still sent, as {id, type} without a value (on an update, a Go-style decoder reads float_value 0 / string_value "")', async () => {
			const run = await runDustess([{ contactId: 'c-1', score: '', note: '' }], {
				operation: 'update',
				additionalFields: {
					id: '={{ $json.contactId }}',
					custom_fields: {
						values: [
							{ id: 'score', type: 'number', value: '={{ $json.score }}' },
							{ id: 'note', type: 'text', value: '={{ $json.note }}' },
						],
					},
				},
			});
			expect(run.error).toBeUndefined();
			const [contact] = await sentContacts();
			expect(contact).toBeDefined();
			// Nothing was given for either custom field: nothing about them belongs in the request.
			expect(contact.custom_fields).toBeUndefined();
		});

		it('a Contact Methods row whose number cell is empty fails the whole contact as INVALID_RECORD instead of being "not given"', async () => {
			const run = await runDustess([{ mobile: '13900000001', landline: '' }], {
				operation: 'create',
				additionalFields: {
					pool: 'pool-1',
					mobiles: {
						values: [
							{ tel: '={{ $json.mobile }}', type: 'mobile', display: 'Mobile' },
							{ tel: '={{ $json.landline }}', type: 'landline', display: 'Landline' },
						],
					},
				},
			});
			expect(run.error).toBeUndefined();
			const [success, failure] = run.outputs;
			expect(failure.map((item) => errorOf(item).message)).toEqual([]);
			expect(success.map(recordOf)).toEqual([{ pool: 'pool-1', mobiles: [{ tel: '13900000001', type: 'mobile', display: 'Mobile' }] }]);
		});
	});

	describe('Dustess: a custom field of type Date', () => {
		it('bypasses the date reader: "05/06/1980" (refused as ambiguous for birthday) is sent as written, and a JavaScript Date fails as "must be text"', async () => {
			const customField = (value: string): IDataObject => ({ pool: 'pool-1', birthday: value, custom_fields: [{ id: 'since', type: 'date', value }] });
			const run = await n8n.run({
				input: [customField('1980-05-17'), { pool: 'pool-1', custom_fields: [{ id: 'since', type: 'date', value: '05/06/1980' }] }, { pool: 'pool-1', custom_fields: [{ id: 'since', type: 'date', value: new Date(Date.UTC(1980, 4, 17, 12)) }] }],
				node: { type: 'dustessBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { validateOnly: true } } },
				credentials: { dustessApi: { baseUrl: `${sandbox.url}/dustess`, ...DUSTESS_CLIENT } },
			});
			const [success, failure] = run.outputs;
			const byIndex = new Map<number, string>();
			for (const item of success) byIndex.set((item.pairedItem as { item: number }).item, `sent ${JSON.stringify(((recordOf(item).custom_fields as IDataObject[])[0]).value)}`);
			for (const item of failure) byIndex.set((item.pairedItem as { item: number }).item, `${errorOf(item).code}: ${errorOf(item).message}`);
			expect(byIndex.get(0)).toBe('sent "1980-05-17"');
			// Read as every date is: the ambiguous form refused and named, the Date object read as its day.
			expect(byIndex.get(1)).toMatch(/^INVALID_RECORD: .*Date Order/);
			expect(byIndex.get(2)).toBe('sent "1980-05-17"');
		});
	});
});
