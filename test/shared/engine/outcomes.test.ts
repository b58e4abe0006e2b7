import type { IDataObject } from 'n8n-workflow';

import { answerWords, causeOf, nextStepOf, promiseOf, runCause, withNextSteps } from '../../../nodes/shared/engine/outcomes';
import type { FailureCode, FailureDetails, Outcome } from '../../../nodes/shared/engine/outcomes';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import { useTestSandbox } from '../../helpers/sandboxClient';
import { allText } from '../../helpers/secretsScan';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_TENANT_ID } from '../../sandbox/vendors/nxcloud';

jest.setTimeout(60_000);

describe('what a failure code promises', () => {
	it('is retriable only where sending again cannot create a duplicate', () => {
		const retriable: FailureCode[] = ['NOT_DELIVERED', 'NOT_SENT', 'CONFIGURATION_ERROR'];
		const notRetriable: FailureCode[] = ['INVALID_RECORD', 'DUPLICATE_IN_INPUT', 'VENDOR_REJECTED', 'NO_RESULT', 'OUTCOME_UNKNOWN', 'RETRIES_EXHAUSTED'];
		for (const code of retriable) expect(promiseOf(code)).toEqual({ retriable: true, mayBeStored: false });
		for (const code of notRetriable) expect(promiseOf(code).retriable).toBe(false);
	});

	it('marks the outcomes that may be stored, and makes them retriable only for an idempotent resend', () => {
		for (const code of ['NO_RESULT', 'OUTCOME_UNKNOWN'] as const) {
			expect(promiseOf(code)).toEqual({ retriable: false, mayBeStored: true });
			expect(promiseOf(code, true)).toEqual({ retriable: true, mayBeStored: true });
		}
		expect(promiseOf('VENDOR_REJECTED', true)).toEqual({ retriable: false, mayBeStored: false });
	});
});

describe('the next step of a failure', () => {
	const failed = (code: FailureCode, extra: Partial<FailureDetails> = {}): FailureDetails => ({ message: 'm', code, ...promiseOf(code), ...extra });
	const stepOf = (error: FailureDetails, stoppedBy?: Parameters<typeof causeOf>[1]) => nextStepOf(error.code, causeOf(error, stoppedBy));

	it('has one for every code', () => {
		const expected: Record<FailureCode, string> = {
			INVALID_RECORD: 'fixData',
			DUPLICATE_IN_INPUT: 'none',
			VENDOR_REJECTED: 'fixData',
			NO_RESULT: 'checkVendorFirst',
			OUTCOME_UNKNOWN: 'checkVendorFirst',
			NOT_DELIVERED: 'sendAgainLater',
			NOT_SENT: 'sendAgainLater',
			CONFIGURATION_ERROR: 'fixSettings',
			RETRIES_EXHAUSTED: 'none',
		};
		for (const [code, step] of Object.entries(expected)) expect([code, nextStepOf(code as FailureCode)]).toEqual([code, step]);
		expect(nextStepOf('INVALID_RECORD', 'settings')).toBe('fixSettings');
	});

	it('tells a run stopped by its settings from one stopped by an unavailable vendor', () => {
		expect(stepOf(failed('NOT_SENT'), { message: 'Authentication failed', httpStatus: 401 })).toBe('fixSettings');
		expect(stepOf(failed('NOT_SENT'), { message: 'NXCLOUD 1005', httpStatus: 200, vendorCode: 1005 })).toBe('fixSettings');
		expect(stepOf(failed('NOT_SENT'), { message: 'no such endpoint', httpStatus: 404 })).toBe('fixSettings');
		expect(stepOf(failed('NOT_SENT'), { message: 'credential not readable', cause: 'settings' })).toBe('fixSettings');
		expect(stepOf(failed('NOT_SENT'), { message: 'token endpoint down', httpStatus: 503 })).toBe('sendAgainLater');
		expect(stepOf(failed('NOT_SENT'), { message: 'could not connect' })).toBe('sendAgainLater');
		expect(stepOf(failed('NOT_DELIVERED'), { message: 'address cannot be reached', cause: 'settings' })).toBe('fixSettings');
		// A row the vendor answered 429 or 503 is judged by that answer, whatever stopped the run.
		expect(stepOf(failed('NOT_DELIVERED', { httpStatus: 503 }), { message: 'Authentication failed', httpStatus: 401 })).toBe('sendAgainLater');
		expect(stepOf(failed('NOT_DELIVERED', { httpStatus: 429 }))).toBe('sendAgainLater');
		// The cause of a stop does not turn other codes into settings problems.
		expect(stepOf(failed('VENDOR_REJECTED'), { message: 'Authentication failed', httpStatus: 401 })).toBe('fixData');
	});

	it('says "send again later" for a row that may be stored only where a resend is harmless', () => {
		expect(stepOf(failed('OUTCOME_UNKNOWN'))).toBe('checkVendorFirst');
		expect(stepOf(failed('OUTCOME_UNKNOWN', promiseOf('OUTCOME_UNKNOWN', true)))).toBe('sendAgainLater');
		expect(stepOf(failed('NO_RESULT', promiseOf('NO_RESULT', true)))).toBe('sendAgainLater');
	});

	it('is set on every failure, after its code, keeping one the code that failed it already chose', () => {
		const outcomes: Outcome[] = [
			{ ok: true, record: {}, result: {} },
			{ ok: false, error: failed('NOT_SENT') },
			{ ok: false, error: { ...failed('INVALID_RECORD'), nextStep: 'fixSettings' } },
		];
		withNextSteps(outcomes, { message: 'Authentication failed', httpStatus: 401 });
		expect(outcomes[0]).toEqual({ ok: true, record: {}, result: {} });
		const errors = outcomes.slice(1).map((outcome) => (outcome as Extract<Outcome, { ok: false }>).error);
		expect(errors.map((error) => error.nextStep)).toEqual(['fixSettings', 'fixSettings']);
		expect(Object.keys(errors[0]).slice(0, 3)).toEqual(['message', 'code', 'nextStep']);
	});
});

describe('the cause a stopped run names beyond the batch the vendor answered', () => {
	it('is the adapter\'s own words, else the status and code, never the vendor\'s free text', () => {
		expect(runCause({ message: 'Refused (NXCLOUD: sign is invalid for {"customers":[…]})', httpStatus: 200, vendorCode: 1003, runCause: 'NXCLOUD rejected the signature (code 1003)' })).toBe(
			'NXCLOUD rejected the signature (code 1003)',
		);
		expect(runCause({ message: 'Refused: Jan Kowalski is invalid', httpStatus: 400, vendorCode: 7 })).toBe('the vendor refused the request (HTTP 400, code 7)');
		// Words the node wrote itself, with no status or code of a vendor's answer: kept.
		expect(runCause({ message: 'Could not connect to the vendor (connection refused) after 4 attempts' })).toBe('Could not connect to the vendor (connection refused) after 4 attempts');
		expect(answerWords({ message: '' })).toBe('no code');
	});
});

describe("a vendor's fatal message that quotes the request", () => {
	const sandbox = useTestSandbox();
	const n8n = n8nHarness();

	it("puts the first batch's customers (name, email, phone) into the NOT_SENT message of every other customer and into the run summary", async () => {
		await sandbox.inject({ vendor: 'nxcloud', type: 'status', status: 200, body: { code: 1003, message: 'sign is invalid for {{request}}' }, echoRequest: true });
		const customers = [
			{ first_name: 'Zofia', last_name: 'Brzęczyszczykiewicz', email: 'zofia.b@example.pl', sms_phone: '48600999111' },
			{ first_name: 'Ann', last_name: 'Lee', email: 'ann@example.com' },
			{ first_name: 'Bo', last_name: 'Chen', email: 'bo@example.com' },
		];
		const run = await n8n.run({
			input: customers,
			node: {
				type: 'nxCloudBatchCustomers',
				parameters: { edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mappingMode: 'autoMapInputData', options: { batchSize: 1, maxRetries: 0 } },
				onError: 'continueRegularOutput',
			},
			credentials: { nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: 'app-key-1', region: 'custom', baseUrl: `${sandbox.url}/nxcloud` } },
		});
		const failure = run.outputs[1] ?? [];
		expect(failure.map((item) => (item.json.error as IDataObject).code)).toEqual(['CONFIGURATION_ERROR', 'NOT_SENT', 'NOT_SENT']);
		const firstCustomer = ['Brzęczyszczykiewicz', 'zofia.b@example.pl', '48600999111'];
		const otherRowsMessages = allText(failure.slice(1).map((item) => (item.json.error as IDataObject).message));
		const hints = allText(run.hints);
		expect(firstCustomer.filter((value) => otherRowsMessages.includes(value) || hints.includes(value))).toEqual([]);
	});
});
