/**
 * The node's Options are node parameters too: an expression gives them text as readily as it gives
 * a Mode (n8n Variables, `$vars`, are always text). They are read by the readers every value is read
 * by (blank is the default; `true`/`false`, `1`/`0` and numbers as text), and an option that cannot
 * be read stops the run as a problem of the settings, naming the option, before anything is sent.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readBatchOptions } from '../../../nodes/shared/engine/batchOptions';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import type { RunOptions, WorkflowRun } from '../../helpers/n8nWorkflow';
import { useTestSandbox } from '../../helpers/sandboxClient';
import { THULIUM_USER } from '../../sandbox/vendors/thulium';

jest.setTimeout(60_000);

/** A stand-in for n8n that answers `getNodeParameter` from stored values, throwing where a value is an Error. */
function contextWith(options: IDataObject): IExecuteFunctions {
	const value = (name: string) => {
		const found = name === 'options' ? Object.values(options).find((entry) => entry instanceof Error) ?? options : options[name.replace(/^options\./, '')];
		if (found instanceof Error) throw found;
		return found;
	};
	return { getNodeParameter: value, getNode: () => ({ parameters: { options } }) } as unknown as IExecuteFunctions;
}

function expressionError(message: string): Error {
	const error = new Error(message);
	error.name = 'ExpressionExtensionError';
	return error;
}

describe('reading the options', () => {
	it('reads true/false and numbers given as text, and takes the default for a blank option', () => {
		const { options, problems } = readBatchOptions(
			contextWith({ validateOnly: ' TRUE ', skipDuplicateRows: '0', batchSize: '7', concurrency: ' 3 ', maxRetries: '', maxRequestsPerSecond: '2.5', timeout: null, dateOrder: 'DMY', includeSentRecord: '1' }),
			100,
		);
		expect(problems).toEqual([]);
		expect(options).toEqual({
			batchSize: 7,
			concurrency: 3,
			maxRequestsPerSecond: 2.5,
			maxRetries: 3,
			skipDuplicateRows: false,
			timeout: 30000,
			resendUnknownOutcomes: false,
			rejectUnknownFields: false,
			validateOnly: true,
			dateOrder: 'dmy',
			includeSentRecord: true,
		});
	});

	it('keeps the one option that can create duplicates off unless it is the boolean true', () => {
		for (const value of ['true', 'TRUE', 1, '1', 'yes']) expect(readBatchOptions(contextWith({ resendUnknownOutcomes: value }), 100).options.resendUnknownOutcomes).toBe(false);
		expect(readBatchOptions(contextWith({ resendUnknownOutcomes: true }), 100).options.resendUnknownOutcomes).toBe(true);
	});

	it('names every option it cannot read, and the shape of its value, never the value', () => {
		const { problems } = readBatchOptions(contextWith({ batchSize: 'ten', validateOnly: 'maybe', dateOrder: 'sometimes' }), 100);
		expect(problems).toEqual([
			'Options → Batch Size must be a number, got text of 3 characters',
			'Options → Validate Only must be true or false (true/false in any case, or 1/0), got text of 5 characters',
			'Options → Date Order must be one of ymd, dmy, mdy, got text of 9 characters',
		]);
	});

	it("names the option whose expression fails, in n8n's words about the expression", () => {
		const { options, problems } = readBatchOptions(contextWith({ maxRetries: 1, maxRequestsPerSecond: expressionError('cannot convert to number') }), 100);
		expect(problems).toEqual(['Options → Max Requests Per Second could not be read: an expression failed: cannot convert to number']);
		// What could be read is used (Max Retries bounds a re-run loop); the rest is its default.
		expect(options).toMatchObject({ maxRetries: 1, maxRequestsPerSecond: 0 });
	});
});

const sandbox = useTestSandbox();

const n8n = n8nHarness();

function runThulium(input: IDataObject[], options: IDataObject, settings: Partial<RunOptions['node']> = {}): Promise<WorkflowRun> {
	return n8n.run({
		input,
		node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options }, ...settings },
		credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
	});
}

const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;

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

	it('Resend When Outcome Is Unknown = "true" (text) stays off: a 500 after storing is not resent', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'storeThenFail', status: 500 });
		const run = await runThulium([{ surname: 'Once' }], { resendUnknownOutcomes: '={{ "true" }}', maxRetries: 3 });
		expect(await sandbox.requests('thulium')).toHaveLength(1);
		expect((run.outputs[1] ?? []).map((item) => (item.json.error as IDataObject).code)).toEqual(['OUTCOME_UNKNOWN']);
	});
});

describe('an option that cannot be read', () => {
	// An option whose expression n8n cannot evaluate.
	const brokenOption = { batchSize: "={{ $('No Such Node').item.json.size }}" };

	it('sends nothing and puts every row on Failure under "continue", as a setting to fix, naming the option', async () => {
		for (const onError of ['continueRegularOutput', 'continueErrorOutput'] as const) {
			const run = await runThulium([{ surname: 'A' }, { surname: 'B' }, { surname: 'C' }], brokenOption, { onError });
			expect(run.error).toBeUndefined();
			const [success, failure] = run.outputs;
			expect(success).toEqual([]);
			expect(failure.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
			for (const item of failure) {
				expect(errorOf(item)).toMatchObject({ code: 'NOT_SENT', nextStep: 'fixSettings', retriable: true, mayBeStored: false });
				expect(errorOf(item).message).toBe(
					"Not sent: the run stopped before this customer's turn (The node's options cannot be used, so nothing was sent: Options → Batch Size could not be read: an expression failed: Referenced node doesn't exist)",
				);
			}
			expect(run.hints.map((hint) => hint.message)).toContainEqual(expect.stringMatching(/^The run stopped: The node's options cannot be used, so nothing was sent: Options → Batch Size could not be read/));
		}
		expect(await sandbox.requests('thulium')).toHaveLength(0);
	});

	it('stops the workflow naming the option when it does not continue on errors', async () => {
		const run = await runThulium([{ surname: 'A' }, { surname: 'B' }], { ...brokenOption, validateOnly: 'maybe' });
		expect(run.error?.message).toBe(
			"The node's options cannot be used, so nothing was sent: Options → Batch Size could not be read: an expression failed: Referenced node doesn't exist; Options → Validate Only must be true or false (true/false in any case, or 1/0), got text of 5 characters",
		);
		expect(run.outputs).toEqual([]);
		expect(await sandbox.requests('thulium')).toHaveLength(0);
	});
});
