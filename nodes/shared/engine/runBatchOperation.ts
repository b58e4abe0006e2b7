import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeParameters, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BatchOperation, VendorError } from './adapter';
import { noMatchingField } from './autoMapHelp';
import { readBatchOptions } from './batchOptions';
import type { BatchOptions } from './batchOptions';
import type { Outcome } from './outcomes';
import { runCause, withNextSteps } from './outcomes';
import { RecordPreparation } from './preparation';
import { secretRedactor } from './redactSecrets';
import { fixedParameterProblem } from './requestParameters';
import { inputFields, readEarlierOutcome, retriesExhausted } from './reruns';
import { routeOutcomes } from './routeOutcomes';
import { RunControl } from './runControl';
import { runSummary } from './runSummary';
import { runsAsTool, toolAnswers } from './toolAnswer';
import { failure, notSentError, sendBatches } from './sendBatches';
import type { PendingRecord } from './sendBatches';
import type { SessionState } from './transport';
import { credentialOptions, thrownStop } from './transport';
import { unexpectedCause } from './unexpectedErrors';

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

function markUnsent(entries: Iterable<PendingRecord>, outcomes: Outcome[], run: RunControl): void {
	for (const entry of entries) {
		if (!outcomes[entry.index]) outcomes[entry.index] = { ok: false, record: entry.record, error: failure('NOT_SENT', notSentError(run), undefined) };
	}
}

const KEEP_ITEMS = "To have the items go to the Failure output instead, set the node's Settings → On Error to Continue.";

/**
 * A node setting that fails every item the same way, before anything is sent: a request parameter
 * whose fixed value is invalid, or one whose expression gives the same invalid value for every
 * item, or Auto-Map with no input key named like an API field in any item. It is one problem of
 * the node, not a problem of each row.
 */
function settingsProblem(
	operation: BatchOperation,
	items: INodeExecutionData[],
	outcomes: Outcome[],
	noItemMatchesAField: boolean,
): { message: string; description: string } | undefined {
	if (noItemMatchesAField) {
		const keys = [...new Set(items.flatMap((item) => Object.keys(inputFields(item.json))))];
		const { problem, help } = noMatchingField(keys, operation.schema, 'input');
		return { message: `${problem} in any item, so nothing was sent`, description: `${help} ${KEEP_ITEMS}` };
	}
	const parameters = new Map((operation.requestParameters ?? []).map((parameter) => [parameter.name, parameter]));
	const first = outcomes[0];
	if (!first || first.ok || first.error.code !== 'INVALID_RECORD' || !parameters.has(first.error.field ?? '')) return undefined;
	for (let index = 1; index < items.length; index++) {
		const outcome = outcomes[index];
		if (!outcome || outcome.ok || outcome.error.field !== first.error.field || outcome.error.message !== first.error.message) return undefined;
	}
	const label = parameters.get(first.error.field!)!.label;
	return {
		message: first.error.message,
		description: `Every item failed on the node's ${label} in the same way, so nothing was sent: fix ${label} in the node's parameters. ${KEEP_ITEMS}`,
	};
}

/** A run that stops on the node's settings before sending anything: one error that names the setting. */
function stopOnSettings(fn: IExecuteFunctions, operation: BatchOperation, message: string, description: string): RunEnding {
	return { stop: new NodeOperationError(maskedNode(fn.getNode(), operation, (text) => text), message, { description }) };
}

/** The error that stops the workflow, carrying the node with its secrets masked. */
function fatalError(fn: IExecuteFunctions, operation: BatchOperation, fatal: VendorError, redact: (text: string) => string): NodeApiError | NodeOperationError {
	// n8n copies the node, parameters included, into the error it prints and stores.
	const node = maskedNode(fn.getNode(), operation, redact);
	// The vendor's own words, which may quote the request, go in the description, below the cause.
	const cause = runCause(fatal);
	const message = `${cause.charAt(0).toUpperCase()}${cause.slice(1)}`;
	const description = cause === fatal.message ? undefined : fatal.message;
	if (fatal.httpStatus === undefined) return new NodeOperationError(node, message, { description });
	const httpCode = String(fatal.httpStatus);
	return new NodeApiError(node, { message, httpCode } as JsonObject, { message, description, httpCode });
}

/** The node's outputs for these outcomes: the answer to an agent when it runs as a tool, else Success and Failure. */
function outputsOf(fn: IExecuteFunctions, operation: BatchOperation, items: INodeExecutionData[], outcomes: Outcome[], includeSentRecord: boolean): INodeExecutionData[][] {
	if (runsAsTool(fn.getNode())) return toolAnswers(outcomes, items.length, operation);
	return routeOutcomes(items, outcomes, { vendor: operation.vendor, operation: operation.operation }, includeSentRecord);
}

/** How far a run got: what an unexpected exception leaves behind. */
interface RunProgress {
	outcomes: Outcome[];
	/** Where the records are: those handed to the vendor calls (any of them may be stored) and those not yet. */
	preparation?: Pick<RecordPreparation, 'handedOutAny' | 'unsettled' | 'notHandedOut'>;
	redact?: (text: string) => string;
	run?: RunControl;
	/** Success items carry the sent record (known once the options are read; off before). */
	includeSentRecord?: boolean;
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
	// Rows of a batch handed out whose outcome is not written (those with one left this map).
	const sending = progress.preparation?.unsettled ?? new Map<number, PendingRecord>();
	const stored = outcomes.some((outcome) => outcome?.ok);
	if (!fn.continueOnFail() && !progress.preparation?.handedOutAny && !stored) throw new NodeOperationError(maskedNode(fn.getNode(), operation, progress.redact ?? ((text: string) => text)), error as Error);

	const cause = unexpectedCause(error);
	const run = progress.run ?? new RunControl(0);
	run.stop({ message: `The node failed: ${cause}` });
	const redact = progress.redact ?? ((text: string) => text);
	// Valid rows no batch took: a Failure item carries the record once it is built.
	const notSent = new Map((progress.preparation?.notHandedOut() ?? []).map((entry) => [entry.index, entry]));
	items.forEach((_, index) => {
		const entry = sending.get(index);
		if (outcomes[index]) {
			if (!outcomes[index].ok) outcomes[index].error.message = redact(outcomes[index].error.message);
		} else if (entry) {
			const message = `The node failed while this customer was being sent (${cause}): it may or may not have been stored`;
			outcomes[index] = { ok: false, record: entry.record, error: failure('OUTCOME_UNKNOWN', { message }, undefined, operation.resendIsSafe) };
		} else {
			const message = `Not sent: the node failed before this customer's turn (${cause})`;
			const record = notSent.get(index)?.record;
			outcomes[index] = record ? { ok: false, record, error: failure('NOT_SENT', { message }, undefined) } : { ok: false, error: failure('NOT_SENT', { message }, undefined) };
		}
	});
	const labels = { vendor: operation.vendor, operation: operation.operation };
	withNextSteps(outcomes, run.fatal);
	try {
		fn.addExecutionHints?.(...runSummary(outcomes, run, operation.operation === 'update' ? 'updated' : 'created', false, operation.requestParameters));
		return outputsOf(fn, operation, items, outcomes, progress.includeSentRecord === true);
	} catch {
		// Should routing itself fail (on the input's own fields), the rows go out without those fields.
		if (runsAsTool(fn.getNode())) return toolAnswers(outcomes, items.length, operation);
		const outputs: INodeExecutionData[][] = [[], []];
		outcomes.forEach((outcome, index) => {
			const json: IDataObject = outcome.ok
				? { customerBatch: { status: 'success', ...labels, ...(progress.includeSentRecord ? { record: outcome.record } : {}), result: outcome.result } }
				: { error: outcome.error as unknown as IDataObject, customerBatch: { status: 'failure', ...labels, ...(outcome.record ? { record: outcome.record } : {}) } };
			outputs[outcome.ok ? 0 : 1].push({ json, pairedItem: { item: index } });
		});
		return outputs;
	}
}

/**
 * A run whose options cannot be read (an expression that fails, a value that is no number): a
 * problem of the settings, so nothing is sent. It throws, or under a "continue" error setting every
 * row goes to Failure, not sent (fixSettings); a row already tried as often as Max Retries allows
 * (the default where Max Retries itself cannot be read) ends as RETRIES_EXHAUSTED, so that a
 * re-run loop ends by itself.
 */
function stopOnOptions(
	this: IExecuteFunctions,
	operation: BatchOperation,
	items: INodeExecutionData[],
	options: BatchOptions,
	outcomes: Outcome[],
	problems: string[],
	finish: (run: RunControl) => RunEnding,
): RunEnding {
	const message = `The node's options cannot be used, so nothing was sent: ${problems.join('; ')}`;
	if (!this.continueOnFail()) return stopOnSettings(this, operation, message, `Fix the node's Options. ${KEEP_ITEMS}`);
	const run = new RunControl(0);
	run.stop({ message, cause: 'settings' });
	items.forEach((item, index) => {
		const exhausted = retriesExhausted(readEarlierOutcome(item.json, operation), options.maxRetries);
		outcomes[index] = { ok: false, error: exhausted ?? failure('NOT_SENT', notSentError(run), undefined) };
	});
	return finish(run);
}

/** The outputs of a run, or the error that stops the workflow. */
type RunEnding = { outputs: INodeExecutionData[][] } | { stop: NodeApiError | NodeOperationError };

async function runOperation(this: IExecuteFunctions, operation: BatchOperation, items: INodeExecutionData[], progress: RunProgress): Promise<RunEnding> {
	const { options, problems } = readBatchOptions(this, operation.maxBatchSize, operation.defaultBatchSize);
	const { outcomes } = progress;
	progress.includeSentRecord = options.includeSentRecord || options.validateOnly;
	const verb = operation.operation === 'update' ? 'updated' : 'created';
	const finish = (run?: RunControl): RunEnding => {
		withNextSteps(outcomes, run?.fatal);
		const outputs = outputsOf(this, operation, items, outcomes, progress.includeSentRecord === true);
		this.addExecutionHints?.(...runSummary(outcomes, run, verb, options.validateOnly, operation.requestParameters));
		return { outputs };
	};
	if (problems.length > 0) return stopOnOptions.call(this, operation, items, options, outcomes, problems, finish);

	const secrets = new Set<string>();
	// No item can be sent with an invalid fixed parameter: the node stops on it, naming the setting.
	const fixedProblem = fixedParameterProblem(this, operation.requestParameters ?? [], { dateOrder: options.dateOrder, timeZone: this.getTimezone() });
	if (fixedProblem && !this.continueOnFail()) {
		const { label } = fixedProblem.parameter;
		return stopOnSettings(this, operation, fixedProblem.message, `Nothing was sent: every item would fail on this setting. Fix ${label} in the node's parameters. ${KEEP_ITEMS}`);
	}
	const preparation = new RecordPreparation(this, operation, items, options, outcomes, secrets, options.batchSize);
	progress.preparation = preparation;
	// Only a run with no valid record can fail on the settings: nothing is sent before that is known.
	preparation.prepareFirstBatch();
	if (preparation.validCount === 0) {
		const problem = this.continueOnFail() ? undefined : settingsProblem(operation, items, outcomes, preparation.noItemMatchesAField);
		if (problem) return stopOnSettings(this, operation, problem.message, problem.description);
		return finish();
	}
	if (options.validateOnly) {
		preparation.prepareAll();
		for (const entry of preparation.notHandedOut()) outcomes[entry.index] = { ok: true, record: entry.record, result: { validatedOnly: true } };
		return finish();
	}

	// A run that cannot start: it throws, or under a "continue" error setting (where a thrown error
	// would pass the items on as Success) every row goes to Failure, not sent.
	const stopBeforeSending = (message: string): RunEnding => {
		preparation.prepareAll();
		const redact = secretRedactor(secrets, () => []);
		if (!this.continueOnFail()) return { stop: new NodeOperationError(maskedNode(this.getNode(), operation, redact), redact(message)) };
		const run = new RunControl(0);
		run.stop({ message: redact(message), cause: 'settings' });
		markUnsent(preparation.notHandedOut(), outcomes, run);
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
	const run = new RunControl(options.maxRequestsPerSecond);
	progress.run = run;
	const state: SessionState = {
		context: { credentials, session: {}, retry: { maxRetries: options.maxRetries, run } },
		version: 0,
		replaced: [],
		credentialOptions: credentialOptions(this, operation.credentialType, credentials),
	};
	// The set grows as later items' secret request parameters are read.
	const redact = secretRedactor(secrets, () => [state.context.session, ...state.replaced]);
	progress.redact = redact;

	try {
		if (operation.openSession) {
			state.context.session = await operation.openSession.call(this, { ...state.context, parameters: preparation.firstParameters! }, false);
		}
	} catch (error) {
		run.stop(thrownStop(error));
	}
	if (!run.stopped) {
		const background = preparation.prepareInBackground();
		await sendBatches(this, operation, state, preparation, { ...options }, outcomes, run);
		await background;
	}
	preparation.prepareAll();
	preparation.check();

	// The rows no worker sent: those of batches never handed out, and of one handed out as the run stopped.
	markUnsent(preparation.notHandedOut(), outcomes, run);
	markUnsent(preparation.unsettled.values(), outcomes, run);
	for (const outcome of outcomes) {
		if (!outcome.ok) outcome.error.message = redact(outcome.error.message);
	}
	if (run.fatal) {
		run.fatal.message = redact(run.fatal.message);
		if (run.fatal.runCause !== undefined) run.fatal.runCause = redact(run.fatal.runCause);
	}
	this.logger.debug(`${operation.vendor} ${operation.operation}: ${items.length} items, ${preparation.validCount} to send, ${run.stats.requests} requests`);

	// Throwing discards every outcome: only done when the vendor processed no row (none stored,
	// possibly stored or refused). Otherwise the outputs go out and the cause is shown with them.
	const vendorAnswered = outcomes.some((outcome) => outcome.ok || outcome.error.mayBeStored || outcome.error.code === 'VENDOR_REJECTED');
	if (run.fatal && !vendorAnswered && !this.continueOnFail()) return { stop: fatalError(this, operation, run.fatal, redact) };
	return finish(run);
}
