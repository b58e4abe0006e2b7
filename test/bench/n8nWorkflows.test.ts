import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { n8nHarness, outputsOrThrow } from '../helpers/n8nWorkflow';
import { startTestSandbox } from '../helpers/sandboxClient';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { NODE_UNDER_TEST, credentials, customersCode, ourNodeWorkflow } from './n8nWorkflows';
import type { Mapping, Records, Vendor } from './n8nWorkflows';

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(async () => sandbox.close());

const n8n = n8nHarness();
const COUNT = 150;

/** The benchmark's workflow for this vendor, mapping and kind of customer, run by n8n's engine in process. */
async function runBench(vendor: Vendor, mapping: Mapping, records: Records) {
	// As in the benchmark, every run starts with an empty store (Dustess refuses a known phone number).
	await sandbox.reset();
	await sandbox.configure('dustess', { maxBatch: 100 });
	const workflow = ourNodeWorkflow('test', { vendor, mapping, records, concurrency: 2, count: COUNT, nodeType: (name) => name });
	const node = workflow.nodes.find((candidate) => candidate.name === NODE_UNDER_TEST)!;
	const code = (workflow.nodes.find((candidate) => candidate.name === 'Customers')!.parameters as { jsCode: string }).jsCode;
	// The Code node's JavaScript, run here as n8n's Code node would run it.
	const items = new Function(code)() as INodeExecutionData[];
	const credential = credentials(sandbox.url).find((candidate) => candidate.type === Object.keys((node as { credentials: object }).credentials)[0])!;
	const run = await n8n.run({
		input: items.map((item) => item.json),
		// The sent records are what these tests compare: Success items carry them with this option.
		node: { type: node.type, parameters: { ...(node.parameters as IDataObject), options: { ...((node.parameters as IDataObject).options as IDataObject), includeSentRecord: true } } },
		credentials: { [credential.type]: credential.data },
	});
	return { items, outputs: outputsOrThrow(run) };
}

const sentRecords = (success: INodeExecutionData[]) => success.map((item) => (item.json.customerBatch as IDataObject).record as IDataObject);

describe('the benchmark workflows', () => {
	it('make unique simple customers of the six fields a short export has', () => {
		const items = new Function(customersCode(3, 'export'))() as INodeExecutionData[];
		expect(items.map((item) => Object.keys(item.json))).toEqual(Array(3).fill(['row', 'lastName', 'firstName', 'email', 'phone', 'birthday', 'city']));
		expect(new Set(items.map((item) => item.json.email)).size).toBe(3);
	});

	const FIELDS: Record<Vendor, number> = { thulium: 23, nxcloud: 14, dustess: 25 };
	for (const vendor of ['thulium', 'nxcloud', 'dustess'] as Vendor[]) {
		it(`send every ${vendor} full customer with all ${FIELDS[vendor]} fields, the same record whether auto-mapped or mapped by expression`, async () => {
			const auto = await runBench(vendor, 'auto', 'full');
			expect(auto.outputs[1]).toEqual([]);
			expect(auto.outputs[0]).toHaveLength(COUNT);
			const records = sentRecords(auto.outputs[0]);
			for (const record of records) expect(Object.keys(record)).toHaveLength(FIELDS[vendor]);

			const mapped = await runBench(vendor, 'mapped', 'full');
			expect(mapped.outputs[1]).toEqual([]);
			expect(sentRecords(mapped.outputs[0])).toEqual(records);
		});

		it(`send every ${vendor} simple customer, auto-mapped and mapped by expression`, async () => {
			for (const mapping of ['auto', 'mapped'] as Mapping[]) {
				const { outputs } = await runBench(vendor, mapping, 'simple');
				expect([outputs[0].length, outputs[1].length]).toEqual([COUNT, 0]);
			}
		});
	}

	it('fill the full Thulium customer with every kind of field: lists of emails and phones, three addresses, custom fields, flags', async () => {
		const { outputs } = await runBench('thulium', 'auto', 'full');
		const record = sentRecords(outputs[0])[1];
		expect(record).toMatchObject({
			email: ['c1@example.com', 'work.c1@example.com'],
			phone_number: ['13000000001', '220000001'],
			birthdate: '1951-02-11',
			vip: false,
			fill_read_only_custom_fields: false,
			custom_fields: { source: 'crm-export', segment: 'wholesale', score: '1', newsletter: 'yes' },
			address: { street: 'Marszałkowska', building: '2', flat: '2', postcode: '11-101', city: 'Łódź', country: 'PL' },
			invoice_address: expect.objectContaining({ city: 'Łódź' }),
			mail_drop_address: expect.objectContaining({ street: 'skr. poczt. 1' }),
		});
		const stored = await sandbox.store<{ customers: IDataObject[] }>('thulium');
		expect(stored.customers).toHaveLength(COUNT);
	});
});
