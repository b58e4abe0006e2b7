/**
 * The Description each node has as a tool: n8n resolves it with the node's parameters as it does
 * for a tool node (NodeHelpers.getNodeParameters, the `@tool` display option), and it names what
 * the operation's schema requires. test/n8n/mcp.n8n.test.ts reads it from an MCP tools list.
 */
import type { INode, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { DustessBatchCustomers } from '../../../nodes/Dustess/DustessBatchCustomers.node';
import { dustessOperations } from '../../../nodes/Dustess/adapter';
import { NxCloudBatchCustomers } from '../../../nodes/NxCloud/NxCloudBatchCustomers.node';
import { seaSchema, standardSchema } from '../../../nodes/NxCloud/fields';
import type { RecordSchema } from '../../../nodes/shared/schema/fieldSchema';
import { toolDescriptionText } from '../../../nodes/shared/engine/toolDescription';
import { ThuliumBatchCustomers } from '../../../nodes/Thulium/ThuliumBatchCustomers.node';
import { thuliumOperations } from '../../../nodes/Thulium/adapter';

/** The node's parameters with n8n's defaults, as a tool (`…Tool`) or as the node itself. */
function resolvedParameters(nodeType: INodeType, parameters: INode['parameters'], asTool: boolean) {
	const description: INodeTypeDescription = { ...nodeType.description, name: `${nodeType.description.name}${asTool ? 'Tool' : ''}` };
	const node = { name: 'Node', type: description.name, typeVersion: 1, parameters, id: 'n', position: [0, 0] } as INode;
	return NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description)!;
}

/** The words of a schema a caller must supply: required fields and the fields of "one of" rules, by label. */
function requiredLabels(schema: RecordSchema): string[] {
	const required = schema.fields.filter((field) => field.required).map((field) => field.label);
	const oneOf = (schema.rules ?? []).flatMap((rule) => rule.fields.map((name) => schema.fields.find((field) => field.name === name)!.label));
	return [...required, ...oneOf];
}

/** A label, less a trailing "ID", in the text: "Owner ID" is said as "an owner (a staff ID)". */
const mentions = (text: string, label: string) => text.toLowerCase().includes(label.toLowerCase().replace(/ id$/, ''));

describe.each<[string, INodeType, INode['parameters'], RecordSchema]>([
	['Thulium create', new ThuliumBatchCustomers(), { operation: 'create' }, thuliumOperations.create.schema],
	['Thulium update', new ThuliumBatchCustomers(), { operation: 'update' }, thuliumOperations.update.schema],
	['Dustess create', new DustessBatchCustomers(), { operation: 'create' }, dustessOperations.create.schema],
	['Dustess update', new DustessBatchCustomers(), { operation: 'update' }, dustessOperations.update.schema],
	['NXCLOUD SEA', new NxCloudBatchCustomers(), { edition: 'sea' }, seaSchema],
	['NXCLOUD Standard', new NxCloudBatchCustomers(), { edition: 'standard' }, standardSchema],
])('the tool Description of %s', (_, nodeType, parameters, schema) => {
	const description = String(resolvedParameters(nodeType, parameters, true).toolDescription);

	it('is there when the node runs as a tool, and only then', () => {
		expect(description).toMatch(/^(Creates|Updates) one /);
		expect(resolvedParameters(nodeType, parameters, false)).not.toHaveProperty('toolDescription');
	});

	it('names every field the operation requires, and how to read the answer', () => {
		const labels = requiredLabels(schema);
		expect(labels.length).toBeGreaterThan(0);
		for (const label of labels) expect(mentions(description, label)).toBe(true);
		expect(description).toMatch(/"(created|updated)": false, "error": \{"code", "message", "field", "nextStep", "retriable", "mayBeStored"\}/);
		expect(description).toMatch(/mayBeStored true the customer may exist already: do not call again/);
	});
});

it('the answer a description promises is the one toolAnswers gives: the vendor id, or a trace id for NXCLOUD', () => {
	expect(toolDescriptionText({ operation: 'update', does: 'Updates one X', needs: 'Needs Y.', answerCarries: '"id": "<X ID>"' })).toMatch(
		/^Updates one X\. Needs Y\. Answers a JSON list with one object per customer: \{"updated": true, "id": "<X ID>"\} when it was updated, or \{"updated": false, "error"/,
	);
	const nxcloud = String(resolvedParameters(new NxCloudBatchCustomers(), { edition: 'sea' }, true).toolDescription);
	expect(nxcloud).toContain('{"created": true, "traceId":');
});
