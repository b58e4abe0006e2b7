/**
 * Review of per-record outcomes: a customer the vendor lists as stored must never be reported as
 * refused with `mayBeStored: false` (nextStep `fixData` invites a corrected resend, a duplicate).
 */
import type { IDataObject } from 'n8n-workflow';

import { clearTokenCache } from '../../nodes/Dustess/accessToken';
import { startFakeServer } from '../helpers/fakeServer';
import type { FakeServer } from '../helpers/fakeServer';
import { n8nHarness } from '../helpers/n8nWorkflow';
import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';

jest.setTimeout(30_000);

const n8n = n8nHarness();
let server: FakeServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
	clearTokenCache();
});

describe('Dustess: an entry listed under data.success that carries a non-zero code', () => {
	it('is reported VENDOR_REJECTED with mayBeStored: false and nextStep fixData, although Dustess listed it as stored, with an id', async () => {
		server = await startFakeServer((request) => {
			if (request.path.endsWith('/auth/v1/access_token/token')) return { statusCode: 200, body: { success: true, code: 0, data: { accessToken: 'tok-1', expiresIn: 7200 } } };
			return { statusCode: 200, body: { success: true, code: 0, msg: '', data: { success: [{ code: 13002, index: 1, id: 'c-777', msg: 'merged into an existing contact' }], fail: null } } };
		});
		const run = await n8n.run({
			input: [{ remark: 'Zhang', pool: 'p1', mobiles: [{ tel: '13900000001', type: 'mobile' }] }],
			node: { type: 'dustessBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 0 } } },
			credentials: { dustessApi: { baseUrl: server.url, ...DUSTESS_CLIENT } },
		});
		expect(run.error).toBeUndefined();
		const [success, failure] = run.outputs;
		expect(success).toEqual([]);
		const error = failure[0].json.error as IDataObject;
		// Listed as a success, with the contact's id: if not a Success, then at least "may be stored".
		expect({ mayBeStored: error.mayBeStored, nextStep: error.nextStep }).toEqual({ mayBeStored: true, nextStep: 'checkVendorFirst' });
	});
});
