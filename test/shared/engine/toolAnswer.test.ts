import type { INode } from 'n8n-workflow';

import { runsAsTool, toolAnswers } from '../../../nodes/shared/engine/toolAnswer';

const node = (type: string) => ({ type }) as INode;

describe('runsAsTool', () => {
	it('tells the tool node type n8n derives from a node (its type plus "Tool") from the node itself', () => {
		expect(runsAsTool(node('n8n-nodes-customer-batch.thuliumBatchCustomersTool'))).toBe(true);
		expect(runsAsTool(node('CUSTOM.dustessBatchCustomersTool'))).toBe(true);
		expect(runsAsTool(node('n8n-nodes-customer-batch.thuliumBatchCustomers'))).toBe(false);
	});
});

describe('toolAnswers', () => {
	const create = { operation: 'create', resultId: 'customer_id' };

	it('answers every customer on the one output n8n reads, in input order: created with the id, or why not', () => {
		const [answers, ...rest] = toolAnswers(
			[
				{ ok: true, record: { surname: 'Nowak' }, result: { customer_id: '42', http_status: 201 }, batch: 1 },
				{ ok: false, record: { surname: '' }, error: { message: 'Invalid customer: Surname is required', code: 'INVALID_RECORD', retriable: false, mayBeStored: false, field: 'surname', problems: [] } },
			],
			2,
			create,
		);
		expect(rest).toEqual([]);
		expect(answers).toEqual([
			{ json: { created: true, id: '42' }, pairedItem: { item: 0 } },
			{
				json: { created: false, error: { code: 'INVALID_RECORD', message: 'Invalid customer: Surname is required', field: 'surname', retriable: false, mayBeStored: false } },
				pairedItem: { item: 1 },
			},
		]);
	});

	it('keeps the record, the vendor\'s raw answer and the request details out of the answer', () => {
		const [[answer]] = toolAnswers(
			[{ ok: false, record: { surname: 'Nowak' }, error: { message: 'Refused', code: 'VENDOR_REJECTED', retriable: false, mayBeStored: false, httpStatus: 400, vendorCode: 7, requestId: 'r-1', batch: 1 } }],
			1,
			create,
		);
		expect(answer.json).toEqual({ created: false, error: { code: 'VENDOR_REJECTED', message: 'Refused', retriable: false, mayBeStored: false } });
	});

	it('says "updated" for an update, and reports a trace id where the vendor gives no customer id', () => {
		expect(toolAnswers([{ ok: true, record: {}, result: { id: 'c-1' } }], 1, { operation: 'update', resultId: 'id' })[0][0].json).toEqual({ updated: true, id: 'c-1' });
		expect(toolAnswers([{ ok: true, record: {}, result: { traceId: 't-9' } }], 1, { operation: 'create' })[0][0].json).toEqual({ created: true, traceId: 't-9' });
	});

	it('says a customer checked under Validate Only was not created', () => {
		expect(toolAnswers([{ ok: true, record: {}, result: { validatedOnly: true } }], 1, create)[0][0].json).toEqual({ created: false, validatedOnly: true });
	});

	it('never answers nothing: a customer without an outcome may have been stored', () => {
		expect(toolAnswers([], 1, create)[0][0].json).toEqual({
			created: false,
			error: { code: 'NO_RESULT', message: expect.stringMatching(/may or may not have been stored/), retriable: false, mayBeStored: true },
		});
	});
});
