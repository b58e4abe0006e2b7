/**
 * Attacks a review tried that held, kept as regressions: Include Sent Record off loses nothing a
 * re-run or a check needs (the Failure item keeps the record, the attempt and the outcome; a
 * re-run counts on), and natural keys are per tenant however the Tenant ID is spelled.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { n8nHarness, outputsOrThrow } from '../../helpers/n8nWorkflow';
import { startTestSandbox } from '../../helpers/sandboxClient';
import type { SandboxHandle } from '../../helpers/sandboxClient';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../../sandbox/vendors/nxcloud';

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(async () => sandbox.close());
beforeEach(async () => sandbox.reset());

const n8n = n8nHarness();
const batchOf = (item: INodeExecutionData) => item.json.customerBatch as IDataObject;

async function thulium(input: Array<IDataObject | INodeExecutionData>, options: IDataObject = {}) {
	const run = await n8n.run({
		input,
		node: {
			type: 'thuliumBatchCustomers',
			parameters: { operation: 'create', mappingMode: 'defineBelow', surname: '={{ $json.surname }}', additionalFields: { email: '={{ $json.mail }}' }, options: { batchSize: 1, ...options } },
			onError: 'continueRegularOutput',
		},
		credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, login: 'api_user', password: 'api_pass' } },
	});
	return outputsOrThrow(run);
}

describe('Include Sent Record off', () => {
	it('keeps on the Failure item what a check and a re-run need, and a re-run of it counts the attempt', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'storeThenFail', status: 500, skip: 1 });
		const [success, failure] = await thulium([
			{ surname: 'Nowak', mail: 'a@example.com' },
			{ surname: 'Kowalski', mail: 'j@example.com' },
			{ surname: 'Wójcik', mail: 'e@example.com' },
		]);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		for (const item of success) expect(batchOf(item)).not.toHaveProperty('record');
		expect(failure).toHaveLength(1);
		expect(failure[0].json.error).toMatchObject({ code: 'OUTCOME_UNKNOWN', mayBeStored: true, retriable: false, nextStep: 'checkVendorFirst' });
		expect(batchOf(failure[0])).toMatchObject({ status: 'failure', attempt: 1, record: { surname: 'Kowalski', email: 'j@example.com' } });

		// The README's re-run: the Failure item itself as input.
		const [again, stillFailed] = await thulium([{ json: failure[0].json }]);
		expect(stillFailed).toHaveLength(0);
		expect(batchOf(again[0])).toMatchObject({ status: 'success', attempt: 2 });
		expect(again[0].json).toMatchObject({ surname: 'Kowalski', mail: 'j@example.com' });
		expect(again[0].json).not.toHaveProperty('error');
	});

	it('Validate Only keeps the record on Success items with the option off', async () => {
		const [success] = await thulium([{ surname: 'Nowak', mail: 'a@example.com' }], { validateOnly: true });
		expect(batchOf(success[0])).toMatchObject({ record: { surname: 'Nowak', email: 'a@example.com' }, result: { validatedOnly: true } });
		expect(await sandbox.requests('thulium')).toHaveLength(0);
	});
});

describe('natural keys per tenant', () => {
	it('takes 144, "144" and " 144 " for the same tenant, and another tenant for another store', async () => {
		const tenant = NXCLOUD_TENANT_ID;
		const run = await n8n.run({
			input: [
				{ tenant, first_name: 'A', last_name: 'B', sms_phone: '48600100200' },
				{ tenant: String(tenant), first_name: 'A', last_name: 'B', sms_phone: '48600100200' },
				{ tenant: ` ${tenant} `, first_name: 'A', last_name: 'B', sms_phone: '48600100200' },
				{ tenant: tenant + 1, first_name: 'A', last_name: 'B', sms_phone: '48600100200' },
			],
			node: {
				type: 'nxCloudBatchCustomers',
				parameters: { edition: 'sea', tenantId: '={{ $json.tenant }}', mode: 1, mappingMode: 'autoMapInputData', options: { validateOnly: true } },
				onError: 'continueRegularOutput',
			},
			credentials: {
				nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${sandbox.url}/nxcloud` },
			},
		});
		const [success, failure] = outputsOrThrow(run);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
		expect(failure.map((item) => [item.pairedItem, (item.json.error as IDataObject).code, (item.json.error as IDataObject).duplicateOf])).toEqual([
			[{ item: 1 }, 'DUPLICATE_IN_INPUT', 0],
			[{ item: 2 }, 'DUPLICATE_IN_INPUT', 0],
		]);
	});
});
