/**
 * Attacks on the shared, frozen request-parameter values (292f0f5): the batch group and the
 * natural-key scope are cached by the identity of the last values object.
 */
import type { IDataObject } from 'n8n-workflow';

import { n8nHarness, outputsOrThrow } from '../../helpers/n8nWorkflow';
import { startTestSandbox } from '../../helpers/sandboxClient';
import type { SandboxHandle } from '../../helpers/sandboxClient';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../../sandbox/vendors/nxcloud';

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(async () => sandbox.close());
beforeEach(async () => sandbox.reset());

const n8n = n8nHarness();

async function nxcloud(input: IDataObject[], tenantId: unknown) {
	return n8n.run({
		input,
		node: {
			type: 'nxCloudBatchCustomers',
			parameters: { edition: 'sea', tenantId, mode: 1, mappingMode: 'autoMapInputData', options: { validateOnly: true } },
			onError: 'continueRegularOutput',
		},
		credentials: {
			nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${sandbox.url}/nxcloud` },
		},
	});
}

const failures = (failure: Array<{ json: IDataObject; pairedItem?: unknown }>) =>
	failure.map((item) => [item.pairedItem, (item.json.error as IDataObject).code, (item.json.error as IDataObject).duplicateOf]);

describe('Skip Duplicate Rows with tenants alternating item by item', () => {
	it('finds the duplicate of each tenant, not of the last tenant read', async () => {
		const a = NXCLOUD_TENANT_ID;
		const b = NXCLOUD_TENANT_ID + 1;
		const phone = '48600100200';
		const run = await nxcloud(
			[a, b, a, b, a].map((tenant) => ({ tenant, first_name: 'A', last_name: 'B', sms_phone: phone })),
			'={{ $json.tenant }}',
		);
		const [success, failure] = outputsOrThrow(run);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(failures(failure)).toEqual([
			[{ item: 2 }, 'DUPLICATE_IN_INPUT', 0],
			[{ item: 3 }, 'DUPLICATE_IN_INPUT', 1],
			[{ item: 4 }, 'DUPLICATE_IN_INPUT', 0],
		]);
	});

	it('with a fixed Tenant ID, every later row of the same phone is a duplicate of the first', async () => {
		const run = await nxcloud(
			[0, 1, 2].map(() => ({ first_name: 'A', last_name: 'B', sms_phone: '48600100200' })),
			NXCLOUD_TENANT_ID,
		);
		const [success, failure] = outputsOrThrow(run);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(failures(failure)).toEqual([
			[{ item: 1 }, 'DUPLICATE_IN_INPUT', 0],
			[{ item: 2 }, 'DUPLICATE_IN_INPUT', 0],
		]);
	});
});
