/**
 * Review of issue 15 (items 1-3, 10-13): values the nodes read. The promise (README, "Values from
 * spreadsheets"): an empty cell is "not given", for every type — left out of the request, never
 * refused as invalid and never sent, so an empty cell never clears what the vendor has; dates go
 * out as yyyy-MM-dd; every value is read by the same readers.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { clearTokenCache } from '../../nodes/Dustess/accessToken';
import { n8nHarness } from '../helpers/n8nWorkflow';
import type { WorkflowRun } from '../helpers/n8nWorkflow';
import { startTestSandbox } from '../helpers/sandboxClient';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../sandbox/vendors/nxcloud';
import { THULIUM_USER } from '../sandbox/vendors/thulium';

jest.setTimeout(60_000);

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(async () => sandbox.close());
beforeEach(async () => {
	await sandbox.reset();
	clearTokenCache();
});

const n8n = n8nHarness();
const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
const recordOf = (item: INodeExecutionData) => (item.json.customerBatch as IDataObject).record as IDataObject;
const sentContacts = async () =>
	(await sandbox.requests('dustess')).filter((request) => request.path.startsWith('/customer/')).flatMap((request) => JSON.parse(request.rawBody).customer_list as IDataObject[]);

function runDustess(input: IDataObject[], parameters: IDataObject): Promise<WorkflowRun> {
	return n8n.run({
		input,
		node: { type: 'dustessBatchCustomers', parameters: { mappingMode: 'defineBelow', ...parameters, options: { maxRetries: 0 } } },
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

describe('dates before the year 1000', () => {
	it('are accepted and sent with a three-digit year ("999-05-17"), not as yyyy-MM-dd', async () => {
		const run = await n8n.run({
			input: [{ surname: 'Old', birthdate: '0999-05-17' }],
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { validateOnly: true } } },
			credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
		});
		const [success, failure] = run.outputs;
		const outcome = success.length ? recordOf(success[0]).birthdate : errorOf(failure[0]).code;
		expect(['0999-05-17', 'INVALID_RECORD']).toContain(outcome);
	});
});

describe('Skip Duplicate Rows and request parameters', () => {
	it('two NXCLOUD rows with the same phone and tenant are both sent when only their Mode differs', async () => {
		const run = await n8n.run({
			input: [
				{ first_name: 'Ann', last_name: 'Lee', sms_phone: '48600100200', mode: 'merge' },
				{ first_name: 'Ann', last_name: 'Lee', sms_phone: '48600100200', mode: 'keep' },
			],
			node: {
				type: 'nxCloudBatchCustomers',
				parameters: { edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mode: '={{ $json.mode }}', mappingMode: 'autoMapInputData', options: { maxRetries: 0 } },
			},
			credentials: { nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${sandbox.url}/nxcloud` } },
		});
		expect(run.error).toBeUndefined();
		const [, failure] = run.outputs;
		expect(failure.map((item) => [errorOf(item).code, errorOf(item).duplicateOf])).toEqual([['DUPLICATE_IN_INPUT', 0]]);
	});
});

describe('Thulium custom_fields that name one field with an empty value', () => {
	it('clears it when given as JSON text, but sends nothing when given as the object the README shows ({"Loyalty": ""})', async () => {
		const run = await n8n.run({
			input: [
				{ surname: 'Object', custom_fields: { Loyalty: '' } },
				{ surname: 'Text', custom_fields: '{"Loyalty": ""}' },
			],
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { validateOnly: true } } },
			credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
		});
		const [success] = run.outputs;
		// README, Values from spreadsheets: `"custom_fields": {"Loyalty": ""}` clears *Loyalty*.
		expect(success.map((item) => recordOf(item).custom_fields)).toEqual([{ Loyalty: '' }, { Loyalty: '' }]);
	});
});

describe('attacks that held', () => {
	it('NXCLOUD Mode from an expression: blank in any form is Merge (type 1), an explicit 0 or "replace" is Replace, anything else fails its item only', async () => {
		const modes: unknown[] = [null, '', '   ', [], {}, ' 0 ', 'replace', Number.NaN, 'yes'];
		const run = await n8n.run({
			input: modes.map((mode, index) => ({ first_name: 'Ann', last_name: `L${index}`, mode }) as IDataObject),
			node: {
				type: 'nxCloudBatchCustomers',
				parameters: { edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mode: '={{ $json.mode }}', mappingMode: 'autoMapInputData', options: { maxRetries: 0 } },
			},
			credentials: { nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${sandbox.url}/nxcloud` } },
		});
		const [success, failure] = run.outputs;
		const sent = (await sandbox.requests('nxcloud')).map((request) => JSON.parse(request.rawBody) as { type: number; customers: IDataObject[] });
		const typeOf = new Map(sent.flatMap((body) => body.customers.map((customer) => [customer.last_name, body.type] as const)));
		expect(success.map((item) => typeOf.get(item.json.last_name as string))).toEqual([1, 1, 1, 1, 1, 0, 0]);
		expect(failure.map((item) => [(item.json.error as IDataObject).code, (item.json.error as IDataObject).field])).toEqual([
			['INVALID_RECORD', 'mode'],
			['INVALID_RECORD', 'mode'],
		]);
	});
});
