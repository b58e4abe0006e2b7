import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { BatchOperation, VendorError } from './adapter';
import type { FailureCode, FailureDetails, Outcome } from './outcomes';
import type { SessionState, TransportSettings } from './transport';
import { deliver } from './transport';

export interface PendingRecord {
	index: number;
	record: IDataObject;
}

export interface SendSettings extends TransportSettings {
	batchSize: number;
	concurrency: number;
}

export function chunk<T>(entries: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let start = 0; start < entries.length; start += size) chunks.push(entries.slice(start, start + size));
	return chunks;
}

export function failure(code: FailureCode, error: VendorError, batch: number | undefined, retriable: boolean): FailureDetails {
	const details: FailureDetails = { message: error.message, code, retriable };
	if (error.field !== undefined) details.field = error.field;
	if (error.vendorCode !== undefined) details.vendorCode = error.vendorCode;
	if (error.httpStatus !== undefined) details.httpStatus = error.httpStatus;
	if (error.requestId !== undefined) details.requestId = error.requestId;
	if (error.traceId !== undefined) details.traceId = error.traceId;
	if (batch !== undefined) details.batch = batch;
	return details;
}

/**
 * Sends the records in batches (at most `concurrency` at once, input order kept within each
 * batch) and writes one outcome per record into `outcomes`. A batch the vendor rejects as a
 * whole is split in halves until the records at fault are found. Returns the fatal error that
 * stopped the run, if one did; records not sent by then have no outcome.
 */
export async function sendBatches(
	fn: IExecuteFunctions,
	operation: BatchOperation,
	session: SessionState,
	pending: PendingRecord[],
	settings: SendSettings,
	outcomes: Outcome[],
): Promise<VendorError | undefined> {
	const batches = chunk(pending, settings.batchSize);
	let fatal: VendorError | undefined;

	const sendPart = async (part: PendingRecord[], batch: number): Promise<void> => {
		if (fatal) return;
		const records = part.map((entry) => entry.record);
		const reading = await deliver(fn, operation, session, records, settings);
		switch (reading.kind) {
			case 'perRecord':
				part.forEach((entry, position) => {
					const result = reading.results[position];
					if (result === undefined) {
						outcomes[entry.index] = {
							ok: false,
							record: entry.record,
							error: failure('NO_RESULT', { message: 'The vendor returned no result for this customer; it may or may not have been stored' }, batch, true),
						};
					} else if (result.ok) {
						outcomes[entry.index] = { ok: true, record: entry.record, result: result.result, batch };
					} else {
						outcomes[entry.index] = { ok: false, record: entry.record, error: failure('VENDOR_REJECTED', result.error, batch, false) };
					}
				});
				return;
			case 'rejected':
				if (part.length > 1) {
					const half = Math.ceil(part.length / 2);
					await sendPart(part.slice(0, half), batch);
					await sendPart(part.slice(half), batch);
					return;
				}
				outcomes[part[0].index] = { ok: false, record: part[0].record, error: failure('VENDOR_REJECTED', reading.error, batch, false) };
				return;
			case 'unknown':
			case 'notDelivered':
				for (const entry of part) {
					const code = reading.kind === 'unknown' ? 'OUTCOME_UNKNOWN' : 'NOT_DELIVERED';
					outcomes[entry.index] = { ok: false, record: entry.record, error: failure(code, reading.error, batch, true) };
				}
				return;
			case 'fatal':
			case 'resend':
				fatal = fatal ?? reading.error;
				return;
		}
	};

	let next = 0;
	const worker = async () => {
		while (!fatal && next < batches.length) {
			const number = ++next;
			await sendPart(batches[number - 1], number);
		}
	};
	await Promise.all(Array.from({ length: Math.min(settings.concurrency, batches.length) }, worker));
	return fatal;
}
