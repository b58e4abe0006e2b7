/**
 * Sending Failure items through the same node again (the README's re-run recipe), on n8n's own
 * engine: the node counts its attempts, stops sending a row after Max Retries re-runs with a
 * final outcome, tells in `error.nextStep` whether waiting can help, keeps the input's own
 * `error`, and neither sends nor refuses the keys it wrote itself.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { n8nHarness } from '../../helpers/n8nWorkflow';
import type { WorkflowRun } from '../../helpers/n8nWorkflow';
import { useTestSandbox } from '../../helpers/sandboxClient';
import { DUSTESS_CLIENT } from '../../sandbox/vendors/dustess';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../../sandbox/vendors/nxcloud';
import { THULIUM_USER } from '../../sandbox/vendors/thulium';

jest.setTimeout(60_000);

const sandbox = useTestSandbox();

const n8n = n8nHarness();

type Vendor = 'thulium' | 'nxcloud' | 'dustess';

/** Each vendor's node under On Error → Continue, as a new user sets it up, with the credential's secret replaceable. */
const VENDORS: Record<Vendor, { type: string; parameters: IDataObject; credentialType: string; credentials(wrongSecret: boolean): IDataObject; customer(index: number): IDataObject }> = {
	thulium: {
		type: 'thuliumBatchCustomers',
		parameters: { operation: 'create', mappingMode: 'autoMapInputData' },
		credentialType: 'thuliumApi',
		credentials: (wrong) => ({ baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER, ...(wrong ? { password: 'wrong password' } : {}) }),
		customer: (index) => ({ surname: `S${index}` }),
	},
	nxcloud: {
		type: 'nxCloudBatchCustomers',
		parameters: { edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mode: 1, mappingMode: 'autoMapInputData' },
		credentialType: 'nxCloudApi',
		credentials: (wrong) => ({ accessKey: NXCLOUD_ACCESS_KEY, accessSecret: wrong ? 'wrong secret' : NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${sandbox.url}/nxcloud` }),
		customer: (index) => ({ first_name: 'Ann', last_name: `L${index}` }),
	},
	dustess: {
		type: 'dustessBatchCustomers',
		parameters: { operation: 'create', mappingMode: 'autoMapInputData' },
		credentialType: 'dustessApi',
		credentials: (wrong) => ({ baseUrl: `${sandbox.url}/dustess`, ...DUSTESS_CLIENT, ...(wrong ? { clientSecret: 'wrong secret' } : {}) }),
		customer: (index) => ({ remark: `R${index}`, pool: 'pool-1' }),
	},
};

function send(vendor: Vendor, input: IDataObject[], options: IDataObject, wrongSecret = false): Promise<WorkflowRun> {
	const setup = VENDORS[vendor];
	return n8n.run({
		input,
		node: { type: setup.type, parameters: { ...setup.parameters, options }, onError: 'continueRegularOutput' },
		credentials: { [setup.credentialType]: setup.credentials(wrongSecret) },
	});
}

const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
const batchOf = (item: INodeExecutionData) => item.json.customerBatch as IDataObject;
const customers = (vendor: Vendor, count: number) => Array.from({ length: count }, (_, index) => VENDORS[vendor].customer(index));

/** The recipe's Filter: keep the rows to send again after a pause. */
const sendAgainLater = (json: IDataObject) => (json.error as IDataObject).nextStep === 'sendAgainLater';
/** The Filter the README used to give: keep every row that is safe to resend. */
const retriable = (json: IDataObject) => (json.error as IDataObject).retriable === true;

/**
 * The Failure output, kept by `keep`, into the same node again, as the recipe's loop does in
 * n8n, until the Filter keeps nothing — or 12 runs, far more than any Max Retries here allows.
 */
async function rerunLoop(runOnce: (input: IDataObject[]) => Promise<WorkflowRun>, input: IDataObject[], keep: (json: IDataObject) => boolean): Promise<WorkflowRun[]> {
	const runs: WorkflowRun[] = [];
	let next = input;
	while (next.length > 0 && runs.length < 12) {
		const run = await runOnce(next);
		expect(run.error).toBeUndefined();
		runs.push(run);
		next = run.outputs[1].map((item) => item.json).filter(keep);
	}
	return runs;
}

describe('a re-run loop whose cause does not go away ends by itself', () => {
	describe.each(['thulium', 'nxcloud', 'dustess'] as const)('%s with a wrong password (On Error → Continue)', (vendor) => {
		it('tells to fix the settings, so the recipe sends nothing again', async () => {
			const runs = await rerunLoop((input) => send(vendor, input, { maxRetries: 2 }, true), customers(vendor, 3), sendAgainLater);
			expect(runs).toHaveLength(1);
			const [success, failure] = runs[0].outputs;
			expect(success).toEqual([]);
			expect(failure.map((item) => [errorOf(item).nextStep, errorOf(item).retriable, batchOf(item).attempt])).toEqual(Array(3).fill(['fixSettings', true, 1]));
			expect(await sandbox.requests(vendor)).toHaveLength(1);
		});

		it('stops after Max Retries re-runs even when every retriable row is fed back: RETRIES_EXHAUSTED, not sent again', async () => {
			const runs = await rerunLoop((input) => send(vendor, input, { maxRetries: 2 }, true), customers(vendor, 3), retriable);
			// The first run and 2 re-runs send; the next run sends nothing and ends the loop.
			expect(runs).toHaveLength(4);
			expect(await sandbox.requests(vendor)).toHaveLength(3);
			expect(runs.map((run) => run.outputs[1].map((item) => batchOf(item).attempt))).toEqual([[1, 1, 1], [2, 2, 2], [3, 3, 3], [3, 3, 3]]);
			const final = runs[3].outputs[1];
			for (const item of final) {
				expect(errorOf(item)).toEqual({
					message: expect.stringMatching(/^Not sent again: this customer failed 3 times, the most that Max Retries \(2\) allows; the last attempt ended as (CONFIGURATION_ERROR|NOT_SENT): ./),
					code: 'RETRIES_EXHAUSTED',
					nextStep: 'none',
					retriable: false,
					mayBeStored: false,
					lastCode: expect.stringMatching(/^(CONFIGURATION_ERROR|NOT_SENT)$/),
				});
			}
			// Fed back once more, a row stays where it is: same outcome, no request, no nesting.
			const again = await send(vendor, final.map((item) => item.json), { maxRetries: 2 }, true);
			expect(again.outputs[1].map((item) => item.json)).toEqual(final.map((item) => item.json));
			expect(await sandbox.requests(vendor)).toHaveLength(3);
		});
	});

	it('a 503 outage: the recipe sends the rows again Max Retries times, then RETRIES_EXHAUSTED', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'status', status: 503, retryAfter: 0, times: 1000 });
		const runs = await rerunLoop((input) => send('thulium', input, { maxRetries: 2 }), customers('thulium', 3), sendAgainLater);
		expect(runs).toHaveLength(4);
		// Each sending run: the request and its 2 retries.
		expect(await sandbox.requests('thulium')).toHaveLength(9);
		const steps = runs.map((run) => run.outputs[1].map((item) => `${errorOf(item).code} ${errorOf(item).nextStep} ${batchOf(item).attempt}`));
		expect(steps).toEqual([
			Array(3).fill('NOT_DELIVERED sendAgainLater 1'),
			Array(3).fill('NOT_DELIVERED sendAgainLater 2'),
			Array(3).fill('NOT_DELIVERED sendAgainLater 3'),
			Array(3).fill('RETRIES_EXHAUSTED none 3'),
		]);
		expect(errorOf(runs[3].outputs[1][0])).toMatchObject({
			message: expect.stringMatching(/^Not sent again: this customer failed 3 times, the most that Max Retries \(2\) allows; the last attempt ended as NOT_DELIVERED: The vendor did not take the request after 3 attempts/),
			lastCode: 'NOT_DELIVERED',
			retriable: false,
			mayBeStored: false,
		});
	});

	it('an outage that ends: the recipe stores every row once, on the attempt after it', async () => {
		// The first two runs meet the outage (3 requests each), the third gets through.
		await sandbox.inject({ vendor: 'thulium', type: 'status', status: 503, retryAfter: 0, times: 6 });
		const runs = await rerunLoop((input) => send('thulium', input, { maxRetries: 2 }), customers('thulium', 3), sendAgainLater);
		expect(runs).toHaveLength(3);
		expect(runs[2].outputs[1]).toEqual([]);
		expect(runs[2].outputs[0].map((item) => [item.json.surname, batchOf(item).attempt])).toEqual([['S0', 3], ['S1', 3], ['S2', 3]]);
		const stored = (await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers.map((customer) => customer.surname);
		expect(stored).toEqual(['S0', 'S1', 'S2']);
	});

	it('a row that may be stored keeps saying so when it is refused as RETRIES_EXHAUSTED', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'storeThenFail', status: 500 });
		const [first] = await rerunLoop((input) => send('thulium', input, { maxRetries: 0 }), customers('thulium', 1), () => false);
		expect(errorOf(first.outputs[1][0])).toMatchObject({ code: 'OUTCOME_UNKNOWN', nextStep: 'checkVendorFirst', mayBeStored: true });
		// Sent back anyway (Max Retries 0: no re-run allowed): not sent, still possibly stored.
		const again = await send('thulium', first.outputs[1].map((item) => item.json), { maxRetries: 0 });
		expect(errorOf(again.outputs[1][0])).toMatchObject({ code: 'RETRIES_EXHAUSTED', lastCode: 'OUTCOME_UNKNOWN', nextStep: 'none', retriable: false, mayBeStored: true });
		expect(batchOf(again.outputs[1][0]).attempt).toBe(1);
		expect(await sandbox.requests('thulium')).toHaveLength(1);
	});
});

describe("the input's own `error` field", () => {
	it('is kept as customerBatch.inputError on a Failure item, and stays the input\'s through a re-run', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'status', status: 503, retryAfter: 0 });
		const first = await send('thulium', [{ surname: 'A', error: 'from the sheet' }, { error: { note: 'no surname' } }], { maxRetries: 0 });
		const [, failure] = first.outputs;
		expect(failure.map((item) => errorOf(item).code)).toEqual(['NOT_DELIVERED', 'INVALID_RECORD']);
		expect(failure.map((item) => batchOf(item).inputError)).toEqual(['from the sheet', { note: 'no surname' }]);

		const again = await send('thulium', [failure[0].json], { maxRetries: 1 });
		const [success] = again.outputs;
		expect(success[0].json).not.toHaveProperty('error');
		expect(batchOf(success[0])).toMatchObject({ status: 'success', attempt: 2, inputError: 'from the sheet' });
	});
});

describe('Reject Unknown Fields on a re-run', () => {
	it("neither refuses nor sends the node's own `error` and `customerBatch` keys", async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'status', status: 503, retryAfter: 0 });
		const options = { maxRetries: 0, rejectUnknownFields: true };
		const first = await send('thulium', [{ surname: 'A', name: 'Anna' }, { surname: 'B', nickname: 'Bee' }], options);
		expect(first.outputs[1].map((item) => errorOf(item).code)).toEqual(['NOT_DELIVERED', 'INVALID_RECORD']);

		const again = await send('thulium', first.outputs[1].map((item) => item.json), { ...options, maxRetries: 1, includeSentRecord: true });
		const [success, failure] = again.outputs;
		expect(success.map((item) => batchOf(item).record)).toEqual([{ surname: 'A', name: 'Anna' }]);
		// An unknown field of the input is still refused.
		expect(failure.map((item) => [errorOf(item).code, errorOf(item).field])).toEqual([['INVALID_RECORD', 'nickname']]);
		const sent = (await sandbox.requests('thulium')).map((request) => JSON.parse(request.rawBody));
		expect(sent[sent.length - 1]).toEqual({ customers: [{ surname: 'A', name: 'Anna' }] });
	});
});

describe('the re-run recipe', () => {
	function runThulium(input: IDataObject[], options: IDataObject): Promise<WorkflowRun> {
		return n8n.run({
			input,
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options }, onError: 'continueRegularOutput' },
			credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
		});
	}

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

	it('ends a loop whose options cannot be read after the default Max Retries, also with a Filter on `retriable`', async () => {
		// Max Retries itself cannot be read: its default (3) bounds the loop.
		const runs = await rerunLoop((input) => runThulium(input, { maxRetries: '={{ "three".toNumber() }}' }), [{ surname: 'Nowak' }], retriable);
		expect(runs.map((run) => `${errorOf(run.outputs[1][0]).code}/${errorOf(run.outputs[1][0]).nextStep}/${batchOf(run.outputs[1][0]).attempt}`)).toEqual([
			'NOT_SENT/fixSettings/1',
			'NOT_SENT/fixSettings/2',
			'NOT_SENT/fixSettings/3',
			'NOT_SENT/fixSettings/4',
			'RETRIES_EXHAUSTED/none/4',
		]);
		expect(await sandbox.requests('thulium')).toHaveLength(0);
	});

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
});
