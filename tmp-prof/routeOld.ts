import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { FailureDetails, Outcome } from '../nodes/shared/engine/outcomes';
import { nextStepOf } from '../nodes/shared/engine/outcomes';
import { attemptOf, OWN_KEY, readEarlierOutcome } from '../nodes/shared/engine/reruns';
import type { OperationLabels } from '../nodes/shared/engine/reruns';

export type RouteLabels = OperationLabels;

/**
 * Outcomes → the node's two outputs, Success (0) and Failure (1), each in input order, every
 * item paired with the input item it came from and carrying that item's fields. The
 * `customerBatch` key keeps a Failure item from looking like a bare error to n8n's
 * "Continue (using error output)", which would otherwise move it to a third output.
 *
 * An input field named `error` moves to `customerBatch.inputError` on both outputs: n8n's Retry
 * On Fail runs the node again when its first Success item has an `error`, which would send stored
 * customers twice, and a Failure item's `error` is the node's own. What an earlier node of this
 * package wrote on the item (its `customerBatch`, its Failure `error`) is replaced, not nested.
 */
export function routeOutcomes(items: INodeExecutionData[], outcomes: Outcome[], labels: RouteLabels): INodeExecutionData[][] {
	const success: INodeExecutionData[] = [];
	const failure: INodeExecutionData[] = [];
	items.forEach((item, index) => {
		const outcome = outcomes[index];
		const earlier = readEarlierOutcome(item.json, labels);
		const { error: _inputError, [OWN_KEY]: _unknownBatch, ...json } = earlier.fields;
		const paired = { pairedItem: { item: index }, ...(item.binary ? { binary: item.binary } : {}) };
		const customerBatch: IDataObject = { status: outcome?.ok ? 'success' : 'failure', ...labels, attempt: attemptOf(earlier) };
		if (outcome?.ok) {
			customerBatch.record = outcome.record;
			customerBatch.result = outcome.result;
			if (outcome.batch !== undefined) customerBatch.batch = outcome.batch;
			if (earlier.inputError !== undefined) customerBatch.inputError = earlier.inputError;
			success.push({ json: { ...json, customerBatch }, ...paired });
			return;
		}
		// Every item gets an outcome; should one be missing, nothing about it is known.
		const error: FailureDetails = outcome?.error ?? {
			message: 'No outcome was recorded for this customer: it may or may not have been stored',
			code: 'NO_RESULT',
			retriable: false,
			mayBeStored: true,
		};
		error.nextStep ??= nextStepOf(error.code);
		// Not sent again: the count stays at the attempts made.
		if (error.code === 'RETRIES_EXHAUSTED') customerBatch.attempt = earlier.failedAttempts ?? 1;
		if (outcome?.record) customerBatch.record = outcome.record;
		if (earlier.inputError !== undefined) customerBatch.inputError = earlier.inputError;
		failure.push({ json: { ...json, error: error as unknown as IDataObject, customerBatch }, ...paired });
	});
	return [success, failure];
}
