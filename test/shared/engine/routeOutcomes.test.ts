import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Outcome } from '../../../nodes/shared/engine/outcomes';
import { routeOutcomes } from '../../../nodes/shared/engine/routeOutcomes';
import { n8nHarness, outputsOrThrow } from '../../helpers/n8nWorkflow';
import { useTestSandbox } from '../../helpers/sandboxClient';

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
			true,
		);
		expect(success).toEqual([
			{ json: { a: 1, customerBatch: { status: 'success', vendor: 'fake', operation: 'create', attempt: 1, record: { name: 'x' }, result: { id: '1' }, batch: 1 } }, pairedItem: { item: 0 } },
		]);
		expect(failure[0].pairedItem).toEqual({ item: 1 });
	});

	it('never emits a Failure item that n8n would take for a bare error (error output)', () => {
		const [, failure] = routeOutcomes([{ json: {} }], [{ ok: false, error: { message: 'm', code: 'NO_RESULT', retriable: false, mayBeStored: true } }], labels, true);
		const keys = Object.keys(failure[0].json);
		expect(keys).toContain('error');
		expect(keys.filter((key) => !['error', 'message', 'details'].includes(key)).length).toBeGreaterThan(0);
		expect(failure[0].error).toBeUndefined();
	});

	it('makes an item with no outcome a Failure', () => {
		const [success, failure] = routeOutcomes([{ json: { x: 1 } }], [], labels, true);
		expect(success).toHaveLength(0);
		expect(failure[0].json.error).toMatchObject({ code: 'NO_RESULT' });
	});

	const notSent = (): Outcome => ({ ok: false, error: { message: 'not sent', code: 'NOT_SENT', nextStep: 'sendAgainLater', retriable: true, mayBeStored: false } });

	it('keeps the input\'s own `error` as customerBatch.inputError on a Failure item too', () => {
		const [, failure] = routeOutcomes([{ json: { surname: 'A', error: 'from the sheet' } }], [notSent()], labels, true);
		expect(failure[0].json).toEqual({
			surname: 'A',
			error: { message: 'not sent', code: 'NOT_SENT', nextStep: 'sendAgainLater', retriable: true, mayBeStored: false },
			customerBatch: { status: 'failure', vendor: 'fake', operation: 'create', attempt: 1, inputError: 'from the sheet' },
		});
	});

	it('replaces what an earlier run wrote instead of nesting it, and counts the attempts of the same operation', () => {
		const [, first] = routeOutcomes([{ json: { surname: 'A', error: 'from the sheet' } }], [notSent()], labels, true);
		const [, second] = routeOutcomes([first[0]], [notSent()], labels, true);
		expect(second[0].json.customerBatch).toEqual({ status: 'failure', vendor: 'fake', operation: 'create', attempt: 2, inputError: 'from the sheet' });
		const [again] = routeOutcomes([second[0]], [{ ok: true, record: { surname: 'A' }, result: { id: '7' } }], labels, true);
		expect(again[0].json).toEqual({
			surname: 'A',
			customerBatch: { status: 'success', vendor: 'fake', operation: 'create', attempt: 3, record: { surname: 'A' }, result: { id: '7' }, inputError: 'from the sheet' },
		});
		// Another vendor or operation starts counting anew; its node's `error` is still not an input error.
		const [, elsewhere] = routeOutcomes([second[0]], [notSent()], { vendor: 'other', operation: 'create' }, true);
		expect(elsewhere[0].json.customerBatch).toEqual({ status: 'failure', vendor: 'other', operation: 'create', attempt: 1, inputError: 'from the sheet' });
	});
});

describe('routeOutcomes without the sent record', () => {
	it('leaves the record out of Success items only', () => {
		const [success, failure] = routeOutcomes(
			[{ json: { a: 1 } }, { json: { b: 2 } }],
			[
				{ ok: true, record: { name: 'x' }, result: { id: '1' }, batch: 1 },
				{ ok: false, record: { name: 'y' }, error: { message: 'dup', code: 'DUPLICATE_IN_INPUT', retriable: false, mayBeStored: false } },
			],
			{ vendor: 'fake', operation: 'create' },
			false,
		);
		expect(success[0].json).toEqual({ a: 1, customerBatch: { status: 'success', vendor: 'fake', operation: 'create', attempt: 1, result: { id: '1' }, batch: 1 } });
		expect((failure[0].json.customerBatch as IDataObject).record).toEqual({ name: 'y' });
	});
});

describe('the option Include Sent Record, in a node run', () => {
	const sandbox = useTestSandbox();
	const n8n = n8nHarness();
	const thulium = (input: IDataObject[], options: IDataObject = {}) =>
		n8n.run({
			input,
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options } },
			credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, login: 'api_user', password: 'api_pass' } },
		});
	// The second row repeats the first one's phone: a Failure (DUPLICATE_IN_INPUT) that was built, so it has a record.
	const input = [
		{ surname: ' Kowalski ', phone_number: '48600100200' },
		{ surname: 'Nowak', phone_number: '48600100200' },
	];
	const batchOf = (item: INodeExecutionData) => item.json.customerBatch as IDataObject;

	it('is off by default: Success items carry the input fields and the result, Failure items the record', async () => {
		const [success, failure] = outputsOrThrow(await thulium(input));
		expect(success).toHaveLength(1);
		expect(success[0].json.surname).toBe(' Kowalski ');
		expect(batchOf(success[0])).not.toHaveProperty('record');
		expect(batchOf(success[0])).toMatchObject({ status: 'success', result: { customer_id: '1', http_status: 201 } });
		expect(batchOf(failure[0]).record).toEqual({ surname: 'Nowak', phone_number: '48600100200' });
	});

	it('puts the record as it was sent on Success items when on', async () => {
		const [success] = outputsOrThrow(await thulium(input, { includeSentRecord: true }));
		expect(batchOf(success[0]).record).toEqual({ surname: 'Kowalski', phone_number: '48600100200' });
	});

	it('keeps the record on the Success items of Validate Only, whose point it is', async () => {
		const [success] = outputsOrThrow(await thulium(input, { validateOnly: true }));
		expect(batchOf(success[0])).toMatchObject({ record: { surname: 'Kowalski', phone_number: '48600100200' }, result: { validatedOnly: true } });
	});
});
