import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BatchOperation, VendorError } from './adapter';
import { readBatchOptions } from './batchOptions';
import type { BatchOptions } from './batchOptions';
import type { Outcome } from './outcomes';
import { nextStepOf, withNextSteps } from './outcomes';
import { secretRedactor } from './redactSecrets';
import { readEarlierOutcome, retriesExhausted } from './reruns';
import { routeOutcomes } from './routeOutcomes';
import { RunControl } from './runControl';
import { runSummary } from './runSummary';
import { runsAsTool, toolAnswers } from './toolAnswer';
import { failure, notSentError, sendBatches } from './sendBatches';
import type { PendingRecord } from './sendBatches';
import type { SessionState } from './transport';
import { toRecords } from './toRecords';
import { unexpectedCause, unreadableItemMessage } from './unexpectedErrors';

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
		let keys: string[];
		try {
			keys = operation.naturalKeys!(entry.record);
		} catch (error) {
			outcomes[entry.index] = { ok: false, record: entry.record, error: failure('INVALID_RECORD', { message: unreadableItemMessage(error) }, undefined) };
			return false;
		}
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
 * and checked, items this node already tried as often as Max Retries allows and duplicates of
 * earlier rows left out. Items that fail get their outcome here.
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
		const exhausted = retriesExhausted(readEarlierOutcome(items[prepared.index].json, operation), options.maxRetries);
		if (exhausted) {
			outcomes[prepared.index] = { ok: false, error: exhausted, ...(prepared.ok ? { record: prepared.record } : {}) };
			continue;
		}
		if (!prepared.ok) {
			outcomes[prepared.index] = { ok: false, error: prepared.error };
			continue;
		}
		try {
			const read = readRequestParameters(prepared.index);
			if ('error' in read) {
				const error = { ...failure('INVALID_RECORD', read.error, undefined), nextStep: nextStepOf('INVALID_RECORD', 'settings') };
				outcomes[prepared.index] = { ok: false, record: prepared.record, error };
				continue;
			}
			for (const parameter of operation.requestParameters ?? []) {
				if (parameter.secret && read.parameters[parameter.name]) secrets.add(String(read.parameters[parameter.name]));
			}
			// Batches are grouped by this text: a value it cannot be made of fails here, for this item only.
			JSON.stringify(read.parameters);
			valid.push({ index: prepared.index, record: prepared.record, parameters: read.parameters });
		} catch (error) {
			// One item's exception, whatever it is, fails that item only.
			outcomes[prepared.index] = { ok: false, record: prepared.record, error: failure('INVALID_RECORD', { message: unreadableItemMessage(error) }, undefined) };
		}
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

/** How far a run got: what an unexpected exception leaves behind. */
interface RunProgress {
	outcomes: Outcome[];
	/** The records handed to the vendor calls: from then on, any of them may be stored. */
	sending?: PendingRecord[];
	redact?: (text: string) => string;
	run?: RunControl;
}

/**
 * The whole job of a Batch Create Customers node: input items → records → batches → vendor
 * calls → one outcome per item → Success / Failure outputs, and a summary in the editor.
 */
export async function runBatchOperation(this: IExecuteFunctions, operation: BatchOperation): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[], []];
	const progress: RunProgress = { outcomes: new Array(items.length) };
	let ending: RunEnding;
	try {
		ending = await runOperation.call(this, operation, items, progress);
	} catch (error) {
		return brokenRun(this, operation, items, progress, error);
	}
	if ('stop' in ending) throw ending.stop;
	return ending.outputs;
}

/**
 * A run that an unexpected exception broke off (a bug; an option n8n cannot evaluate). Thrown
 * under n8n's "continue" settings, it would put every input row on Success unsent. Instead,
 * every row without an outcome goes to Failure: OUTCOME_UNKNOWN when it was on its way to the
 * vendor, NOT_SENT otherwise. The exception is thrown on only when the workflow stops on errors
 * and no row can have been stored.
 */
function brokenRun(fn: IExecuteFunctions, operation: BatchOperation, items: INodeExecutionData[], progress: RunProgress, error: unknown): INodeExecutionData[][] {
	const { outcomes } = progress;
	const sending = new Map((progress.sending ?? []).map((entry) => [entry.index, entry]));
	const stored = outcomes.some((outcome) => outcome?.ok);
	if (!fn.continueOnFail() && sending.size === 0 && !stored) throw new NodeOperationError(maskedNode(fn.getNode(), operation), error as Error);

	const cause = unexpectedCause(error);
	const run = progress.run ?? new RunControl(0);
	run.stop({ message: `The node failed: ${cause}` });
	const redact = progress.redact ?? ((text: string) => text);
	items.forEach((_, index) => {
		const entry = sending.get(index);
		if (outcomes[index]) {
			if (!outcomes[index].ok) outcomes[index].error.message = redact(outcomes[index].error.message);
		} else if (entry) {
			const message = `The node failed while this customer was being sent (${cause}): it may or may not have been stored`;
			outcomes[index] = { ok: false, record: entry.record, error: failure('OUTCOME_UNKNOWN', { message }, undefined, operation.resendIsSafe) };
		} else {
			outcomes[index] = { ok: false, error: failure('NOT_SENT', { message: `Not sent: the node failed before this customer's turn (${cause})` }, undefined) };
		}
	});
	const labels = { vendor: operation.vendor, operation: operation.operation };
	withNextSteps(outcomes, run.fatal);
	try {
		fn.addExecutionHints?.(...runSummary(outcomes, run, operation.operation === 'update' ? 'updated' : 'created', false));
		return routeOutcomes(items, outcomes, labels);
	} catch {
		// Should routing itself fail (on the input's own fields), the rows go out without those fields.
		const outputs: INodeExecutionData[][] = [[], []];
		outcomes.forEach((outcome, index) => {
			const json: IDataObject = outcome.ok
				? { customerBatch: { status: 'success', ...labels, record: outcome.record, result: outcome.result } }
				: { error: outcome.error as unknown as IDataObject, customerBatch: { status: 'failure', ...labels } };
			outputs[outcome.ok ? 0 : 1].push({ json, pairedItem: { item: index } });
		});
		return outputs;
	}
}

/** The outputs of a run, or the error that stops the workflow. */
type RunEnding = { outputs: INodeExecutionData[][] } | { stop: NodeApiError | NodeOperationError };

async function runOperation(this: IExecuteFunctions, operation: BatchOperation, items: INodeExecutionData[], progress: RunProgress): Promise<RunEnding> {
	const labels = { vendor: operation.vendor, operation: operation.operation };
	const options = readBatchOptions(this, operation.maxBatchSize, operation.defaultBatchSize);
	const { outcomes } = progress;
	const secrets = new Set<string>();
	const valid = prepareRecords(this, operation, items, options, outcomes, secrets);

	const verb = operation.operation === 'update' ? 'updated' : 'created';
	const finish = (run?: RunControl): RunEnding => {
		withNextSteps(outcomes, run?.fatal);
		const outputs = runsAsTool(this.getNode()) ? toolAnswers(outcomes, items.length, operation) : routeOutcomes(items, outcomes, labels);
		this.addExecutionHints?.(...runSummary(outcomes, run, verb, options.validateOnly));
		return { outputs };
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
		if (!this.continueOnFail()) return { stop: new NodeOperationError(this.getNode(), error as Error) };
		const run = new RunControl(0);
		run.stop({ message: `The credential could not be read: ${(error as Error).message}`, cause: 'settings' });
		markUnsent(valid, outcomes, run);
		return finish(run);
	}
	for (const secret of operation.credentialSecrets(credentials)) secrets.add(secret);
	const state: SessionState = {
		context: { credentials, session: {}, retry: { maxRetries: options.maxRetries } },
		version: 0,
		replaced: [],
	};
	const redact = secretRedactor([...secrets], () => [state.context.session, ...state.replaced]);
	progress.redact = redact;
	const run = new RunControl(options.maxRequestsPerSecond);
	progress.run = run;

	try {
		if (operation.openSession) {
			state.context.session = await operation.openSession.call(this, { ...state.context, parameters: valid[0].parameters }, false);
		}
	} catch (error) {
		const httpCode = (error as { httpCode?: string }).httpCode;
		run.stop({ message: (error as Error).message, httpStatus: httpCode ? Number(httpCode) : undefined });
	}
	if (!run.stopped) {
		progress.sending = valid;
		await sendBatches(this, operation, state, valid, { ...options }, outcomes, run);
	}

	markUnsent(valid, outcomes, run);
	for (const outcome of outcomes) {
		if (!outcome.ok) outcome.error.message = redact(outcome.error.message);
	}
	if (run.fatal) run.fatal.message = redact(run.fatal.message);
	this.logger.debug(`${operation.vendor} ${operation.operation}: ${items.length} items, ${valid.length} to send, ${run.stats.requests} requests`);

	// Throwing discards every outcome: only done when the vendor processed no row (none stored,
	// possibly stored or refused). Otherwise the outputs go out and the cause is shown with them.
	const vendorAnswered = outcomes.some((outcome) => outcome.ok || outcome.error.mayBeStored || outcome.error.code === 'VENDOR_REJECTED');
	if (run.fatal && !vendorAnswered && !this.continueOnFail()) return { stop: fatalError(this, operation, run.fatal) };
	return finish(run);
}
