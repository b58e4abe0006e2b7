import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { createSchema, updateSchema } from '../../nodes/Thulium/fields';
import { ThuliumBatchCustomers } from '../../nodes/Thulium/ThuliumBatchCustomers.node';
import { fromParameterGroup } from '../../nodes/shared/schema/fromParameters';
import { validateRecord } from '../../nodes/shared/schema/validateRecord';
import { n8nHarness, outputsOrThrow } from '../helpers/n8nWorkflow';
import type { SandboxRequest } from '../sandbox/server';
import { createThulium, THULIUM_USER } from '../sandbox/vendors/thulium';

describe('Thulium email and phone_number: one value or several (VENDORS.md §3)', () => {
	it('send one value as text', () => {
		const { record, problems } = validateRecord({ surname: 'K', email: ' jan@example.com ', phone_number: 48600100200 }, createSchema);
		expect(problems).toEqual([]);
		expect(record).toEqual({ surname: 'K', email: 'jan@example.com', phone_number: '48600100200' });
	});

	it('send several values as a list of text, numbers from a spreadsheet as their digits', () => {
		const { record, problems } = validateRecord(
			{ surname: 'K', email: ['jan@example.com', 'biuro@example.com'], phone_number: [48600100200, ' +48 600 100 201 '] },
			createSchema,
		);
		expect(problems).toEqual([]);
		expect(record).toEqual({
			surname: 'K',
			email: ['jan@example.com', 'biuro@example.com'],
			phone_number: ['48600100200', '+48 600 100 201'],
		});
	});

	it('send a list with one value as that value, and leave out a list of empty entries', () => {
		expect(validateRecord({ surname: 'K', email: ['jan@example.com', '', '  '] }, createSchema).record).toEqual({ surname: 'K', email: 'jan@example.com' });
		expect(validateRecord({ surname: 'K', phone_number: ['', null] }, createSchema).record).toEqual({ surname: 'K' });
	});

	it('check each entry and name it by position, without its content', () => {
		const { problems } = validateRecord({ surname: 'K', email: ['jan@example.com', { address: 'x' }], phone_number: [['1', '2']] }, createSchema);
		expect(problems).toEqual([
			{ field: 'email[1]', rule: 'type', message: "'Email' (email[1]) must be text, got an object" },
			{ field: 'phone_number[0]', rule: 'type', message: "'Phone Number' (phone_number[0]) must be text, got a list of 2" },
		]);
	});

	it('behave the same on update', () => {
		const { record, problems } = validateRecord({ customer_id: 13, email: ['a@x.pl', 'b@x.pl'] }, updateSchema);
		expect(problems).toEqual([]);
		expect(record).toEqual({ customer_id: '13', email: ['a@x.pl', 'b@x.pl'] });
	});

	it('are multiple-values text parameters in the panel, read back as lists', () => {
		const properties = new ThuliumBatchCustomers().description.properties;
		const additional = properties.find((property) => property.name === 'additionalFields' && property.displayOptions?.show?.operation?.includes('create'))!;
		const email = (additional.options as INodeProperties[]).find((option) => option.name === 'email')!;
		expect(email).toMatchObject({ type: 'string', typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Email' }, default: [] });
		expect(email.description).toMatch(/One value or several; several are sent as a list/);

		// An entry may be an expression that gives a list itself.
		const values = fromParameterGroup({ surname: 'K', email: ['a@x.pl', ['b@x.pl', 'c@x.pl']], phone_number: [] }, createSchema.fields);
		expect(values).toEqual({ surname: 'K', email: ['a@x.pl', 'b@x.pl', 'c@x.pl'], phone_number: [] });
		expect(validateRecord(values, createSchema).record).toEqual({ surname: 'K', email: ['a@x.pl', 'b@x.pl', 'c@x.pl'] });
	});
});

describe('Thulium custom fields: an empty value clears a field only when the map names it', () => {
	it('send an empty entry of an input map as "" (Thulium clears that field)', () => {
		const { record } = validateRecord({ surname: 'K', custom_fields: { Loyalty: '', Segment: ' B2B ', Notes: null } }, createSchema);
		expect(record.custom_fields).toEqual({ Loyalty: '', Segment: 'B2B', Notes: '' });
	});

	it('send nothing for a panel row with an empty value (an empty cell behind an expression)', () => {
		const values = fromParameterGroup(
			{ surname: 'K', custom_fields: { entries: [{ name: 'Loyalty', value: '' }, { name: 'Segment', value: '  ' }, { name: 'Tier', value: 'Gold' }] } },
			createSchema.fields,
		);
		expect(validateRecord(values, createSchema).record).toEqual({ surname: 'K', custom_fields: { Tier: 'Gold' } });
		const onlyEmpty = fromParameterGroup({ surname: 'K', custom_fields: { entries: [{ name: 'Loyalty', value: '' }] } }, createSchema.fields);
		expect(validateRecord(onlyEmpty, createSchema).record).toEqual({ surname: 'K' });
	});

	it('send a map that names only fields with empty values, as an object or as JSON text: it clears them', () => {
		for (const named of [{ Loyalty: '' }, { Loyalty: null }, '{"Loyalty": ""}']) {
			expect(validateRecord({ surname: 'K', custom_fields: named }, createSchema).record).toEqual({ surname: 'K', custom_fields: { Loyalty: '' } });
		}
	});

	it('send nothing for an empty cell, spaces or an empty map in place of the whole field', () => {
		for (const empty of ['', '   ', null, {}, '{}', ' {} ']) {
			expect(validateRecord({ surname: 'K', custom_fields: empty }, createSchema).record).toEqual({ surname: 'K' });
		}
	});
});

describe('Thulium sandbox: email and phone_number as one value or a list', () => {
	const sandbox = createThulium();
	const authorization = `Basic ${Buffer.from(`${THULIUM_USER.login}:${THULIUM_USER.password}`).toString('base64')}`;
	const post = (customers: IDataObject[]) => {
		const request: SandboxRequest = {
			vendor: 'thulium',
			method: 'POST',
			path: '/api/batch/customers',
			query: {},
			headers: { authorization },
			rawBody: JSON.stringify({ customers }),
			json: { customers },
			at: 0,
		};
		return sandbox.handle(request) as { status: number; body: IDataObject };
	};

	it('accepts a list and checks every entry', () => {
		const answer = post([
			{ surname: 'A', email: ['a@x.pl', 'b@x.pl'], phone_number: ['48600100200', '+48 600 100 201'] },
			{ surname: 'B', email: ['a@x.pl', 'not-an-address'] },
			{ surname: 'C', phone_number: ['48600100200', '12-34'] },
			{ surname: 'D', email: 'd@x.pl', phone_number: '48600100202' },
		]);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			'0': { http_status: 201, customer_id: '1' },
			'1': { http_status: 400, message: 'E-mail address is invalid.' },
			'2': { http_status: 400, message: 'Phone number must be numeric.' },
			'3': { http_status: 201, customer_id: '2' },
		});
	});
});

describe('Thulium node: spreadsheet rows with Validate Only', () => {
	const n8n = n8nHarness();
	// Run by n8n's engine; nothing listens at the credential's address, so a request sent would fail the run.
	const run = async (items: IDataObject[], options: IDataObject = {}) =>
		outputsOrThrow(
			await n8n.run({
				input: items,
				node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { validateOnly: true, ...options } } },
				credentials: { thuliumApi: { baseUrl: 'http://127.0.0.1:1/api', login: 'u', password: 'p' } },
			}),
		);
	const row = { surname: 'Nowak', name: '', email: 'jan@example.com; ', phone_number: 48600100200, vip: 'TRUE', birthdate: '05/06/1980', company_id: ' ', note: null };

	it('refuses a day/month date without Date Order, naming the option and not the date', async () => {
		const [success, failure] = await run([row]);
		expect(success).toHaveLength(0);
		const error = failure[0].json.error as IDataObject;
		expect(error).toMatchObject({ code: 'INVALID_RECORD', field: 'birthdate' });
		expect(error.message).toContain('Options → Date Order');
		expect(error.message).not.toContain('05/06');
	});

	it('reads the row with Date Order set: checkbox text, a number as phone, empty cells left out', async () => {
		const [success, failure] = await run([row, { ...row, birthdate: '17.05.1980', vip: '0' }], { dateOrder: 'dmy', skipDuplicateRows: false });
		expect(failure).toHaveLength(0);
		expect(success.map((item) => (item.json.customerBatch as IDataObject).record)).toEqual([
			{ surname: 'Nowak', email: 'jan@example.com;', phone_number: '48600100200', vip: true, birthdate: '1980-06-05' },
			{ surname: 'Nowak', email: 'jan@example.com;', phone_number: '48600100200', vip: false, birthdate: '1980-05-17' },
		]);
	});

	it('offers Date Order in Options: year first by default, day or month first on request', () => {
		const options = new ThuliumBatchCustomers().description.properties.find((property) => property.name === 'options')!;
		const dateOrder = (options.options as INodeProperties[]).find((option) => option.name === 'dateOrder')!;
		expect(dateOrder).toMatchObject({ displayName: 'Date Order', type: 'options', default: 'ymd' });
		expect(dateOrder.options!.map((option) => (option as { value: string }).value)).toEqual(['dmy', 'mdy', 'ymd']);
	});
});

describe('Thulium custom_fields that name one field with an empty value', () => {
	const n8n = n8nHarness();

	it('clears it when given as JSON text, but sends nothing when given as the object the README shows ({"Loyalty": ""})', async () => {
		// Validate Only: nothing listens at the credential's address, and nothing is sent.
		const run = await n8n.run({
			input: [
				{ surname: 'Object', custom_fields: { Loyalty: '' } },
				{ surname: 'Text', custom_fields: '{"Loyalty": ""}' },
			],
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { validateOnly: true } } },
			credentials: { thuliumApi: { baseUrl: 'http://127.0.0.1:1/api', ...THULIUM_USER } },
		});
		const [success] = run.outputs;
		// README, Values from spreadsheets: `"custom_fields": {"Loyalty": ""}` clears *Loyalty*.
		expect(success.map((item) => ((item.json.customerBatch as IDataObject).record as IDataObject).custom_fields)).toEqual([{ Loyalty: '' }, { Loyalty: '' }]);
	});
});
