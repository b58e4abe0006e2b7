import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { n8nHarness, outputsOrThrow } from '../helpers/n8nWorkflow';
import { useTestSandbox } from '../helpers/sandboxClient';
import {
	NXCLOUD_ACCESS_KEY,
	NXCLOUD_ACCESS_SECRET,
	NXCLOUD_APP_KEY,
	NXCLOUD_FORBIDDEN_ACCESS_KEY,
	NXCLOUD_TENANT_ID,
} from '../sandbox/vendors/nxcloud';
import { LOCALLY_INVALID, MIXED_SIZE, VENDOR_REJECTED, mixedCustomers, splitSizes } from './fixtures';

const sandbox = useTestSandbox();

const SEA_PATH = '/saas/sea/cdp/openapi/customers/batch_create';

const n8n = n8nHarness();

/** Input → NXCLOUD Batch Create Customers, run by n8n's engine; returns the node's two outputs or throws its error. */
async function run(items: IDataObject[], parameters: IDataObject = {}, credentials: IDataObject = {}, continueOnFail = false) {
	const result = await n8n.run({
		input: items,
		node: {
			type: 'nxCloudBatchCustomers',
			parameters: {
				edition: 'sea',
				tenantId: String(NXCLOUD_TENANT_ID),
				mode: 1,
				mappingMode: 'autoMapInputData',
				options: {},
				...parameters,
			},
			onError: continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
		},
		credentials: {
			nxCloudApi: {
				accessKey: NXCLOUD_ACCESS_KEY,
				accessSecret: NXCLOUD_ACCESS_SECRET,
				appSecretKey: NXCLOUD_APP_KEY,
				region: 'custom',
				baseUrl: `${sandbox.url}/nxcloud`,
				...credentials,
			},
		},
	});
	return outputsOrThrow(result);
}

const batchOf = (item: INodeExecutionData) => item.json.customerBatch as IDataObject;
const sentCustomers = async () =>
	(await sandbox.requests('nxcloud')).map((request) => (JSON.parse(request.rawBody).customers as IDataObject[]).map((customer) => customer.email));

describe('NXCLOUD Batch Create Customers against the sandbox', () => {
	it('runs a mixed 250-customer batch: locally invalid, vendor-rejected and valid, item by item', async () => {
		const items = mixedCustomers();
		const [success, failure] = await run(items, { options: { includeSentRecord: true } });

		const invalid = Object.keys(LOCALLY_INVALID).map(Number);
		const rejected = Object.keys(VENDOR_REJECTED).map(Number);
		const failed = [...invalid, ...rejected].sort((a, b) => a - b);
		const succeeded = items.map((_, index) => index).filter((index) => !failed.includes(index));

		expect(success.map((item) => (item.pairedItem as { item: number }).item)).toEqual(succeeded);
		expect(failure.map((item) => (item.pairedItem as { item: number }).item)).toEqual(failed);

		for (const item of success) {
			const index = (item.pairedItem as { item: number }).item;
			expect(item.json.email).toBe(items[index].email);
			expect(batchOf(item)).toMatchObject({ status: 'success', vendor: 'nxcloud', operation: 'create', result: { traceId: expect.stringMatching(/^trace-/) } });
			expect(batchOf(item).record).toMatchObject({
				first_name: items[index].first_name,
				birthday: '1990-05-17',
				gender: index % 3 === 0 ? 0 : 1,
				tagStr: `n8n,wave${index % 4}`,
				customize_field: JSON.stringify(items[index].customize_field),
			});
		}
		for (const item of failure) {
			const index = (item.pairedItem as { item: number }).item;
			const error = item.json.error as IDataObject;
			if (LOCALLY_INVALID[index]) {
				expect(error).toMatchObject({ code: 'INVALID_RECORD', retriable: false, field: LOCALLY_INVALID[index].field });
			} else {
				expect(error).toMatchObject({ code: 'VENDOR_REJECTED', retriable: false, vendorCode: 1002 });
				expect(error.message).toContain(VENDOR_REJECTED[index].message);
				// NXCLOUD's `customers[0].…` names the position in the request that isolated it: the message names the input item.
				expect(error.message).toMatch(new RegExp(`^input item ${index}, '[\\w ]+' \\(\\w+\\): `));
				expect(error.message).not.toContain('customers[');
			}
		}

		// 245 sent in batches of 100, 100 and 45; the two refused batches are split to isolate their one bad customer.
		const sizes = (await sandbox.requests('nxcloud')).map((request) => JSON.parse(request.rawBody).customers.length);
		expect(sizes).toEqual([...splitSizes(100, 9), ...splitSizes(100, 57), 45]);
		const store = await sandbox.store<{ customers: IDataObject[] }>('nxcloud');
		// Halves go out before the halves of halves, so the store holds them in another order than the input.
		expect(store.customers.map((customer) => String(customer.email)).sort()).toEqual(succeeded.map((index) => String(items[index].email)).sort());
		expect(MIXED_SIZE).toBe(succeeded.length + failed.length);
	});

	it('isolates one bad customer hidden in a batch of 100: it fails alone, its 99 neighbours succeed', async () => {
		const items = Array.from({ length: 100 }, (_, index) => ({ first_name: `F${index}`, last_name: `L${index}`, email: `c${index}@example.com` }));
		items[42].email = 'c42@blocked.example';
		const [success, failure] = await run(items);

		expect(success).toHaveLength(99);
		expect(success.every((item) => (item.pairedItem as { item: number }).item !== 42)).toBe(true);
		expect(failure).toHaveLength(1);
		expect(failure[0].pairedItem).toEqual({ item: 42 });
		expect(failure[0].json.error).toMatchObject({
			code: 'VENDOR_REJECTED',
			vendorCode: 1002,
			batch: 1,
			field: 'email',
			message: "input item 42, 'Email' (email): the tenant does not accept addresses at blocked.example",
		});

		// Exactly these calls: the whole batch, then both halves of each refused part, then the refused half's halves.
		const part = (from: number, to: number) => items.slice(from, to).map((item) => item.email);
		expect(await sentCustomers()).toEqual([
			part(0, 100), // refused (1002)
			part(0, 50), // refused
			part(50, 100), // stored
			part(0, 25), // stored
			part(25, 50), // refused
			part(25, 38), // stored
			part(38, 50), // refused
			part(38, 44), // refused
			part(44, 50), // stored
			part(38, 41), // stored
			part(41, 44), // refused
			part(41, 43), // refused
			part(43, 44), // stored
			part(41, 42), // stored
			part(42, 43), // refused: the bad customer, alone
		]);
		expect((await sandbox.requests('nxcloud')).every((request) => request.path === SEA_PATH)).toBe(true);
		const store = await sandbox.store<{ customers: IDataObject[] }>('nxcloud');
		expect(store.customers).toHaveLength(99);
	});

	it('re-signs and resends once after a timestamp rejection (1004), with a fresh ts and sign', async () => {
		await sandbox.inject({ vendor: 'nxcloud', type: 'status', status: 200, body: { code: 1004, message: 'timestamp expired', data: '', traceId: 'x' } });
		// A clock that moves on with every reading, so two attempts within one millisecond still differ.
		const realNow = Date.now.bind(Date);
		let ticks = 0;
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + ++ticks);
		const [success, failure] = await run([{ first_name: 'A', last_name: 'B', email: 'a@example.com' }]).finally(() => clock.mockRestore());
		expect(failure).toHaveLength(0);
		expect(success).toHaveLength(1);
		const requests = await sandbox.requests('nxcloud');
		expect(requests).toHaveLength(2);
		expect(requests[0].rawBody).toBe(requests[1].rawBody);
		expect(requests[0].headers.sign).not.toBe(requests[1].headers.sign);
		expect(Number(requests[1].headers.ts)).toBeGreaterThan(Number(requests[0].headers.ts));
		expect((await sandbox.store<{ customers: IDataObject[] }>('nxcloud')).customers).toHaveLength(1);
	});

	it('signs each retry after a 503 afresh', async () => {
		await sandbox.inject({ vendor: 'nxcloud', type: 'status', status: 503, retryAfter: 0 });
		const realNow = Date.now.bind(Date);
		let ticks = 0;
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + ++ticks);
		const [success] = await run([{ first_name: 'A', last_name: 'B' }]).finally(() => clock.mockRestore());
		expect(success).toHaveLength(1);
		const requests = await sandbox.requests('nxcloud');
		expect(requests).toHaveLength(2);
		expect(requests[0].headers.sign).not.toBe(requests[1].headers.sign);
	});

	it('stops after the one resend when the clock is off, and says to check the clock', async () => {
		await sandbox.configure('nxcloud', { clockOffsetMs: 120_000 });
		const items = [{ first_name: 'A', last_name: 'B' }, { first_name: 'C', last_name: 'D' }];
		await expect(run(items)).rejects.toThrow(/refused the request timestamp twice \(code 1004.*check the clock of the n8n server/);
		expect(await sandbox.requests('nxcloud')).toHaveLength(2);

		await sandbox.reset();
		await sandbox.configure('nxcloud', { clockOffsetMs: 120_000 });
		const [success, failure] = await run(items, { options: { batchSize: 1 } }, {}, true);
		expect(success).toHaveLength(0);
		expect(failure.map((item) => item.json.error)).toEqual([
			expect.objectContaining({ code: 'CONFIGURATION_ERROR', retriable: true, mayBeStored: false, vendorCode: 1004 }),
			expect.objectContaining({ code: 'NOT_SENT', retriable: true, message: expect.stringMatching(/clock of the n8n server/) }),
		]);
		expect(await sandbox.requests('nxcloud')).toHaveLength(2);
	});

	it('stops on a wrong secret (1003) with a message saying what to check, without leaking it', async () => {
		const attempt = run([{ first_name: 'A', last_name: 'B' }], {}, { accessSecret: 'wrong-secret-123' });
		await expect(attempt).rejects.toThrow(/signature \(code 1003\): check the access secret/);
		await expect(run([{ first_name: 'A', last_name: 'B' }], {}, { accessSecret: 'wrong-secret-123' })).rejects.not.toThrow(/wrong-secret-123/);
		expect(await sandbox.requests('nxcloud')).toHaveLength(2);
	});

	it.each([
		['an unknown access key', { accessKey: 'nobody-knows-me' }, {}],
		['a key without permission', { accessKey: NXCLOUD_FORBIDDEN_ACCESS_KEY, accessSecret: 'forbidden-secret' }, {}],
		['a tenant the key may not use', {}, { tenantId: '999' }],
	])('stops on %s (1005) and names what to check', async (_, credentials, parameters) => {
		await expect(run([{ first_name: 'A', last_name: 'B' }], parameters, credentials)).rejects.toThrow(/code 1005\): check the access key/);
	});

	it('sends every remaining customer to Failure on a credential error with continue-on-fail', async () => {
		const items = [{ first_name: 'A', last_name: 'B' }, { first_name: 'only' }, { first_name: 'C', last_name: 'D' }];
		const [success, failure] = await run(items, { options: { batchSize: 1 } }, { accessSecret: 'nope-nope' }, true);
		expect(success).toHaveLength(0);
		expect(failure.map((item) => (item.json.error as IDataObject).code)).toEqual(['CONFIGURATION_ERROR', 'INVALID_RECORD', 'NOT_SENT']);
		// The first call's 1003 stops the run: the third customer is never sent.
		expect(await sandbox.requests('nxcloud')).toHaveLength(1);
	});

	it('stops before sending on a Tenant ID that is no whole number, naming the parameter and the shape of the value', async () => {
		// Text that is no number at all is an issue n8n shows in the panel, and n8n does not run the workflow.
		await expect(run([{ first_name: 'A', last_name: 'B' }], { tenantId: 'tenant-144' })).rejects.toThrow(/'tenantId' expects a number/);
		await expect(run([{ first_name: 'A', last_name: 'B' }], { tenantId: '144.5' })).rejects.toThrow(
			"Invalid node parameter: 'Tenant ID' (tenantId) must be a whole number, got a number with a fraction",
		);
		const [success, failure] = await run([{ first_name: 'A', last_name: 'B' }], { tenantId: '144.5' }, {}, true);
		expect(success).toHaveLength(0);
		expect(failure[0].json.error).toMatchObject({ code: 'INVALID_RECORD', field: 'tenantId', nextStep: 'fixSettings', retriable: false });
		expect(await sandbox.requests('nxcloud')).toHaveLength(0);
	});

	it('creates standard-edition customers from fields mapped in the panel, with strict binding', async () => {
		const [success, failure] = await run(
			[{ name: '陈大文', phone: '85291234567' }, { name: 'Bad Phone', phone: '+852 9123' }],
			{
				edition: 'standard',
				mode: 0,
				strictBinding: true,
				options: { includeSentRecord: true },
				mappingMode: 'defineBelow',
				full_name: '={{ $json.name }}',
				additionalFields: {
					sms_phone: '={{ $json.phone }}',
					gender: 'Male',
					// A Date is read in the workflow's time zone (here the instance's, America/New_York): noon UTC is 29 February there too.
					birthday: "={{ new Date('1988-02-29T12:00:00Z') }}",
					tagStr: '={{ ["lead", "hk"] }}',
					customize_field: { entries: [{ name: 'customize_1_15', value: 'spring' }] },
					belong_seat_user: 'agent01',
					zalo: '12345',
				},
			},
		);
		expect(failure).toHaveLength(1);
		expect(failure[0].json.error).toMatchObject({ code: 'INVALID_RECORD', field: 'sms_phone' });
		expect(batchOf(success[0]).record).toEqual({
			full_name: '陈大文',
			sms_phone: '85291234567',
			gender: 1,
			birthday: '1988-02-29',
			tagStr: 'lead,hk',
			customize_field: '{"customize_1_15":"spring"}',
			belong_seat_user: 'agent01',
			zalo: '12345',
		});
		const [request] = await sandbox.requests('nxcloud');
		expect(request.path).toBe('/saas/cdp/openapi/customers/batch_create');
		expect(JSON.parse(request.rawBody)).toMatchObject({ type: 0, tenant_id: NXCLOUD_TENANT_ID, app_key: NXCLOUD_APP_KEY, strict_binding: true });
	});

	it('merges, replaces or keeps an existing customer as the Mode says', async () => {
		await run([{ first_name: 'Old', last_name: 'Name', email: 'same@example.com', country: 'China' }]);
		await run([{ first_name: 'Kept', last_name: 'X', email: 'same@example.com' }], { mode: 2 });
		await run([{ first_name: 'Merged', last_name: 'Y', email: 'same@example.com' }], { mode: 1 });
		let [stored] = (await sandbox.store<{ customers: IDataObject[] }>('nxcloud')).customers;
		expect(stored).toMatchObject({ first_name: 'Merged', country: 'China' });
		await run([{ first_name: 'Replaced', last_name: 'Z', email: 'same@example.com' }], { mode: 0 });
		[stored] = (await sandbox.store<{ customers: IDataObject[] }>('nxcloud')).customers;
		expect(stored).toMatchObject({ first_name: 'Replaced' });
		expect(stored.country).toBeUndefined();
		expect((await sandbox.requests('nxcloud')).map((request) => JSON.parse(request.rawBody).type)).toEqual([1, 2, 1, 0]);
	});

	it('stops with a configuration error, sending nothing, when the credential has no App Key', async () => {
		const items = [{ first_name: 'A', last_name: 'B' }, { first_name: 'C', last_name: 'D' }];
		await expect(run(items, {}, { appSecretKey: '  ' })).rejects.toThrow(/^The NXCLOUD API credential has no App Key: open the credential and enter your tenant's App Key/);
		const [success, failure] = await run(items, {}, { appSecretKey: undefined }, true);
		expect(success).toEqual([]);
		expect(failure.map((item) => item.json.error)).toEqual([
			expect.objectContaining({ code: 'NOT_SENT', retriable: true, mayBeStored: false, message: expect.stringMatching(/credential has no App Key/) }),
			expect.objectContaining({ code: 'NOT_SENT', retriable: true, mayBeStored: false }),
		]);
		expect(await sandbox.requests('nxcloud')).toHaveLength(0);
	});

	it('keeps a batch at 100 even when a larger batch size is asked for', async () => {
		const items = Array.from({ length: 101 }, (_, index) => ({ first_name: `F${index}`, last_name: 'L', email: `m${index}@example.com` }));
		const [success] = await run(items, { options: { batchSize: 500 } });
		expect(success).toHaveLength(101);
		expect((await sandbox.requests('nxcloud')).map((request) => JSON.parse(request.rawBody).customers.length)).toEqual([100, 1]);
	});
});

describe('NXCLOUD request parameters read per item, by the readers fields use', () => {
	const customersOf = async () =>
		(await sandbox.requests('nxcloud')).map((request) => {
			const body = JSON.parse(request.rawBody) as IDataObject;
			return { type: body.type, strict_binding: body.strict_binding, emails: (body.customers as IDataObject[]).map((customer) => customer.email) };
		});
	const storedByEmail = async () =>
		Object.fromEntries((await sandbox.store<{ customers: IDataObject[] }>('nxcloud')).customers.map((customer) => [customer.email, customer]));

	it('reads a blank Mode (null, "", spaces, nothing) as not given: Merge, so a stored customer keeps its other fields; Replace only when chosen', async () => {
		const names = ['null', 'empty', 'spaces', 'missing', 'replace'];
		await run(names.map((name) => ({ first_name: 'Old', last_name: name, email: `${name}@example.com`, country: 'China' })));
		const rows = [
			{ first_name: 'New', last_name: 'null', email: 'null@example.com', mode: null },
			{ first_name: 'New', last_name: 'empty', email: 'empty@example.com', mode: '' },
			{ first_name: 'New', last_name: 'spaces', email: 'spaces@example.com', mode: '   ' },
			{ first_name: 'New', last_name: 'missing', email: 'missing@example.com' },
			{ first_name: 'New', last_name: 'replace', email: 'replace@example.com', mode: ' Replace Existing Data ' },
		];
		const [success, failure] = await run(rows, { mode: '={{ $json.mode }}' });
		expect(failure).toEqual([]);
		expect(success).toHaveLength(5);

		const stored = await storedByEmail();
		for (const name of ['null', 'empty', 'spaces', 'missing']) expect(stored[`${name}@example.com`]).toMatchObject({ first_name: 'New', country: 'China' });
		expect(stored['replace@example.com']).toMatchObject({ first_name: 'New' });
		expect(stored['replace@example.com'].country).toBeUndefined();
		expect((await customersOf()).slice(1)).toEqual([
			{ type: 1, emails: ['null@example.com', 'empty@example.com', 'spaces@example.com', 'missing@example.com'] },
			{ type: 0, emails: ['replace@example.com'] },
		]);
	});

	it('reads Strict Binding given as text ("true", " TRUE ", "1") as true, and blank as its default false', async () => {
		const rows = [' true', ' TRUE ', '1', 'false', '', null].map((strict, index) => ({ name: `Strict ${index}`, email: `strict${index}@example.com`, strict }));
		const [success, failure] = await run(rows, {
			edition: 'standard',
			strictBinding: '={{ $json.strict }}',
			mappingMode: 'defineBelow',
			full_name: '={{ $json.name }}',
			additionalFields: { email: '={{ $json.email }}' },
		});
		expect(failure).toEqual([]);
		expect(success).toHaveLength(6);
		expect(await customersOf()).toEqual([
			{ type: 1, strict_binding: true, emails: ['strict0@example.com', 'strict1@example.com', 'strict2@example.com'] },
			{ type: 1, strict_binding: false, emails: ['strict3@example.com', 'strict4@example.com', 'strict5@example.com'] },
		]);
	});

	it('refuses a Strict Binding that is not true or false, naming the parameter and the shape of the value', async () => {
		const [success, failure] = await run([{ full_name: 'A', strict: 'yes please' }, { full_name: 'B', strict: 'TRUE' }], { edition: 'standard', strictBinding: '={{ $json.strict }}' });
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(failure.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(failure[0].json.error).toMatchObject({
			code: 'INVALID_RECORD',
			field: 'strictBinding',
			message: "Invalid node parameter: 'Strict Binding' (strictBinding) must be true or false (true/false in any case, or 1/0), got text of 10 characters",
		});
		expect(await sandbox.requests('nxcloud')).toHaveLength(1);
	});

	it.each([
		['Stop Workflow', 'stopWorkflow'],
		['Continue', 'continueRegularOutput'],
		['Continue (using error output)', 'continueErrorOutput'],
	] as const)(
		'fails only the item whose parameter expression throws, naming the parameter, and sends the others (On Error → %s)',
		async (_, onError) => {
			const rows = [
				{ first_name: 'A', last_name: 'Two', email: 'two@example.com', mode: '2' },
				{ first_name: 'B', last_name: 'Bad', email: 'bad@example.com', mode: 'two' },
				{ first_name: 'C', last_name: 'One', email: 'one@example.com', mode: '1' },
			];
			const result = await n8n.run({
				input: rows,
				node: {
					type: 'nxCloudBatchCustomers',
					parameters: { edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mode: '={{ $json.mode.toNumber() }}', mappingMode: 'autoMapInputData', options: {} },
					onError,
				},
				credentials: {
					nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${sandbox.url}/nxcloud` },
				},
			});
			expect(result.error).toBeUndefined();
			const [success, failure, errorOutput = []] = result.outputs;
			expect(success.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 2]);
			expect(success.every((item) => batchOf(item).status === 'success')).toBe(true);
			expect(failure.map((item) => (item.pairedItem as { item: number }).item)).toEqual([1]);
			expect(failure[0].json.error).toEqual({
				code: 'INVALID_RECORD',
				nextStep: 'fixSettings',
				retriable: false,
				mayBeStored: false,
				field: 'mode',
				message: "Could not read the node parameter 'Mode': cannot convert to number",
			});
			expect(errorOutput).toEqual([]);
			expect(await customersOf()).toEqual([
				{ type: 2, emails: ['two@example.com'] },
				{ type: 1, emails: ['one@example.com'] },
			]);
			expect(Object.keys(await storedByEmail()).sort()).toEqual(['one@example.com', 'two@example.com']);
		},
	);
});
