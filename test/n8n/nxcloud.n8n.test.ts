/**
 * NXCLOUD Batch Create Customers in a real n8n (the package installed as a community package),
 * against the sandbox, which checks every signature over the raw body it receives: a run that
 * passes proves n8n sends the adapter's string body byte for byte and calls the credential's
 * `authenticate` for every request, resends included.
 * N8N_TEST_LINES=1,2 also runs it on n8n 2.x (default: line 1 only).
 */
import type { IDataObject } from 'n8n-workflow';

import { startTestSandbox } from '../helpers/sandboxClient';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { LOCALLY_INVALID, VENDOR_REJECTED, mixedCustomers, splitSizes } from '../NxCloud/fixtures';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../sandbox/vendors/nxcloud';
import { buildWorkflow, createN8nInstance, itemsNode, manualTrigger, noOp } from './harness';
import type { Execution, N8nInstance, N8nLine, NodeSpec } from './harness';

jest.setTimeout(15 * 60_000);

const lines = (process.env.N8N_TEST_LINES ?? '1').split(',').map((line) => Number(line.trim()) as N8nLine);
const STANDARD_PATH = '/saas/cdp/openapi/customers/batch_create';
const WRONG_SECRET = 'definitely-not-the-secret';

type SentRequest = Awaited<ReturnType<SandboxHandle['requests']>>[number];
const customersOf = (request: SentRequest) => (request.rawBody ? ((JSON.parse(request.rawBody).customers ?? []) as IDataObject[]) : []);
const itemIndex = (item: { pairedItem?: unknown }) => (item.pairedItem as { item: number }).item;

describe.each(lines)('NXCLOUD on n8n line %i', (line) => {
	let sandbox: SandboxHandle;
	let n8n: N8nInstance;
	let runs: Map<string, Execution>;
	let requests: SentRequest[];
	let stored: IDataObject[];
	const ids: Record<'mixed' | 'oneBad' | 'standard' | 'wrongSecret' | 'perItem' | 'perItemContinue', string> = {
		mixed: '',
		oneBad: '',
		standard: '',
		wrongSecret: '',
		perItem: '',
		perItemContinue: '',
	};
	/**
	 * Request parameters from expressions, per item: the Tenant ID expression throws for item 1
	 * (`toNumber()` of a text that is no number); blank Modes are Merge; Strict Binding as text.
	 */
	const perItemRows = (prefix: string) => [
		{ full_name: `${prefix}0`, email: `${prefix}0@example.com`, tenant: String(NXCLOUD_TENANT_ID), mode: null, strict: 'true' },
		{ full_name: `${prefix}1`, email: `${prefix}1@example.com`, tenant: 'not a number', mode: 2, strict: 'false' },
		{ full_name: `${prefix}2`, email: `${prefix}2@example.com`, tenant: String(NXCLOUD_TENANT_ID), mode: '  ', strict: '' },
		{ full_name: `${prefix}3`, email: `${prefix}3@example.com`, tenant: String(NXCLOUD_TENANT_ID), mode: 'Keep Existing Data', strict: ' TRUE ' },
	];
	const perItemParameters = { edition: 'standard', tenantId: '={{ $json.tenant.toNumber() }}', mode: '={{ $json.mode }}', strictBinding: '={{ $json.strict }}' };
	const mixed = mixedCustomers();
	const hundred = Array.from({ length: 100 }, (_, index) => ({ first_name: `F${index}`, last_name: `L${index}`, email: `hundred${index}@example.com` }));
	hundred[42].email = 'hundred42@blocked.example';

	const nxcloudNode = (parameters: IDataObject, credentialId = 'nxcloudGood1', onError?: NodeSpec['onError']): NodeSpec => ({
		name: 'NXCLOUD',
		type: n8n.nodeType('nxCloudBatchCustomers'),
		typeVersion: 1,
		parameters: {
			resource: 'customer',
			operation: 'create',
			edition: 'sea',
			tenantId: String(NXCLOUD_TENANT_ID),
			mode: 1,
			mappingMode: 'autoMapInputData',
			options: {},
			...parameters,
		},
		credentials: { nxCloudApi: { id: credentialId, name: credentialId } },
		...(onError ? { onError } : {}),
	});

	const customerWorkflow = (name: string, items: IDataObject[], parameters: IDataObject = {}, credentialId?: string, onError?: NodeSpec['onError']) =>
		buildWorkflow({
			name,
			nodes: [manualTrigger(), itemsNode('Items', items), nxcloudNode(parameters, credentialId, onError), noOp('Succeeded'), noOp('Failed')],
			edges: [
				['Start', 'Items'],
				['Items', 'NXCLOUD'],
				['NXCLOUD', 'Succeeded', 0],
				['NXCLOUD', 'Failed', 1],
			],
		});

	beforeAll(async () => {
		sandbox = await startTestSandbox();
		n8n = await createN8nInstance({ line, install: 'community' });
		const baseUrl = `${sandbox.url}/nxcloud`;
		const credential = { accessKey: NXCLOUD_ACCESS_KEY, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl };
		await n8n.importCredentials([
			{ id: 'nxcloudGood1', name: 'nxcloudGood1', type: 'nxCloudApi', data: { ...credential, accessSecret: NXCLOUD_ACCESS_SECRET } },
			{ id: 'nxcloudWrong1', name: 'nxcloudWrong1', type: 'nxCloudApi', data: { ...credential, accessSecret: WRONG_SECRET } },
		]);
		[ids.mixed, ids.oneBad, ids.standard, ids.wrongSecret, ids.perItem, ids.perItemContinue] = await n8n.importWorkflows([
			// Success items carry the sent record, which the test compares, with Include Sent Record.
			customerWorkflow('nxcloud mixed 250', mixed, { options: { includeSentRecord: true } }),
			customerWorkflow('nxcloud one bad in 100', hundred),
			customerWorkflow(
				'nxcloud standard, mapped in the panel',
				[
					{ name: '陈大文', phone: '85291234567', born: '1988-02-29', campaign: 'spring' },
					{ name: 'Bad Phone', phone: '+852 9123', born: '1990-01-01', campaign: 'x' },
				],
				{
					edition: 'standard',
					mode: 0,
					strictBinding: true,
					options: { includeSentRecord: true },
					mappingMode: 'defineBelow',
					full_name: '={{ $json.name }}',
					additionalFields: {
						sms_phone: '={{ $json.phone }}',
						gender: 0,
						birthday: '={{ DateTime.fromISO($json.born) }}',
						tagStr: ['lead', 'hk'],
						customize_field: { entries: [{ name: 'customize_1_15', value: '={{ $json.campaign }}' }] },
					},
				},
			),
			customerWorkflow('nxcloud wrong secret', [{ first_name: 'A', last_name: 'B', email: 'wrong-secret@example.com' }], {}, 'nxcloudWrong1'),
			customerWorkflow('nxcloud parameters per item', perItemRows('stop'), perItemParameters),
			customerWorkflow('nxcloud parameters per item, On Error: Continue', perItemRows('continue'), perItemParameters, undefined, 'continueRegularOutput'),
		]);
		// The standard workflow's first call is refused for its timestamp: the node must resend it freshly signed.
		await sandbox.inject({ vendor: 'nxcloud', type: 'status', status: 200, path: STANDARD_PATH, body: { code: 1004, message: 'timestamp expired', data: '', traceId: 'ts' } });
		runs = await n8n.executeAll(Object.values(ids));
		requests = await sandbox.requests('nxcloud');
		stored = (await sandbox.store<{ customers: IDataObject[] }>('nxcloud')).customers;
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sandbox?.close();
	});

	it('routes a mixed 250-customer run item by item: locally invalid and vendor-rejected to Failure, the rest to Success', () => {
		const run = runs.get(ids.mixed)!;
		expect(run.ok).toBe(true);
		const failed = [...Object.keys(LOCALLY_INVALID), ...Object.keys(VENDOR_REJECTED)].map(Number).sort((a, b) => a - b);
		const succeeded = mixed.map((_, index) => index).filter((index) => !failed.includes(index));

		const success = run.output('NXCLOUD', 0);
		const failure = run.output('NXCLOUD', 1);
		expect(success.map(itemIndex)).toEqual(succeeded);
		expect(failure.map(itemIndex)).toEqual(failed);
		for (const item of success) {
			const index = itemIndex(item);
			expect(item.json.email).toBe(mixed[index].email);
			expect(item.json.customerBatch).toMatchObject({
				status: 'success',
				vendor: 'nxcloud',
				result: { traceId: expect.stringMatching(/^trace-/) },
				record: { first_name: mixed[index].first_name, birthday: '1990-05-17', tagStr: `n8n,wave${index % 4}` },
			});
		}
		for (const item of failure) {
			const index = itemIndex(item);
			if (LOCALLY_INVALID[index]) {
				expect(item.json.error).toMatchObject({ code: 'INVALID_RECORD', field: LOCALLY_INVALID[index].field });
			} else {
				expect(item.json.error).toMatchObject({ code: 'VENDOR_REJECTED', vendorCode: 1002, message: expect.stringContaining(VENDOR_REJECTED[index].message) });
			}
		}
		expect(run.json('Succeeded')).toHaveLength(succeeded.length);
		expect(run.json('Failed')).toHaveLength(failed.length);

		const mine = requests.filter((request) => customersOf(request).some((customer) => String(customer.sms_phone).startsWith('8613800')));
		expect(mine.map((request) => customersOf(request).length)).toEqual([...splitSizes(100, 9), ...splitSizes(100, 57), 45]);
		const emails = new Set(mixed.map((customer) => customer.email));
		// Halves are sent before the halves of halves, so the store holds them in another order than the input.
		const storedEmails = stored.filter((customer) => emails.has(customer.email)).map((customer) => String(customer.email));
		expect(storedEmails.sort()).toEqual(succeeded.map((index) => String(mixed[index].email)).sort());
	});

	it('fails the one bad customer of a batch of 100 alone, with exactly the calls that isolate it', () => {
		const run = runs.get(ids.oneBad)!;
		expect(run.output('NXCLOUD', 0).map(itemIndex)).toEqual(hundred.map((_, index) => index).filter((index) => index !== 42));
		expect(run.output('NXCLOUD', 1).map(itemIndex)).toEqual([42]);
		expect(run.json('NXCLOUD', 1)[0].error).toMatchObject({ code: 'VENDOR_REJECTED', vendorCode: 1002, message: expect.stringContaining('blocked.example') });

		const part = (from: number, to: number) => hundred.slice(from, to).map((customer) => customer.email);
		const mine = requests.filter((request) => customersOf(request).some((customer) => String(customer.email).startsWith('hundred')));
		expect(mine.map((request) => customersOf(request).map((customer) => customer.email))).toEqual([
			part(0, 100),
			part(0, 50),
			part(50, 100),
			part(0, 25),
			part(25, 50),
			part(25, 38),
			part(38, 50),
			part(38, 44),
			part(44, 50),
			part(38, 41),
			part(41, 44),
			part(41, 43),
			part(43, 44),
			part(41, 42),
			part(42, 43),
		]);
		expect(stored.filter((customer) => String(customer.email).startsWith('hundred'))).toHaveLength(99);
	});

	it('maps panel fields for the standard edition and resends a 1004 with a fresh ts and sign', () => {
		const run = runs.get(ids.standard)!;
		expect(run.ok).toBe(true);
		expect(run.json('NXCLOUD', 0)).toHaveLength(1);
		expect(run.json('NXCLOUD', 0)[0].customerBatch).toMatchObject({
			record: {
				full_name: '陈大文',
				sms_phone: '85291234567',
				gender: 0,
				birthday: '1988-02-29',
				tagStr: 'lead,hk',
				customize_field: '{"customize_1_15":"spring"}',
			},
		});
		expect(run.json('NXCLOUD', 1)).toEqual([expect.objectContaining({ error: expect.objectContaining({ code: 'INVALID_RECORD', field: 'sms_phone' }) })]);

		const standard = requests.filter((request) => request.path === STANDARD_PATH && customersOf(request).some((customer) => customer.full_name === '陈大文'));
		expect(standard).toHaveLength(2);
		expect(standard[0].rawBody).toBe(standard[1].rawBody);
		expect(JSON.parse(standard[1].rawBody)).toMatchObject({ type: 0, tenant_id: NXCLOUD_TENANT_ID, strict_binding: true });
		expect(standard[1].headers.sign).not.toBe(standard[0].headers.sign);
		expect(stored.filter((customer) => customer.full_name === '陈大文')).toHaveLength(1);
	});

	it('stops on a wrong secret with a message that says what to check and does not contain the secret', () => {
		const run = runs.get(ids.wrongSecret)!;
		expect(run.ok).toBe(false);
		expect(run.error).toMatch(/check the access secret/);
		expect(run.error).not.toContain(WRONG_SECRET);
		expect(stored.some((customer) => customer.email === 'wrong-secret@example.com')).toBe(false);
	});

	it.each([
		['Stop Workflow', 'perItem', 'stop'],
		['Continue', 'perItemContinue', 'continue'],
	] as const)(
		'reads request parameters per item (On Error → %s): a throwing expression fails its item only, blank Mode is Merge, Strict Binding as text',
		(_, id, prefix) => {
			const run = runs.get(ids[id])!;
			expect(run.ok).toBe(true);
			expect(run.output('NXCLOUD', 0).map(itemIndex)).toEqual([0, 2, 3]);
			expect(run.json('NXCLOUD', 0).every((item) => (item.customerBatch as IDataObject).status === 'success')).toBe(true);
			expect(run.output('NXCLOUD', 1).map(itemIndex)).toEqual([1]);
			expect(run.json('NXCLOUD', 1)[0].error).toMatchObject({
				code: 'INVALID_RECORD',
				field: 'tenantId',
				retriable: false,
				message: expect.stringMatching(/^Could not read the node parameter 'Tenant ID': /),
			});
			expect(run.json('Succeeded')).toHaveLength(3);
			expect(run.json('Failed')).toHaveLength(1);

			const mine = requests.filter((request) => customersOf(request).some((customer) => String(customer.email).startsWith(prefix)));
			expect(mine.map((request) => JSON.parse(request.rawBody) as IDataObject)).toEqual([
				expect.objectContaining({ type: 1, tenant_id: NXCLOUD_TENANT_ID, strict_binding: true, customers: [expect.objectContaining({ email: `${prefix}0@example.com` })] }),
				expect.objectContaining({ type: 1, tenant_id: NXCLOUD_TENANT_ID, strict_binding: false, customers: [expect.objectContaining({ email: `${prefix}2@example.com` })] }),
				expect.objectContaining({ type: 2, tenant_id: NXCLOUD_TENANT_ID, strict_binding: true, customers: [expect.objectContaining({ email: `${prefix}3@example.com` })] }),
			]);
			expect(stored.filter((customer) => String(customer.email).startsWith(prefix)).map((customer) => customer.email)).toEqual([
				`${prefix}0@example.com`,
				`${prefix}2@example.com`,
				`${prefix}3@example.com`,
			]);
		},
	);
});
