/**
 * Review of the delivery rules for connection errors. A TLS handshake that fails (a self-signed or
 * expired certificate on a custom base URL or proxy, `https://` pointed at a plain-HTTP port) ends
 * before one byte of the request is sent: nothing can be stored. The README names "unknown host,
 * a wrong path" as fatal errors that stop the run with the rows NOT_SENT.
 */
import type { IDataObject } from 'n8n-workflow';

import { startFakeServer } from '../helpers/fakeServer';
import type { FakeServer } from '../helpers/fakeServer';
import { n8nHarness } from '../helpers/n8nWorkflow';
import { THULIUM_USER } from '../sandbox/vendors/thulium';

jest.setTimeout(30_000);

const n8n = n8nHarness();
let server: FakeServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('a TLS handshake failure', () => {
	it('is reported as OUTCOME_UNKNOWN (mayBeStored, checkVendorFirst) for every batch, and the run goes on sending, though no request reached the vendor', async () => {
		server = await startFakeServer(() => ({ statusCode: 201, body: {} }));
		const httpsToHttpPort = server.url.replace('http://', 'https://');
		const run = await n8n.run({
			input: Array.from({ length: 6 }, (_, index) => ({ surname: `S${index}` })),
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { batchSize: 2, maxRetries: 0 } }, onError: 'continueRegularOutput' },
			credentials: { thuliumApi: { baseUrl: `${httpsToHttpPort}/api`, ...THULIUM_USER } },
		});
		// No HTTP request arrived: the handshake failed before anything was sent.
		expect(server.requests).toHaveLength(0);
		const failure = run.outputs[1] ?? [];
		const outcomes = failure.map((item) => {
			const error = item.json.error as IDataObject;
			return `${error.code === 'NOT_DELIVERED' ? 'NOT_SENT' : error.code} mayBeStored=${error.mayBeStored} ${error.nextStep}`;
		});
		// Like a host that is not found: NOT_DELIVERED for the batch that met it, NOT_SENT for the rest, fix the settings.
		expect(outcomes).toEqual(Array(6).fill('NOT_SENT mayBeStored=false fixSettings'));
	});
});
