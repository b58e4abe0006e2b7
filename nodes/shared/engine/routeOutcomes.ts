import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { copyOwnKeys } from '../schema/values';
import type { FailureDetails, Outcome } from './outcomes';
import { nextStepOf } from './outcomes';
import { attemptOf, OWN_KEY, readEarlierOutcome } from './reruns';
import type { OperationLabels } from './reruns';

/** The input's keys the node's own replace on its outputs. */
const INPUT_KEYS_REPLACED = ['error', OWN_KEY];

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
 * A Success item carries the record as it was sent only with `includeSentRecord` (the node
 * option Include Sent Record, or a Validate Only run); a Failure item always carries it, if built.
 */
export function routeOutcomes(items: INodeExecutionData[], outcomes: Outcome[], labels: RouteLabels, includeSentRecord: boolean): INodeExecutionData[][] {
	const success: INodeExecutionData[] = [];
	const failure: INodeExecutionData[] = [];
	for (let index = 0; index < items.length; index++) {
		const item = items[index];
		const outcome = outcomes[index];
		const earlier = readEarlierOutcome(item.json, labels);
		const customerBatch: IDataObject = { status: outcome?.ok ? 'success' : 'failure', vendor: labels.vendor, operation: labels.operation, attempt: attemptOf(earlier) };
		if (outcome?.ok) {
			if (includeSentRecord) customerBatch.record = outcome.record;
			customerBatch.result = outcome.result;
			if (outcome.batch !== undefined) customerBatch.batch = outcome.batch;
			if (earlier.inputError !== undefined) customerBatch.inputError = earlier.inputError;
			success.push(routed(item, index, withOwnKeys(earlier.fields, undefined, customerBatch)));
			continue;
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
		failure.push(routed(item, index, withOwnKeys(earlier.fields, error as unknown as IDataObject, customerBatch)));
	}
	return [success, failure];
}

/**
 * The item's fields without an input `error` and an unknown `customerBatch`, then the node's own
 * `error` (Failure items) and `customerBatch`: one copy of the fields.
 */
function withOwnKeys(fields: IDataObject, error: IDataObject | undefined, customerBatch: IDataObject): IDataObject {
	const json = copyOwnKeys(fields, INPUT_KEYS_REPLACED) as IDataObject;
	if (error) json.error = error;
	json[OWN_KEY] = customerBatch;
	return json;
}

/** An output item: paired with its input item, carrying that item's binary data. */
function routed(item: INodeExecutionData, index: number, json: IDataObject): INodeExecutionData {
	const output: INodeExecutionData = { json, pairedItem: { item: index } };
	if (item.binary) output.binary = item.binary;
	return output;
}
