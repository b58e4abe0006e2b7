import type { RequestParameter } from '../../../nodes/shared/engine/adapter';
import type { FailureDetails, Outcome } from '../../../nodes/shared/engine/outcomes';
import { withNextSteps } from '../../../nodes/shared/engine/outcomes';
import { RunControl } from '../../../nodes/shared/engine/runControl';
import { runSummary } from '../../../nodes/shared/engine/runSummary';
import { failure } from '../../../nodes/shared/engine/sendBatches';

const stored: Outcome = { ok: true, record: {}, result: {} };
const unknown: Outcome = { ok: false, error: failure('OUTCOME_UNKNOWN', { message: 'timeout' }, 1) };
const unsent: Outcome = { ok: false, error: failure('NOT_SENT', { message: 'stopped' }, undefined) };
const failed = (error: FailureDetails): Outcome => ({ ok: false, error });
const tenant: RequestParameter = { name: 'tenantId', label: 'Tenant ID', description: 'The tenant', type: 'integer', required: true };

describe('the run summary shown in the editor', () => {
	it('counts what was done and how, saying what a split is', () => {
		const run = new RunControl(0);
		Object.assign(run.stats, { requests: 3, retries: 1, splits: 1 });
		const [summary] = runSummary([stored, stored, stored], run, 'created', false);
		expect(summary).toEqual({
			message: '3 created, 0 failed (3 requests, 1 retry, 1 split — refused batches halved to find the rows at fault).',
			type: 'info',
			location: 'outputPane',
		});
		Object.assign(run.stats, { splits: 0 });
		expect(runSummary([stored], run, 'created', false)[0].message).toBe('1 created, 0 failed (3 requests, 1 retry).');
	});

	it('says which failed rows may be stored, the fatal cause, a batch size refused and rate limiting', () => {
		const run = new RunControl(0);
		run.stop({ message: 'Authentication failed (HTTP 401)' });
		Object.assign(run.stats, { requests: 2, acceptedAfterSplit: 1, rateLimited: 2 });
		const messages = runSummary([stored, unknown, unsent, unsent], run, 'created', false).map((hint) => hint.message);
		expect(messages).toEqual([
			'1 created, 3 failed (2 requests, 0 retries).',
			'2 rows: not sent, the run stopped before their turn — nothing was stored: send again later.',
			'1 row: outcome unknown without a readable answer (a timeout, a dropped connection or an unreadable reply) — may already be stored: check the vendor before sending again.',
			'The run stopped: Authentication failed (HTTP 401). 2 rows were not sent (retriable).',
			'The vendor refused 1 batch as a whole and took the halves: lower the Batch Size option.',
			'The vendor answered "too many requests" 2 times: set Max Requests Per Second to stay inside its limit.',
		]);
	});

	it('names the leading causes with their counts and what to do, a request parameter by its label, and counts the rest', () => {
		const badTenant = (): FailureDetails => ({
			...failure('INVALID_RECORD', { message: "Invalid node parameter: 'Tenant ID' (tenantId) must be a whole number, got text of 3 characters", field: 'tenantId' }, undefined),
			nextStep: 'fixSettings',
			problems: [{ field: 'tenantId', rule: 'type', message: "'Tenant ID' (tenantId) must be a whole number, got text of 3 characters" }],
		});
		const outage = () => failure('NOT_DELIVERED', { message: 'The vendor did not take the request after 4 attempts: HTTP 503', httpStatus: 503 }, 1);
		const tooLong = (length: number) =>
			failure('INVALID_RECORD', { message: `Invalid customer: 'Email' (email) must be at most 50 characters, got ${length}` }, undefined);
		const withProblem = (length: number): FailureDetails => ({
			...tooLong(length),
			problems: [
				{ field: 'email', rule: 'maxLength', message: `'Email' (email) must be at most 50 characters, got ${length}` },
				{ field: 'first_name', rule: 'required', message: "'First Name' (first_name) is required" },
			],
		});
		const rejected = failure('VENDOR_REJECTED', { message: 'customer is blocked: 48600100200', vendorCode: 1002, httpStatus: 200 }, 2);
		const duplicate = failure('DUPLICATE_IN_INPUT', { message: 'Not sent: input item 0 …' }, undefined);
		const outcomes = [
			...Array.from({ length: 5 }, () => failed(badTenant())),
			...Array.from({ length: 4 }, () => failed(outage())),
			failed(withProblem(56)),
			failed(withProblem(70)),
			failed(withProblem(61)),
			failed(rejected),
			failed(duplicate),
			stored,
		];
		withNextSteps(outcomes);
		const hints = runSummary(outcomes, new RunControl(0), 'created', false, [tenant]);
		expect(hints.map((hint) => hint.message)).toEqual([
			'1 created, 14 failed (0 requests, 0 retries).',
			"5 rows: 'Tenant ID' (tenantId) must be a whole number — fix the node's Tenant ID.",
			'4 rows: not delivered, the vendor answered HTTP 503 to every attempt — nothing was stored: send again later.',
			"3 rows: 'Email' (email) must be at most 50 characters — fix the data (error.message says what), then send again.",
			'And 3 more causes: each Failure item says its own in error.message, error.code and error.nextStep.',
		]);
		expect(hints.slice(1, 4).every((hint) => hint.type === 'warning')).toBe(true);
		// A vendor's words may quote customer data: the summary names its code, never its message.
		expect(JSON.stringify(hints)).not.toContain('48600100200');
	});

	it('says plainly that a Validate Only run sent nothing, and why rows are invalid', () => {
		const invalid = failed({
			...failure('INVALID_RECORD', { message: "Invalid customer: 'Surname' (surname) is required" }, undefined),
			problems: [{ field: 'surname', rule: 'required', message: "'Surname' (surname) is required" }],
		});
		const messages = runSummary([stored, invalid], undefined, 'created', true).map((hint) => hint.message);
		expect(messages).toEqual([
			'Validate Only: 1 valid, 1 failed; nothing was sent to the vendor.',
			"1 row: 'Surname' (surname) is required — fix the data (error.message says what), then send again.",
		]);
	});
});
