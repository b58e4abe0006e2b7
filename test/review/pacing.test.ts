/**
 * Review of issue 15 item 8: with Max Requests Per Second set to the vendor's limit, no sliding
 * second holds more than the limit — token requests, renewals, resends and Retry-After included.
 */
import type { IDataObject } from 'n8n-workflow';

import { clearTokenCache } from '../../nodes/Dustess/accessToken';
import { n8nHarness } from '../helpers/n8nWorkflow';
import { startTestSandbox } from '../helpers/sandboxClient';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';
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
const contacts = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ remark: `C${index}`, pool: 'pool-1', mobiles: [{ tel: `1390000${String(index).padStart(4, '0')}`, type: 'mobile' }] }));

describe('attacks that held', () => {
	it('Dustess at the vendor\'s 3/s sliding limit, Concurrent Batches 4: a token revoked mid-run (renewal and resends) draws no 429', async () => {
		await sandbox.pace({ ratePerSecond: 3, rateWindow: 'sliding', latencyMs: 30 });
		await sandbox.configure('dustess', { revokeTokensAfterCalls: 3 });
		const run = await n8n.run({
			input: contacts(40),
			node: { type: 'dustessBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { batchSize: 5, concurrency: 4, maxRequestsPerSecond: 3 } } },
			credentials: { dustessApi: { baseUrl: `${sandbox.url}/dustess`, ...DUSTESS_CLIENT } },
		});
		expect(run.error).toBeUndefined();
		const { rateLimited } = await sandbox.pace();
		expect(rateLimited ?? 0).toBe(0);
		expect(run.outputs[0]).toHaveLength(40);
		const store = await sandbox.store<{ contacts: IDataObject[]; tokensIssued: number }>('dustess');
		expect(store.contacts).toHaveLength(40);
		// The revocation happened: the token was renewed during the run.
		expect(store.tokensIssued).toBe(2);
	});

	it('Thulium at the vendor\'s 2/s sliding limit, Concurrent Batches 6: after a 429 with Retry-After the waiting batches do not burst', async () => {
		await sandbox.pace({ ratePerSecond: 2, rateWindow: 'sliding' });
		await sandbox.inject({ vendor: 'thulium', type: 'status', status: 429, retryAfter: 1 });
		const run = await n8n.run({
			input: Array.from({ length: 12 }, (_, index) => ({ surname: `S${index}` })),
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { batchSize: 1, concurrency: 6, maxRequestsPerSecond: 2 } } },
			credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
		});
		expect(run.error).toBeUndefined();
		const { rateLimited } = await sandbox.pace();
		expect(rateLimited ?? 0).toBe(0);
		expect(run.outputs[0]).toHaveLength(12);
	});
});
