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
		expect(success).toEqual([{ json: { a: 1, customerBatch: { status: 'success', vendor: 'fake', operation: 'create', record: { name: 'x' }, result: { id: '1' }, batch: 1 } }, pairedItem: { item: 0 } }]);
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
});
