/**
 * Review of issue 15 items 1-3 ("read every per-item parameter through the same value readers as
 * fields … booleans as text, numbers as text"): the Options are node parameters too, and an
 * expression gives them text as readily as it gives a Mode — n8n Variables (`$vars`) are always
 * text. The README's rule for true/false: `true`/`false` in any case, `1`/`0`, as text or number.
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
		node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options } },
		credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
	});
}

describe('Options given by an expression as text', () => {
	it('Validate Only = "true" (text, as $vars gives it) is read as off: the dry run creates the customers', async () => {
		const run = await runThulium([{ surname: 'Dry' }, { surname: 'Run' }], { validateOnly: '={{ "true" }}' });
		expect(run.error).toBeUndefined();
		expect((await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers).toEqual([]);
	});

	it('Skip Duplicate Rows = "false" (text) is read as on, and Batch Size = "1" (text) falls back to the default', async () => {
		// Two rows with one phone that really are two customers; the user turned the option off by a variable.
		const run = await runThulium(
			[
				{ surname: 'Kowalski', phone_number: '600100200' },
				{ surname: 'Kowalska', phone_number: '600100200' },
			],
			{ skipDuplicateRows: '={{ "false" }}', batchSize: '={{ "1" }}' },
		);
		expect(run.error).toBeUndefined();
		const [success, failure] = run.outputs;
		expect(failure.map((item) => (item.json.error as IDataObject).code)).toEqual([]);
		expect(success).toHaveLength(2);
		// Batch Size "1": one customer per request.
		expect(await sandbox.requests('thulium')).toHaveLength(2);
	});
});

describe('attacks that held', () => {
	it('Resend When Outcome Is Unknown = "true" (text) stays off: a 500 after storing is not resent', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'storeThenFail', status: 500 });
		const run = await runThulium([{ surname: 'Once' }], { resendUnknownOutcomes: '={{ "true" }}', maxRetries: 3 });
		expect(await sandbox.requests('thulium')).toHaveLength(1);
		expect((run.outputs[1] ?? []).map((item) => (item.json.error as IDataObject).code)).toEqual(['OUTCOME_UNKNOWN']);
	});
});
