import type { Outcome } from '../../../nodes/shared/engine/outcomes';
import { RunControl } from '../../../nodes/shared/engine/runControl';
import { runSummary } from '../../../nodes/shared/engine/runSummary';
import { failure } from '../../../nodes/shared/engine/sendBatches';

const stored: Outcome = { ok: true, record: {}, result: {} };
const unknown: Outcome = { ok: false, error: failure('OUTCOME_UNKNOWN', { message: 'timeout' }, 1) };
const unsent: Outcome = { ok: false, error: failure('NOT_SENT', { message: 'stopped' }, undefined) };

describe('the run summary shown in the editor', () => {
	it('counts what was done and how', () => {
		const run = new RunControl(0);
		Object.assign(run.stats, { requests: 3, retries: 1, splits: 1 });
		const [summary] = runSummary([stored, stored, unknown], run, 'created', false);
		expect(summary).toEqual({ message: '2 created, 1 failed (3 requests, 1 retry, 1 split).', type: 'warning', location: 'outputPane' });
	});

	it('says which failed rows may be stored, the fatal cause, a batch size refused and rate limiting', () => {
		const run = new RunControl(0);
		run.stop({ message: 'Authentication failed (HTTP 401)' });
		Object.assign(run.stats, { requests: 2, acceptedAfterSplit: 1, rateLimited: 2 });
		const messages = runSummary([stored, unknown, unsent, unsent], run, 'created', false).map((hint) => hint.message);
		expect(messages).toEqual([
			'1 created, 3 failed (2 requests, 0 retries, 0 splits).',
			'The run stopped: Authentication failed (HTTP 401). 2 rows were not sent (retriable).',
			'1 failed row may already be stored (mayBeStored): check before sending them again.',
			'The vendor refused 1 batch as a whole and took the halves: lower the Batch Size option.',
			'The vendor answered "too many requests" 2 times: set Max Requests Per Second to stay inside its limit.',
		]);
	});

	it('says plainly that a Validate Only run sent nothing', () => {
		const [summary] = runSummary([stored, unknown], undefined, 'created', true);
		expect(summary.message).toBe('Validate Only: 1 valid, 1 failed; nothing was sent to the vendor.');
	});
});
