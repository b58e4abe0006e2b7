import type { Outcome } from '../../../nodes/shared/engine/outcomes';
import { routeOutcomes } from '../../../nodes/shared/engine/routeOutcomes';

describe('routeOutcomes', () => {
	const labels = { vendor: 'fake', operation: 'create' };

	it('routes by outcome, keeps input fields and pairs every item', () => {
		const [success, failure] = routeOutcomes(
			[{ json: { a: 1 } }, { json: {} }],
			[
				{ ok: true, record: { name: 'x' }, result: { id: '1' }, batch: 1 },
				{ ok: false, error: { message: 'bad', code: 'INVALID_RECORD', retriable: false, mayBeStored: false } },
			],
			labels,
		);
		expect(success).toEqual([
			{ json: { a: 1, customerBatch: { status: 'success', vendor: 'fake', operation: 'create', attempt: 1, record: { name: 'x' }, result: { id: '1' }, batch: 1 } }, pairedItem: { item: 0 } },
		]);
		expect(failure[0].pairedItem).toEqual({ item: 1 });
	});

	it('never emits a Failure item that n8n would take for a bare error (error output)', () => {
		const [, failure] = routeOutcomes([{ json: {} }], [{ ok: false, error: { message: 'm', code: 'NO_RESULT', retriable: false, mayBeStored: true } }], labels);
		const keys = Object.keys(failure[0].json);
		expect(keys).toContain('error');
		expect(keys.filter((key) => !['error', 'message', 'details'].includes(key)).length).toBeGreaterThan(0);
		expect(failure[0].error).toBeUndefined();
	});

	it('makes an item with no outcome a Failure', () => {
		const [success, failure] = routeOutcomes([{ json: { x: 1 } }], [], labels);
		expect(success).toHaveLength(0);
		expect(failure[0].json.error).toMatchObject({ code: 'NO_RESULT' });
	});

	const notSent = (): Outcome => ({ ok: false, error: { message: 'not sent', code: 'NOT_SENT', nextStep: 'sendAgainLater', retriable: true, mayBeStored: false } });

	it('keeps the input\'s own `error` as customerBatch.inputError on a Failure item too', () => {
		const [, failure] = routeOutcomes([{ json: { surname: 'A', error: 'from the sheet' } }], [notSent()], labels);
		expect(failure[0].json).toEqual({
			surname: 'A',
			error: { message: 'not sent', code: 'NOT_SENT', nextStep: 'sendAgainLater', retriable: true, mayBeStored: false },
			customerBatch: { status: 'failure', vendor: 'fake', operation: 'create', attempt: 1, inputError: 'from the sheet' },
		});
	});

	it('replaces what an earlier run wrote instead of nesting it, and counts the attempts of the same operation', () => {
		const [, first] = routeOutcomes([{ json: { surname: 'A', error: 'from the sheet' } }], [notSent()], labels);
		const [, second] = routeOutcomes([first[0]], [notSent()], labels);
		expect(second[0].json.customerBatch).toEqual({ status: 'failure', vendor: 'fake', operation: 'create', attempt: 2, inputError: 'from the sheet' });
		const [again] = routeOutcomes([second[0]], [{ ok: true, record: { surname: 'A' }, result: { id: '7' } }], labels);
		expect(again[0].json).toEqual({
			surname: 'A',
			customerBatch: { status: 'success', vendor: 'fake', operation: 'create', attempt: 3, record: { surname: 'A' }, result: { id: '7' }, inputError: 'from the sheet' },
		});
		// Another vendor or operation starts counting anew; its node's `error` is still not an input error.
		const [, elsewhere] = routeOutcomes([second[0]], [notSent()], { vendor: 'other', operation: 'create' });
		expect(elsewhere[0].json.customerBatch).toEqual({ status: 'failure', vendor: 'other', operation: 'create', attempt: 1, inputError: 'from the sheet' });
	});
});
