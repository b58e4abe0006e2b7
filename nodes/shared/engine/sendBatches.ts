import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { BatchOperation, VendorError } from './adapter';
import type { FailureCode, FailureDetails, Outcome } from './outcomes';
import { answerWords, promiseOf, runCause } from './outcomes';
import type { RunControl } from './runControl';
import type { DeliveryResult, SessionState, TransportSettings } from './transport';
import { asClause } from './defaultReading';
import { deliver } from './transport';
import { unexpectedCause } from './unexpectedErrors';
import { inInputTerms } from './vendorMessages';

export interface PendingRecord {
	index: number;
	record: IDataObject;
	/** The item's request parameters (a tenant, say): a batch only holds records that share them. */
	parameters: IDataObject;
}

export interface SendSettings extends TransportSettings {
	concurrency: number;
	/** Success outcomes keep the record as it was sent (Include Sent Record); Failure outcomes always do. */
	includeSentRecord: boolean;
}

/** Where the batches come from: the next one once it is ready, undefined when none is left or the run stopped. */
export interface BatchSource {
	next(run: RunControl): Promise<PendingRecord[] | undefined>;
	/** Every outcome of a batch `next` handed out is written. */
	settled(batch: PendingRecord[]): void;
}

export function failure(code: FailureCode, error: VendorError, batch: number | undefined, resendIsSafe = false): FailureDetails {
	const details: FailureDetails = { message: error.message, code, ...promiseOf(code, resendIsSafe) };
	if (error.field !== undefined) details.field = error.field;
	if (error.vendorCode !== undefined) details.vendorCode = error.vendorCode;
	if (error.httpStatus !== undefined) details.httpStatus = error.httpStatus;
	if (error.requestId !== undefined) details.requestId = error.requestId;
	if (error.traceId !== undefined) details.traceId = error.traceId;
	if (batch !== undefined) details.batch = batch;
	return details;
}

/** The Failure of a row the run did not send: the cause of the stop, without the vendor's free text (see runCause). */
export function notSentError(run: RunControl): VendorError {
	const cause = run.fatal ? runCause(run.fatal) : 'the run stopped';
	return { message: `Not sent: the run stopped before this customer's turn (${cause})` };
}

/**
 * A status a vendor gives one record of an answer that says nothing about whether that record was
 * stored: a server error (5xx) or a timeout (408). A 429 also counts here: its "not processed"
 * meaning is defined for a whole request, not for an entry inside an answer that was processed.
 */
function storageUnknownStatus(status: number | undefined): boolean {
	return status !== undefined && (status >= 500 || status === 408 || status === 429);
}

function sameRefusal(a: VendorError, b: VendorError): boolean {
	return String(a.vendorCode) === String(b.vendorCode) && a.httpStatus === b.httpStatus && a.message === b.message;
}

/**
 * Sends the source's batches (at most `concurrency` at once) and writes one outcome per record it
 * sent into `outcomes`. A batch the vendor refuses as a whole is halved until the records at fault
 * are found; when the batch and both halves are refused with the same answer, no record causes
 * it, and the run stops on it. A fatal answer stops every worker at once (deliver stops the run):
 * calls under way finish and are recorded, no new call starts, not even the other half of a split
 * batch.
 */
export async function sendBatches(
	fn: IExecuteFunctions,
	operation: BatchOperation,
	session: SessionState,
	source: BatchSource,
	settings: SendSettings,
	outcomes: Outcome[],
	run: RunControl,
): Promise<void> {
	const send = (part: PendingRecord[]) =>
		deliver(fn, operation, session, part[0].parameters, part.map((entry) => entry.record), settings, run);
	const fail = (entry: PendingRecord, code: FailureCode, error: VendorError, batch: number) => {
		outcomes[entry.index] = { ok: false, record: entry.record, error: failure(code, error, batch, operation.resendIsSafe) };
	};
	// The vendor's words about this request, with its positions named as input items.
	const failInRequest = (part: PendingRecord[], position: number, code: FailureCode, error: VendorError, batch: number) =>
		fail(part[position], code, inInputTerms(error, operation, part, position), batch);
	const failAll = (part: PendingRecord[], code: FailureCode, error: VendorError, batch: number) =>
		part.forEach((_, position) => failInRequest(part, position, code, error, batch));

	const record = (part: PendingRecord[], batch: number, result: Exclude<DeliveryResult, { kind: 'rejected' }>) => {
		switch (result.kind) {
			case 'perRecord':
				part.forEach((entry, position) => {
					const answer = result.results[position];
					if (answer === undefined) {
						fail(entry, 'NO_RESULT', { message: 'The vendor answered without a result for this customer: it may or may not have been stored' }, batch);
					} else if (answer.ok) {
						// Without Include Sent Record, a stored customer's record is not kept to the end of the run.
						outcomes[entry.index] = settings.includeSentRecord ? { ok: true, record: entry.record, result: answer.result, batch } : { ok: true, result: answer.result, batch };
					} else if (answer.mayBeStored) {
						failInRequest(part, position, 'OUTCOME_UNKNOWN', answer.error, batch);
					} else if (storageUnknownStatus(answer.error.httpStatus)) {
						const message = `${answer.error.message}; HTTP ${answer.error.httpStatus} for this customer says nothing about whether it was stored`;
						failInRequest(part, position, 'OUTCOME_UNKNOWN', { ...answer.error, message }, batch);
					} else {
						failInRequest(part, position, 'VENDOR_REJECTED', answer.error, batch);
					}
				});
				return;
			case 'unknown':
				return failAll(part, 'OUTCOME_UNKNOWN', result.error, batch);
			case 'notDelivered':
				return failAll(part, 'NOT_DELIVERED', result.error, batch);
			case 'notSent':
				return part.forEach((entry) => fail(entry, 'NOT_SENT', notSentError(run), batch));
			case 'stopped':
				return failAll(part, result.recordCode, result.recordError ?? result.error, batch);
		}
	};

	const settle = async (part: PendingRecord[], batch: number, result: DeliveryResult, whole: boolean): Promise<void> => {
		if (result.kind !== 'rejected') return record(part, batch, result);
		if (part.length === 1) return failInRequest(part, 0, 'VENDOR_REJECTED', result.error, batch);
		run.stats.splits++;
		const middle = Math.ceil(part.length / 2);
		const halves = [part.slice(0, middle), part.slice(middle)];
		const answers: DeliveryResult[] = [];
		for (const half of halves) answers.push(await send(half));
		if (whole && answers.every((answer) => answer.kind === 'rejected' && sameRefusal(answer.error, result.error))) {
			const refusal = 'The vendor refused this batch and both its halves with the same answer, so no single customer causes it: check the node\'s settings and the credential';
			const error: VendorError = {
				...result.error,
				message: `${refusal} (${asClause(result.error.message)})`,
				runCause: `${refusal} (${answerWords(result.error)})`,
			};
			run.stop(error);
			return failAll(part, 'CONFIGURATION_ERROR', error, batch);
		}
		for (const [position, half] of halves.entries()) await settle(half, batch, answers[position], false);
		if (whole && part.every((entry) => outcomes[entry.index]?.ok)) {
			run.stats.acceptedAfterSplit++;
		}
	};

	let next = 0;
	const worker = async () => {
		while (!run.stopped) {
			let part: PendingRecord[] | undefined;
			try {
				part = await source.next(run);
			} catch (error) {
				// Only a bug can land here (the source hands it on to whoever ran it); nothing of it was sent.
				// Its words may quote an item: the run ends as any run an exception broke (brokenRun).
				run.stop({ message: `The node failed: ${unexpectedCause(error)}` });
				return;
			}
			if (part === undefined || run.stopped) return;
			const batch = ++next;
			try {
				await settle(part, batch, await send(part), true);
			} catch (error) {
				// Only a bug can land here; what this batch's records became is not known. Its words may quote a record.
				run.stop({ message: `The node failed: ${unexpectedCause(error)}` });
				for (const entry of part) {
					if (!outcomes[entry.index]) fail(entry, 'OUTCOME_UNKNOWN', { message: 'The run failed while this customer was being sent: it may or may not have been stored' }, batch);
				}
			}
			source.settled(part);
		}
	};
	await Promise.all(Array.from({ length: settings.concurrency }, worker));
}
