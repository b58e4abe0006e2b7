import type { IDataObject } from 'n8n-workflow';

import type { FailureDetails } from './outcomes';
import { nextStepOf } from './outcomes';

/** The key every output item of this package carries, and that nothing else gives an item. */
export const OWN_KEY = 'customerBatch';

/** A vendor operation, as `customerBatch` names it. */
export interface OperationLabels {
	vendor: string;
	operation: string;
}

/**
 * What a Batch Create Customers node wrote on an item that now comes in again: a re-run of its
 * Failure output (the README's recipe), or its output fed to another node of this package.
 */
export interface EarlierOutcome {
	/** The item's own fields (`inputFields`). */
	fields: IDataObject;
	/** The `error` field of the item as it first came in (kept as `customerBatch.inputError`). */
	inputError?: unknown;
	/** How many times a node of this vendor and operation tried the item, when its last attempt failed. */
	failedAttempts?: number;
	/** The Failure `error` of that last attempt. */
	lastError?: IDataObject;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The package's own `customerBatch` on an item, recognised by its shape. */
function ownBatch(json: IDataObject): IDataObject | undefined {
	const batch = json[OWN_KEY];
	if (!isObject(batch)) return undefined;
	const mine = (batch.status === 'success' || batch.status === 'failure') && typeof batch.vendor === 'string' && typeof batch.operation === 'string';
	return mine ? batch : undefined;
}

/**
 * An input item's own fields: without the keys a node of this package wrote on it (its
 * `customerBatch`, and the `error` of its Failure item), which are neither sent nor counted as
 * unknown fields. An `error` the input brought along stays a field, like any other key.
 */
export function inputFields(json: IDataObject): IDataObject {
	const batch = ownBatch(json);
	if (!batch) return json;
	const { [OWN_KEY]: _ownBatch, ...fields } = json;
	if (batch.status !== 'failure') return fields;
	const { error: _ownError, ...withoutError } = fields;
	return withoutError;
}

/**
 * An input item read back, so that an output replaces what an earlier node of this package wrote
 * instead of nesting it, keeps the input's own `error` (as `customerBatch.inputError`), and
 * counts the attempts of a Failure item sent again through a node of the same vendor and operation.
 */
export function readEarlierOutcome(json: IDataObject, labels: OperationLabels): EarlierOutcome {
	const fields = inputFields(json);
	const batch = ownBatch(json);
	if (!batch) return { fields, inputError: json.error };
	if (batch.status !== 'failure') return { fields, inputError: fields.error ?? batch.inputError };
	// The `error` of this package's Failure item is the node's own, never an input error.
	const earlier: EarlierOutcome = { fields, inputError: batch.inputError };
	if (batch.vendor === labels.vendor && batch.operation === labels.operation) {
		const attempt = Number(batch.attempt);
		// Items from before attempts were counted carry none: their one attempt counts.
		earlier.failedAttempts = Number.isInteger(attempt) && attempt > 0 ? attempt : 1;
		earlier.lastError = isObject(json.error) ? json.error : {};
	}
	return earlier;
}

/** The number of this attempt at sending the item: 1, or one more than its last failed attempt. */
export function attemptOf(earlier: EarlierOutcome): number {
	return (earlier.failedAttempts ?? 0) + 1;
}

/**
 * The final Failure of an item this node will not send again: it already failed Max Retries + 1
 * times (the first run and Max Retries re-runs of its Failure output), so a re-run loop that
 * waits on a cause that does not go away ends by itself.
 */
export function retriesExhausted(earlier: EarlierOutcome, maxRetries: number): FailureDetails | undefined {
	const attempts = earlier.failedAttempts;
	if (attempts === undefined || attempts <= maxRetries) return undefined;
	const last = earlier.lastError ?? {};
	// Looped again after this very answer: keep naming the attempt that really failed.
	const again = last.code === 'RETRIES_EXHAUSTED';
	const lastCode = again && typeof last.lastCode === 'string' ? last.lastCode : typeof last.code === 'string' ? last.code : 'unknown';
	const message = again && typeof last.message === 'string'
		? last.message
		: `Not sent again: this customer failed ${attempts} ${attempts === 1 ? 'time' : 'times'}, the most that Max Retries (${maxRetries}) allows; the last attempt ended as ${lastCode}${typeof last.message === 'string' && last.message ? `: ${last.message}` : ''}`;
	return {
		message,
		code: 'RETRIES_EXHAUSTED',
		nextStep: nextStepOf('RETRIES_EXHAUSTED'),
		retriable: false,
		// Whatever its last attempt left open stays open.
		mayBeStored: last.mayBeStored !== false,
		lastCode,
	};
}
