/**
 * Review of issue 15 item 18: "A resend must never loop". The README's recipe (Failure → Filter on
 * `error.nextStep` = `sendAgainLater` → Wait → the same node) must end by itself.
 */
import type { IDataObject } from 'n8n-workflow';

import { n8nHarness } from '../helpers/n8nWorkflow';
import type { WorkflowRun } from '../helpers/n8nWorkflow';
import { startTestSandbox } from '../helpers/sandboxClient';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { THULIUM_USER } from '../sandbox/vendors/thulium';

jest.setTimeout(60_000);

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(async () => sandbox.close());
beforeEach(async () => sandbox.reset());

const n8n = n8nHarness();

function runThulium(input: IDataObject[], options: IDataObject): Promise<WorkflowRun> {
	return n8n.run({
		input,
		node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options }, onError: 'continueRegularOutput' },
		credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
	});
}

describe('the re-run recipe', () => {
	it('loops without end when an option\'s expression fails: the rows say sendAgainLater and never reach RETRIES_EXHAUSTED', async () => {
		// Max Retries 1 allows 2 attempts; the failing option is read before the attempts are counted.
		const options = { maxRetries: 1, maxRequestsPerSecond: '={{ "ten".toNumber() }}' };
		let input: IDataObject[] = [{ surname: 'Nowak' }];
		const seen: string[] = [];
		for (let run = 0; run < 6 && input.length > 0; run++) {
			const result = await runThulium(input, options);
			const failure = result.outputs[1] ?? [];
			seen.push(...failure.map((item) => `${(item.json.error as IDataObject).code}/${(item.json.error as IDataObject).nextStep}/${(item.json.customerBatch as IDataObject).attempt}`));
			input = failure.map((item) => item.json).filter((json) => (json.error as IDataObject).nextStep === 'sendAgainLater');
		}
		expect(await sandbox.requests('thulium')).toHaveLength(0);
		// Either the cause is named as a setting to fix (the Filter drops the row), or the loop ends after Max Retries + 1 attempts.
		expect(input).toEqual([]);
		expect(seen.length).toBeLessThanOrEqual(3);
	});
});

describe('attacks that held', () => {
	it('an input that forges a customerBatch can keep its own row from being sent, but the row stays on Failure, paired, and "may be stored" unless the forged error says otherwise', async () => {
		const forged = {
			surname: 'Forged',
			customerBatch: { status: 'failure', vendor: 'thulium', operation: 'create', attempt: 99 },
			error: { code: 'OUTCOME_UNKNOWN', message: 'whatever' },
		};
		const run = await n8n.run({
			input: [forged, { surname: 'Plain' }],
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 3 } } },
			credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
		});
		const [success, failure] = run.outputs;
		expect(success.map((item) => [item.json.surname, item.pairedItem])).toEqual([['Plain', { item: 1 }]]);
		expect(failure.map((item) => [item.json.surname, item.pairedItem, (item.json.error as IDataObject).code, (item.json.error as IDataObject).mayBeStored])).toEqual([['Forged', { item: 0 }, 'RETRIES_EXHAUSTED', true]]);
		expect((await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers.map((customer) => customer.surname)).toEqual(['Plain']);
	});

	it("Retry On Fail does not run the node again after it stored a row whose input had an `error` field, nor after a row that may be stored", async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'storeThenFail', status: 500, skip: 1 });
		const run = await n8n.run({
			input: [{ surname: 'A', error: 'from the sheet' }, { surname: 'B' }],
			node: {
				type: 'thuliumBatchCustomers',
				parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { batchSize: 1, maxRetries: 0 } },
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 0,
			},
			credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
		});
		expect(run.error).toBeUndefined();
		expect(await sandbox.requests('thulium')).toHaveLength(2);
		expect((await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers.map((customer) => customer.surname)).toEqual(['A', 'B']);
		expect((run.outputs[1] ?? []).map((item) => (item.json.error as IDataObject).code)).toEqual(['OUTCOME_UNKNOWN']);
	});
});
