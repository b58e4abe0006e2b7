import type { ICredentialDataDecryptedObject, IExecuteFunctions, INode, INodeExecutionData, INodeParameters, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BatchOperation, VendorError } from './adapter';
import { readBatchOptions } from './batchOptions';
import type { BatchOptions } from './batchOptions';
import type { Outcome } from './outcomes';
import { secretRedactor } from './redactSecrets';
import { requestParameterReader, secretParameterValues } from './requestParameters';
import { routeOutcomes } from './routeOutcomes';
import { RunControl } from './runControl';
import { runSummary } from './runSummary';
import { failure, notSentError, sendBatches } from './sendBatches';
import type { PendingRecord } from './sendBatches';
import type { SessionState } from './transport';
import { toRecords } from './toRecords';

/** A node's parameters with every secret masked: those declared secret, and any secret value in a text. */
function maskedParameters(value: unknown, redact: (text: string) => string): unknown {
	if (typeof value === 'string') return redact(value);
	if (Array.isArray(value)) return value.map((entry) => maskedParameters(entry, redact));
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, maskedParameters(entry, redact)]));
	}
	return value;
}

/** The node as n8n puts it into an error (and stores it with the execution), its secrets masked. */
function maskedNode(node: INode, operation: BatchOperation, redact: (text: string) => string): INode {
	const parameters = maskedParameters(node.parameters, redact) as INodeParameters;
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
	const requestParameters = operation.requestParameters ?? [];
	const readRequestParameters = requestParameterReader(fn, requestParameters, { dateOrder: options.dateOrder });
	for (const prepared of toRecords(fn, items, operation.schema, options)) {
		if (!prepared.ok) {
			outcomes[prepared.index] = { ok: false, error: prepared.error };
			continue;
		}
		const read = readRequestParameters(prepared.index);
		if (!read.ok) {
			outcomes[prepared.index] = { ok: false, record: prepared.record, error: read.error };
			continue;
		}
		for (const secret of secretParameterValues(requestParameters, read.values)) secrets.add(secret);
		valid.push({ index: prepared.index, record: prepared.record, parameters: read.values });
	}
	return skipDuplicates(operation, valid, outcomes, options);
}

function markUnsent(entries: PendingRecord[], outcomes: Outcome[], run: RunControl): void {
	for (const entry of entries) {
		if (!outcomes[entry.index]) outcomes[entry.index] = { ok: false, record: entry.record, error: failure('NOT_SENT', notSentError(run), undefined) };
	}
}

/** The error that stops the workflow, carrying the node with its secrets masked. */
function fatalError(fn: IExecuteFunctions, operation: BatchOperation, fatal: VendorError, redact: (text: string) => string): NodeApiError | NodeOperationError {
	// n8n copies the node, parameters included, into the error it prints and stores.
	const node = maskedNode(fn.getNode(), operation, redact);
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

	// A run that cannot start: it throws, or under a "continue" error setting (where a thrown error
	// would pass the items on as Success) every row goes to Failure, not sent.
	const stopBeforeSending = (message: string) => {
		const redact = secretRedactor([...secrets], () => []);
		if (!this.continueOnFail()) throw new NodeOperationError(maskedNode(this.getNode(), operation, redact), redact(message));
		const run = new RunControl(0);
		run.stop({ message: redact(message) });
		markUnsent(valid, outcomes, run);
		return finish(run);
	};
	let credentials: ICredentialDataDecryptedObject;
	try {
		credentials = await this.getCredentials(operation.credentialType);
	} catch (error) {
		return stopBeforeSending(`The credential could not be read: ${(error as Error).message}`);
	}
	for (const secret of operation.credentialSecrets(credentials)) secrets.add(secret);
	const credentialProblem = operation.credentialProblem?.(credentials);
	if (credentialProblem !== undefined) return stopBeforeSending(credentialProblem);
	const state: SessionState = {
		context: { credentials, session: {}, retry: { maxRetries: options.maxRetries } },
		version: 0,
		replaced: [],
	};
	const redact = secretRedactor([...secrets], () => [state.context.session, ...state.replaced]);
	const run = new RunControl(options.maxRequestsPerSecond);

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
	if (run.fatal && !vendorAnswered && !this.continueOnFail()) throw fatalError(this, operation, run.fatal, redact);
	return finish(run);
}
