import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Outcome } from './outcomes';

export interface RouteLabels {
	vendor: string;
	operation: string;
}

/**
 * Outcomes → the node's two outputs, Success (0) and Failure (1), each in input order, every
 * item paired with the input item it came from and carrying that item's fields. The
 * `customerBatch` key keeps a Failure item from looking like a bare error to n8n's
 * "Continue (using error output)", which would otherwise move it to a third output.
 */
export function routeOutcomes(items: INodeExecutionData[], outcomes: Outcome[], labels: RouteLabels): INodeExecutionData[][] {
	const success: INodeExecutionData[] = [];
	const failure: INodeExecutionData[] = [];
	items.forEach((item, index) => {
		const outcome = outcomes[index];
		const paired = { pairedItem: { item: index }, ...(item.binary ? { binary: item.binary } : {}) };
		if (outcome?.ok) {
			const customerBatch: IDataObject = { status: 'success', ...labels, record: outcome.record, result: outcome.result };
			if (outcome.batch !== undefined) customerBatch.batch = outcome.batch;
			// n8n's Retry On Fail runs the node again when the first Success item has an `error`, which
			// would send stored customers twice: an input field of that name moves under customerBatch.
			const { error: inputError, ...json } = item.json;
			if (inputError !== undefined) customerBatch.inputError = inputError;
			success.push({ json: { ...json, customerBatch }, ...paired });
			return;
		}
		// Every item gets an outcome; should one be missing, nothing about it is known.
		const error = outcome?.error ?? { message: 'No outcome was recorded for this customer: it may or may not have been stored', code: 'NO_RESULT', retriable: false, mayBeStored: true };
		const customerBatch: IDataObject = { status: 'failure', ...labels };
		if (outcome?.record) customerBatch.record = outcome.record;
		failure.push({ json: { ...item.json, error: error as unknown as IDataObject, customerBatch }, ...paired });
	});
	return [success, failure];
}
