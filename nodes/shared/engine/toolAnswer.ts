import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import type { BatchOperation } from './adapter';
import type { FailureDetails, Outcome } from './outcomes';
import { nextStepOf } from './outcomes';

/**
 * Whether n8n runs the node as a tool of an AI Agent or an MCP Server Trigger. n8n runs a node
 * that declares `usableAsTool` as a tool under a node type of its own, the node's type with `Tool`
 * appended (`n8n-nodes-customer-batch.thuliumBatchCustomersTool`; n8n 1.123 and 2.41 alike, see
 * `convertNodeToAiTool`), and its own `@tool` display option tells a tool by that same ending.
 * None of our node types ends in `Tool` otherwise.
 */
export function runsAsTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/** The error a caller needs: what went wrong, where, what to do next, and whether calling again is safe. */
function compactError(error: FailureDetails): IDataObject {
	return {
		code: error.code,
		message: error.message,
		...(error.field !== undefined ? { field: error.field } : {}),
		nextStep: error.nextStep ?? nextStepOf(error.code),
		retriable: error.retriable,
		mayBeStored: error.mayBeStored,
	};
}

function answerFor(outcome: Outcome | undefined, operation: Pick<BatchOperation, 'operation' | 'resultId'>): IDataObject {
	const verb = operation.operation === 'update' ? 'updated' : 'created';
	if (outcome?.ok) {
		if (outcome.result.validatedOnly === true) return { [verb]: false, validatedOnly: true };
		const id = operation.resultId === undefined ? undefined : outcome.result[operation.resultId];
		const traceId = outcome.result.traceId;
		return {
			[verb]: true,
			...(id !== undefined && id !== null && id !== '' ? { id: String(id) } : {}),
			...(typeof traceId === 'string' && traceId !== '' ? { traceId } : {}),
		};
	}
	// As on the Failure output: an item without an outcome may or may not have been stored.
	const error: FailureDetails = outcome?.error ?? {
		message: 'No outcome was recorded for this customer: it may or may not have been stored',
		code: 'NO_RESULT',
		retriable: false,
		mayBeStored: true,
	};
	return { [verb]: false, error: compactError(error) };
}

/**
 * Outcomes → what a tool call answers. n8n builds a tool's answer from the items of the node's
 * first output alone (`mapResult` in n8n-core's get-input-connection-data), so a customer routed to
 * Failure would reach the calling agent as an empty list, which it reads as success. As a tool the
 * node therefore puts every customer on that one output, in input order, as a compact object:
 * `{created: true, id}` or `{created: false, error: {code, message, field, nextStep, retriable, mayBeStored}}`
 * (`updated` for the update operation). The messages are the ones the Failure output carries,
 * masked the same way; the record and the vendor's raw answer stay out.
 */
export function toolAnswers(outcomes: Outcome[], itemCount: number, operation: Pick<BatchOperation, 'operation' | 'resultId'>): INodeExecutionData[][] {
	const answers: INodeExecutionData[] = [];
	for (let index = 0; index < itemCount; index++) {
		answers.push({ json: answerFor(outcomes[index], operation), pairedItem: { item: index } });
	}
	return [answers];
}
