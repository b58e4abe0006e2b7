/**
 * Input items → records, on n8n's own engine (the harness) against the Thulium sandbox: values
 * that are no customer data fail their own item only, and Date objects are read in the
 * workflow's time zone, as n8n shows them.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { MAX_NESTING } from '../../../nodes/shared/schema/values';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import type { RunOptions } from '../../helpers/n8nWorkflow';
import { useTestSandbox } from '../../helpers/sandboxClient';
import { allText } from '../../helpers/secretsScan';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET } from '../../sandbox/vendors/nxcloud';

jest.setTimeout(60_000);

const sandbox = useTestSandbox();

const n8n = n8nHarness();

function thulium(input: IDataObject[], parameters: IDataObject = {}, options: Partial<RunOptions> = {}, onError: RunOptions['node']['onError'] = 'stopWorkflow') {
	return n8n.run({
		input,
		// Success items carry the sent record: what these tests check.
		node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { includeSentRecord: true }, ...parameters }, onError },
		credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, login: 'api_user', password: 'api_pass' } },
		...options,
	});
}

const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
const indexOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
const recordOf = (item: INodeExecutionData) => (item.json.customerBatch as IDataObject).record as IDataObject;
const storedSurnames = async () => (await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers.map((customer) => customer.surname);

/** A list nested `levels` deep. */
function nestedList(levels: number): unknown {
	let value: unknown = 'x';
	for (let level = 0; level < levels; level++) value = [value];
	return value;
}

describe('a value nested thousands of levels deep', () => {
	it.each(['stopWorkflow', 'continueRegularOutput'] as const)('fails only its own item, naming the field; the others are stored (On Error: %s)', async (onError) => {
		const input = [
			{ surname: 'A' },
			{ surname: 'Deep', phone_number: nestedList(10_000) },
			{ surname: 'B' },
			{ surname: 'Deeper', custom_fields: { notes: nestedList(100_000) } },
			{ surname: 'C', address: { city: nestedList(100_000) } },
		] as IDataObject[];
		const run = await thulium(input, {}, {}, onError);
		expect(run.error).toBeUndefined();
		const [success, failure] = run.outputs;
		expect(success.map(indexOf)).toEqual([0, 2]);
		expect(failure.map(indexOf)).toEqual([1, 3, 4]);
		expect(failure.map((item) => errorOf(item).field)).toEqual(['phone_number', 'custom_fields', 'address']);
		for (const item of failure) {
			expect(errorOf(item)).toMatchObject({ code: 'INVALID_RECORD', retriable: false, mayBeStored: false });
			expect(errorOf(item).message).toMatch(new RegExp(`^Invalid customer: '[\\w ]+' \\(\\w+\\) holds lists or objects nested more than ${MAX_NESTING} levels deep$`));
		}
		expect(await storedSurnames()).toEqual(['A', 'B']);
	});

	it('fails only its own item when a field mapped in the panel gives it', async () => {
		const run = await thulium([{ last: 'A' }, { last: 'B', deep: nestedList(100_000) }, { last: 'C', deep: nestedList(10_000) }, { last: 'D' }] as IDataObject[], {
			mappingMode: 'defineBelow',
			surname: '={{ $json.last }}',
			additionalFields: { custom_fields: { entries: [{ name: 'notes', value: '={{ $json.deep }}' }] } },
		});
		const [success, failure] = run.outputs;
		expect(success.map(indexOf)).toEqual([0, 3]);
		expect(failure.map((item) => [indexOf(item), errorOf(item).code])).toEqual([
			[1, 'INVALID_RECORD'],
			[2, 'INVALID_RECORD'],
		]);
		// n8n's own reading of the expression overflows first; the message says so, and nothing of the value.
		expect(errorOf(failure[0]).message).toBe('Could not read the mapped fields: a value is nested too deeply to read (stack overflow)');
		expect(await storedSurnames()).toEqual(['A', 'D']);
	});
});

describe('keys JavaScript reserves', () => {
	it('fail their item as INVALID_RECORD naming the path, in custom fields given as an object or JSON text, in nested objects and at the top', async () => {
		const input = [
			{ surname: 'A', custom_fields: { Loyalty: 'gold' } },
			{ surname: 'Proto', custom_fields: JSON.parse('{"Loyalty": "gold", "__proto__": "x"}') },
			{ surname: 'Constructor', custom_fields: { constructor: 'y' } },
			{ surname: 'Text', custom_fields: '{"prototype": "z"}' },
			{ surname: 'Nested', address: JSON.parse('{"city": "Kraków", "__proto__": {"city": "Elsewhere"}}') },
			JSON.parse('{"surname": "Top", "__proto__": {"vip": true}}'),
		] as IDataObject[];
		const run = await thulium(input);
		const [success, failure] = run.outputs;
		expect(success.map(indexOf)).toEqual([0]);
		expect(recordOf(success[0])).toEqual({ surname: 'A', custom_fields: { Loyalty: 'gold' } });
		expect(failure.map((item) => [indexOf(item), errorOf(item).code, errorOf(item).field])).toEqual([
			[1, 'INVALID_RECORD', 'custom_fields.__proto__'],
			[2, 'INVALID_RECORD', 'custom_fields.constructor'],
			[3, 'INVALID_RECORD', 'custom_fields.prototype'],
			[4, 'INVALID_RECORD', 'address.__proto__'],
			[5, 'INVALID_RECORD', '__proto__'],
		]);
		expect(errorOf(failure[0]).message).toBe(
			"Invalid customer: 'Custom Fields → __proto__' (custom_fields.__proto__) uses a name JavaScript reserves (__proto__, constructor, prototype): rename that key",
		);
		expect(await storedSurnames()).toEqual(['A']);
	});

	it('fail their item when a Custom Fields row in the panel is named so', async () => {
		const run = await thulium([{ last: 'A', field: 'Loyalty' }, { last: 'B', field: '__proto__' }, { last: 'C', field: 'constructor' }], {
			mappingMode: 'defineBelow',
			surname: '={{ $json.last }}',
			additionalFields: { custom_fields: { entries: [{ name: '={{ $json.field }}', value: 'gold' }] } },
		});
		const [success, failure] = run.outputs;
		expect(success.map((item) => recordOf(item))).toEqual([{ surname: 'A', custom_fields: { Loyalty: 'gold' } }]);
		expect(failure.map((item) => [indexOf(item), errorOf(item).field])).toEqual([
			[1, 'custom_fields.__proto__'],
			[2, 'custom_fields.constructor'],
		]);
		expect(await storedSurnames()).toEqual(['A']);
	});
});

describe('Date objects', () => {
	// The same instant: midnight of 3 February 1990 in Tokyo, 2 February in UTC and further west.
	const tokyoMidnight = new Date('1990-02-03T00:00:00+09:00');
	// Evening of 2 February 1990 in Los Angeles: already 3 February in UTC.
	const losAngelesEvening = new Date('1990-02-02T19:00:00-08:00');

	const birthdates = async (timezone: string | undefined, parameters: IDataObject = {}) => {
		const run = await thulium(
			[{ surname: 'Tokyo', birthdate: tokyoMidnight }, { surname: 'LA', birthdate: losAngelesEvening }, { surname: 'Text', birthdate: '1990-02-03T00:00:00+09:00' }],
			parameters,
			timezone ? { settings: { timezone } } : {},
		);
		expect(run.outputs[1]).toEqual([]);
		return run.outputs[0].map((item) => recordOf(item).birthdate);
	};

	it('are read as the day they fall on in the workflow time zone (east of UTC)', async () => {
		expect(await birthdates('Asia/Tokyo')).toEqual(['1990-02-03', '1990-02-03', '1990-02-03']);
		const stored = (await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers;
		expect(stored.map((customer) => customer.birthdate)).toEqual(['1990-02-03', '1990-02-03', '1990-02-03']);
	});

	it('are read as the day they fall on in the workflow time zone (west of UTC)', async () => {
		expect(await birthdates('America/Los_Angeles')).toEqual(['1990-02-02', '1990-02-02', '1990-02-03']);
	});

	it("are read in the instance's time zone when the workflow sets none", async () => {
		// n8n's default instance zone (GENERIC_TIMEZONE unset) is America/New_York.
		expect(await birthdates(undefined)).toEqual(['1990-02-02', '1990-02-02', '1990-02-03']);
	});

	it('are read the same way through a field mapped in the panel', async () => {
		const mapped = { mappingMode: 'defineBelow', surname: '={{ $json.surname }}', additionalFields: { birthdate: '={{ $json.birthdate }}' } };
		expect(await birthdates('Asia/Tokyo', mapped)).toEqual(['1990-02-03', '1990-02-03', '1990-02-03']);
	});
});

describe('an exception while reading one item', () => {
	it.each(['stopWorkflow', 'continueRegularOutput'] as const)('fails that item only, as INVALID_RECORD naming no content (On Error: %s)', async (onError) => {
		// A value whose keys cannot be listed: reading it throws, as a bug in a place not foreseen would.
		const unlistable = new Proxy({}, { ownKeys: () => { throw new Error('secret-content-7731'); } });
		const run = await thulium([{ surname: 'A' }, { surname: 'B', custom_fields: unlistable }, { surname: 'C' }], {}, {}, onError);
		expect(run.error).toBeUndefined();
		const [success, failure] = run.outputs;
		expect(success.map(indexOf)).toEqual([0, 2]);
		expect(failure.map(indexOf)).toEqual([1]);
		expect(errorOf(failure[0])).toEqual({
			code: 'INVALID_RECORD',
			message: 'The customer could not be read: an unexpected Error. It was not sent',
			nextStep: 'fixData',
			retriable: false,
			mayBeStored: false,
		});
		expect(await storedSurnames()).toEqual(['A', 'C']);
	});
});

describe('an expression that fails on a customer value', () => {
	it('an expression that fails on a customer value (a mapped field, a request parameter) names no customer value in its message', async () => {
		const run = await n8n.run({
			input: [{ raw: 'Jan Kowalski +48600100200', tenant: 'Jan Kowalski +48600100200' }],
			node: {
				type: 'nxCloudBatchCustomers',
				parameters: {
					edition: 'sea',
					tenantId: '={{ $json.tenant.toInt() }}',
					mappingMode: 'defineBelow',
					first_name: '={{ $json.raw.toNumber() }}',
					last_name: '={{ $json.raw.toDateTime().toISO() }}',
					options: { validateOnly: true },
				},
			},
			credentials: { nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: 'k', region: 'custom', baseUrl: `${sandbox.url}/nxcloud` } },
		});
		const failure = run.outputs[1] ?? [];
		expect(failure).toHaveLength(1);
		expect((failure[0].json.error as IDataObject).code).toBe('INVALID_RECORD');
		expect((failure[0].json.error as IDataObject).message).toMatch(/cannot convert/);
		const text = allText([failure[0].json.error, run.hints, run.logs]);
		for (const part of ['Kowalski', '48600100200']) expect(text).not.toContain(part);
	});
});
