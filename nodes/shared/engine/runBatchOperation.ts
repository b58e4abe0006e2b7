import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BatchOperation, VendorError } from './adapter';
import { readBatchOptions } from './batchOptions';
import type { BatchOptions } from './batchOptions';
import type { Outcome } from './outcomes';
import { secretRedactor } from './redactSecrets';
import { routeOutcomes } from './routeOutcomes';
import { RunControl } from './runControl';
import { runSummary } from './runSummary';
import { failure, notSentError, sendBatches } from './sendBatches';
import type { PendingRecord } from './sendBatches';
import type { SessionState } from './transport';
import { toRecords } from './toRecords';

/**
 * Reads the request parameters of each item: a parameter written as an expression is evaluated
 * for every item, a fixed one once. Returns the item's values, or what is wrong with one.
 */
function requestParameterReader(fn: IExecuteFunctions, operation: BatchOperation) {
	const raw = fn.getNode().parameters;
	const fixed = new Map<string, unknown>();
	for (const parameter of operation.requestParameters ?? []) {
		const value = raw[parameter.name];
		if (!(typeof value === 'string' && value.startsWith('='))) fixed.set(parameter.name, fn.getNodeParameter(parameter.name, 0, ''));
	}
	return (index: number): { parameters: IDataObject } | { error: VendorError } => {
		const parameters: IDataObject = {};
		for (const parameter of operation.requestParameters ?? []) {
			const value = (fixed.has(parameter.name) ? fixed.get(parameter.name) : fn.getNodeParameter(parameter.name, index, '')) as IDataObject;
			const problem = parameter.check?.(value);
			if (problem !== undefined) return { error: { message: problem, field: parameter.name } };
			parameters[parameter.name] = value;
		}
		return { parameters };
	};
}

/** The node as n8n puts it into an error, with its secret parameters masked. */
function maskedNode(node: INode, operation: BatchOperation): INode {
	const parameters = { ...node.parameters };
	for (const parameter of operation.requestParameters ?? []) {
		if (parameter.secret && parameters[parameter.name] !== undefined) parameters[parameter.name] = '***';
	}
	return { ...node, parameters };
}

/**
 * Valid records → the records to send, leaving out each customer that an earlier row of the
 * input already carries (by the operation's natural keys).
 */
function skipDuplicates(operation: BatchOperation, pending: PendingRecord[], outcomes: Outcome[], options: BatchOptions): PendingRecord[] {
	if (!options.skipDuplicateRows || !operation.naturalKeys) return pending;
	const firstRow = new Map<string, number>();
	return pending.filter((entry) => {
		const keys = operation.naturalKeys!(entry.record);
		const earlier = keys.map((key) => firstRow.get(`${JSON.stringify(entry.parameters)}\n${key}`)).find((index) => index !== undefined);
		if (earlier !== undefined) {
			const error = failure('DUPLICATE_IN_INPUT', { message: `Not sent: the same customer is in input item ${earlier} (Skip Duplicate Rows)` }, undefined);
			outcomes[entry.index] = { ok: false, record: entry.record, error: { ...error, duplicateOf: earlier } };
			return false;
		}
		for (const key of keys) firstRow.set(`${JSON.stringify(entry.parameters)}\n${key}`, entry.index);
		return true;
	});
}

/**
 * Input items → the records to send: each item mapped and validated, its request parameters read
 * and checked, duplicates of earlier rows left out. Items that fail get their outcome here.
 */
function prepareRecords(
	fn: IExecuteFunctions,
	operation: BatchOperation,
	items: INodeExecutionData[],
	options: BatchOptions,
	outcomes: Outcome[],
	secrets: Set<string>,
): PendingRecord[] {
	const valid: PendingRecord[] = [];
	const readRequestParameters = requestParameterReader(fn, operation);
	for (const prepared of toRecords(fn, items, operation.schema, options)) {
		if (!prepared.ok) {
			outcomes[prepared.index] = { ok: false, error: prepared.error };
			continue;
		}
		const read = readRequestParameters(prepared.index);
		if ('error' in read) {
			outcomes[prepared.index] = { ok: false, record: prepared.record, error: failure('INVALID_RECORD', read.error, undefined) };
			continue;
		}
		for (const parameter of operation.requestParameters ?? []) {
			if (parameter.secret && read.parameters[parameter.name]) secrets.add(String(read.parameters[parameter.name]));
		}
		valid.push({ index: prepared.index, record: prepared.record, parameters: read.parameters });
	}
	return skipDuplicates(operation, valid, outcomes, options);
}

function markUnsent(entries: PendingRecord[], outcomes: Outcome[], run: RunControl): void {
	for (const entry of entries) {
		if (!outcomes[entry.index]) outcomes[entry.index] = { ok: false, record: entry.record, error: failure('NOT_SENT', notSentError(run), undefined) };
	}
}

/** The error that stops the workflow, carrying the node with its secret parameters masked. */
function fatalError(fn: IExecuteFunctions, operation: BatchOperation, fatal: VendorError): NodeApiError | NodeOperationError {
	// n8n copies the node, parameters included, into the error it prints and stores.
	const node = maskedNode(fn.getNode(), operation);
	if (fatal.httpStatus === undefined) return new NodeOperationError(node, fatal.message);
	const httpCode = String(fatal.httpStatus);
	return new NodeApiError(node, { message: fatal.message, httpCode } as JsonObject, { message: fatal.message, httpCode });
}

/**
 * The whole job of a Batch Create Customers node: input items → records → batches → vendor
 * calls → one outcome per item → Success / Failure outputs, and a summary in the editor.
 */
export async function runBatchOperation(this: IExecuteFunctions, operation: BatchOperation): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const labels = { vendor: operation.vendor, operation: operation.operation };
	if (items.length === 0) return [[], []];

	const options = readBatchOptions(this, operation.maxBatchSize, operation.defaultBatchSize);
	const outcomes: Outcome[] = new Array(items.length);
	const secrets = new Set<string>();
	const valid = prepareRecords(this, operation, items, options, outcomes, secrets);

	const verb = operation.operation === 'update' ? 'updated' : 'created';
	const finish = (run?: RunControl) => {
		this.addExecutionHints?.(...runSummary(outcomes, run, verb, options.validateOnly));
		return routeOutcomes(items, outcomes, labels);
	};
	if (options.validateOnly) {
		for (const entry of valid) outcomes[entry.index] = { ok: true, record: entry.record, result: { validatedOnly: true } };
		return finish();
	}
	if (valid.length === 0) return finish();

	let credentials: ICredentialDataDecryptedObject;
	try {
		credentials = await this.getCredentials(operation.credentialType);
	} catch (error) {
		// Thrown under a "continue" error setting, n8n would pass the items on as Success.
		if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), error as Error);
		const run = new RunControl(0);
		run.stop({ message: `The credential could not be read: ${(error as Error).message}` });
		markUnsent(valid, outcomes, run);
		return finish(run);
	}
	for (const secret of operation.credentialSecrets(credentials)) secrets.add(secret);
	const run = new RunControl(options.maxRequestsPerSecond);
	const state: SessionState = {
		context: { credentials, session: {}, retry: { maxRetries: options.maxRetries, run } },
		version: 0,
		replaced: [],
	};
	const redact = secretRedactor([...secrets], () => [state.context.session, ...state.replaced]);

	try {
		if (operation.openSession) {
			state.context.session = await operation.openSession.call(this, { ...state.context, parameters: valid[0].parameters }, false);
		}
	} catch (error) {
		const httpCode = (error as { httpCode?: string }).httpCode;
		run.stop({ message: (error as Error).message, httpStatus: httpCode ? Number(httpCode) : undefined });
	}
	if (!run.stopped) await sendBatches(this, operation, state, valid, { ...options }, outcomes, run);

	markUnsent(valid, outcomes, run);
	for (const outcome of outcomes) {
		if (!outcome.ok) outcome.error.message = redact(outcome.error.message);
	}
	if (run.fatal) run.fatal.message = redact(run.fatal.message);
	this.logger.debug(`${operation.vendor} ${operation.operation}: ${items.length} items, ${valid.length} to send, ${run.stats.requests} requests`);

	// Throwing discards every outcome: only done when the vendor processed no row (none stored,
	// possibly stored or refused). Otherwise the outputs go out and the cause is shown with them.
	const vendorAnswered = outcomes.some((outcome) => outcome.ok || outcome.error.mayBeStored || outcome.error.code === 'VENDOR_REJECTED');
	if (run.fatal && !vendorAnswered && !this.continueOnFail()) throw fatalError(this, operation, run.fatal);
	return finish(run);
}
