/**
 * Attacks on the shared, frozen request-parameter values (292f0f5): the batch group and the
 * natural-key scope are cached by the identity of the last values object.
 */
import type { IDataObject } from 'n8n-workflow';

import type { BatchOperation } from '../../../nodes/shared/engine/adapter';

import { n8nHarness, outputsOrThrow } from '../../helpers/n8nWorkflow';
import { startTestSandbox } from '../../helpers/sandboxClient';
import type { SandboxHandle } from '../../helpers/sandboxClient';
import { secretLeaks } from '../../helpers/secretsScan';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../../sandbox/vendors/nxcloud';
import { fakeApiCredential, fakeNodeType, fakeOperation, fakeVendor } from './fakeOperation';

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(async () => sandbox.close());
beforeEach(async () => sandbox.reset());

const n8n = n8nHarness();

async function nxcloud(input: IDataObject[], tenantId: string | number) {
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

describe('a secret request parameter that alternates item by item', () => {
	const withFake = n8nHarness([fakeApiCredential]);
	const KEYS = ['tenant-key-1111', 'tenant-key-2222'];
	const operation: BatchOperation = {
		...fakeOperation,
		requestParameters: [{ name: 'tenantKey', label: 'Tenant Key', description: 'A key', type: 'string', required: true, secret: true }],
		// The key travels with each record, so that the fake vendor can quote it back.
		buildRequest: (records, context) => ({
			method: 'POST',
			url: `${context.credentials.baseUrl as string}/batch`,
			body: { records: records.map((record) => ({ ...record, key: context.parameters.tenantKey })) },
		}),
	};

	it('masks every key the vendor quotes, in every output, and groups each key into its own batches', async () => {
		const vendor = await fakeVendor((records) => ({
			statusCode: 200,
			body: { results: records.map((record) => ({ ok: false, message: `key ${String(record.key)} may not write` })) },
		}));
		const run = await withFake
			.run({
				input: [0, 1, 2, 3, 4, 5].map((index) => ({ name: `n${index}`, key: KEYS[index % 2] })),
				node: { type: 'fakeBatchCustomers', parameters: { tenantKey: '={{ $json.key }}', mappingMode: 'defineBelow', name: '={{ $json.name }}', options: { batchSize: 2 } }, onError: 'continueRegularOutput' },
				credentials: { fakeApi: { apiKey: 'api-key-5519', baseUrl: vendor.url } },
				nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
			})
			.finally(vendor.close);
		expect(vendor.calls.map((records) => records.map((record) => [record.name, record.key]))).toEqual([
			[['n0', KEYS[0]], ['n2', KEYS[0]]],
			[['n1', KEYS[1]], ['n3', KEYS[1]]],
			[['n4', KEYS[0]]],
			[['n5', KEYS[1]]],
		]);
		const [, failure] = outputsOrThrow(run);
		expect(failure).toHaveLength(6);
		expect(failure.map((item) => (item.json.error as IDataObject).message)).toEqual(Array(6).fill('key *** may not write'));
		// The input's own `key` column passes through untouched; what the node adds, and its hints, carry no key.
		const added = failure.map((item) => ({ error: item.json.error, customerBatch: item.json.customerBatch }));
		expect(secretLeaks([{ where: 'added', value: added }, { where: 'hints', value: run.hints }], KEYS)).toEqual([]);
	});
});
