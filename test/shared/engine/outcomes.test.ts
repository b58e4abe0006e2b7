import { promiseOf } from '../../../nodes/shared/engine/outcomes';
import type { FailureCode } from '../../../nodes/shared/engine/outcomes';

describe('what a failure code promises', () => {
	it('is retriable only where sending again cannot create a duplicate', () => {
		const retriable: FailureCode[] = ['NOT_DELIVERED', 'NOT_SENT', 'CONFIGURATION_ERROR'];
		const notRetriable: FailureCode[] = ['INVALID_RECORD', 'DUPLICATE_IN_INPUT', 'VENDOR_REJECTED', 'NO_RESULT', 'OUTCOME_UNKNOWN'];
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
