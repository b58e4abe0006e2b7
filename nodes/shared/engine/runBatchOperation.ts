import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { AdapterContext, BatchOperation } from './adapter';
import { readBatchOptions } from './batchOptions';
import type { Outcome } from './outcomes';
import { secretRedactor } from './redactSecrets';
import { routeOutcomes } from './routeOutcomes';
import { failure, sendBatches } from './sendBatches';
import type { PendingRecord } from './sendBatches';
import type { SessionState } from './transport';
import { toRecords } from './toRecords';

/**
 * The whole job of a Batch Create Customers node: input items → records → batches → vendor
 * calls → one outcome per item → Success / Failure outputs.
 */
export async function runBatchOperation(this: IExecuteFunctions, operation: BatchOperation): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const labels = { vendor: operation.vendor, operation: operation.operation };
	if (items.length === 0) return [[], []];

	const options = readBatchOptions(this, operation.maxBatchSize, operation.defaultBatchSize);
	const outcomes: Outcome[] = new Array(items.length);
	const pending: PendingRecord[] = [];
	for (const prepared of toRecords(this, items, operation.schema, options.rejectUnknownFields)) {
		if (!prepared.ok) outcomes[prepared.index] = { ok: false, error: prepared.error };
		else if (options.validateOnly) outcomes[prepared.index] = { ok: true, record: prepared.record, result: { validatedOnly: true } };
		else pending.push({ index: prepared.index, record: prepared.record });
	}
	if (pending.length === 0) return routeOutcomes(items, outcomes, labels);

	const parameters: IDataObject = {};
	for (const name of operation.nodeParameters ?? []) parameters[name] = this.getNodeParameter(name, 0) as IDataObject;
	const context: AdapterContext = { credentials: await this.getCredentials(operation.credentialType), parameters, session: {} };
	const session: SessionState = { context, version: 0, replaced: [] };
	const redact = secretRedactor(context.credentials, () => [context.session, ...session.replaced]);

	let fatal;
	try {
		if (operation.openSession) context.session = await operation.openSession.call(this, context, false);
		fatal = await sendBatches(this, operation, session, pending, { ...options }, outcomes);
	} catch (error) {
		fatal = { message: (error as Error).message };
	}

	if (fatal) {
		const message = redact(fatal.message);
		if (!this.continueOnFail()) {
			const httpCode = fatal.httpStatus === undefined ? undefined : String(fatal.httpStatus);
			throw new NodeApiError(this.getNode(), { message, httpCode } as JsonObject, { message, httpCode });
		}
		for (const entry of pending) {
			if (!outcomes[entry.index]) {
				outcomes[entry.index] = { ok: false, record: entry.record, error: failure('CONFIGURATION_ERROR', { ...fatal, message }, undefined, true) };
			}
		}
	}

	for (const outcome of outcomes) {
		if (outcome && !outcome.ok) outcome.error.message = redact(outcome.error.message);
	}
	this.logger.debug(`${operation.vendor} ${operation.operation}: ${items.length} items, ${pending.length} sent`);
	return routeOutcomes(items, outcomes, labels);
}
