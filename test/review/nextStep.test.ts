/**
 * Review of issue 15 (items 7, 18): does `error.nextStep` tell the README's re-run recipe the truth
 * when a Dustess run stops on its session? The recipe sends again every row whose nextStep is
 * `sendAgainLater`; a row that needs the credential fixed first must say `fixSettings`.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { clearTokenCache } from '../../nodes/Dustess/accessToken';
import { n8nHarness } from '../helpers/n8nWorkflow';
import type { WorkflowRun } from '../helpers/n8nWorkflow';
import { startTestSandbox } from '../helpers/sandboxClient';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { DUSTESS_BAD_CLIENT_CODE, DUSTESS_CLIENT } from '../sandbox/vendors/dustess';

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
const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
const customerRequests = async () => (await sandbox.requests('dustess')).filter((request) => request.path.startsWith('/customer/'));

function runDustess(input: IDataObject[], options: IDataObject): Promise<WorkflowRun> {
	return n8n.run({
		input,
		node: { type: 'dustessBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options }, onError: 'continueRegularOutput' },
		credentials: { dustessApi: { baseUrl: `${sandbox.url}/dustess`, ...DUSTESS_CLIENT } },
	});
}

describe('nextStep after a run stopped on its session', () => {
	it('rows not sent after a renewed session was refused the same way ("a configuration problem") are told sendAgainLater, and the recipe then burns them as mayBeStored', async () => {
		await sandbox.configure('dustess', { expiredTokenAnswer: 'undocumented', rejectAllTokens: true });
		const first = await runDustess(contacts(30), { batchSize: 10, maxRetries: 3 });
		const failure = first.outputs[1];
		const stop = first.hints.find((hint) => hint.message.startsWith('The run stopped'));
		expect(stop?.message).toMatch(/configuration problem/);
		const notSent = failure.filter((item) => errorOf(item).code === 'NOT_SENT');
		expect(notSent).toHaveLength(10);

		// What the recipe's Filter keeps: `{{ $json.error.nextStep }}` is `sendAgainLater`.
		const resent = failure.map((item) => item.json).filter((json) => (json.error as IDataObject).nextStep === 'sendAgainLater');
		const second = resent.length ? await runDustess(resent, { batchSize: 10, maxRetries: 3 }) : undefined;
		const newlyMayBeStored = second ? second.outputs[1].filter((item) => errorOf(item).mayBeStored === true).length : 0;

		// The README: the run "stops as a configuration problem (check the credential …)": fix the settings first.
		expect({ nextSteps: [...new Set(notSent.map((item) => errorOf(item).nextStep))], rowsResentByTheRecipe: resent.length, newlyMayBeStored }).toEqual({
			nextSteps: ['fixSettings'],
			rowsResentByTheRecipe: 0,
			newlyMayBeStored: 0,
		});
	});

	it('rows not sent because the token could not be renewed mid-run (client secret refused) are told sendAgainLater, while the same refusal at the start says fixSettings', async () => {
		const refusal = { vendor: 'dustess', type: 'status' as const, path: '/auth/v1/access_token/token', status: 200, body: { success: false, code: DUSTESS_BAD_CLIENT_CODE, msg: 'clientId 或 clientSecret 错误', data: null } };

		// At the start of a run.
		await sandbox.inject(refusal);
		const atStart = await runDustess(contacts(20), { batchSize: 10, maxRetries: 0 });
		expect(atStart.outputs[1].map((item) => errorOf(item).code)).toEqual(Array(20).fill('NOT_SENT'));
		const startSteps = [...new Set(atStart.outputs[1].map((item) => errorOf(item).nextStep))];

		// Mid-run: batch 1 is stored, then the token is revoked and its renewal is refused the same way.
		await sandbox.reset();
		clearTokenCache();
		await sandbox.configure('dustess', { revokeTokensAfterCalls: 1 });
		await sandbox.inject({ ...refusal, skip: 1 });
		const midRun = await runDustess(contacts(20), { batchSize: 10, maxRetries: 0 });
		expect(midRun.outputs[0]).toHaveLength(10);
		expect(await customerRequests()).toHaveLength(2);
		const unsent = midRun.outputs[1].filter((item) => errorOf(item).code === 'NOT_SENT');
		expect(unsent).toHaveLength(10);
		expect(errorOf(unsent[0]).message).toMatch(/refused the client ID or secret/);
		const midRunSteps = [...new Set(unsent.map((item) => errorOf(item).nextStep))];

		expect({ startSteps, midRunSteps }).toEqual({ startSteps: ['fixSettings'], midRunSteps: ['fixSettings'] });
	});
});
