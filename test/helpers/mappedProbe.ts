import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { mappedParameterReader } from '../../nodes/shared/engine/mappedParameters';
import type { Harness } from './n8nWorkflow';
import { outputsOrThrow } from './n8nWorkflow';

/** One parameter of one item, read by the fast path and by n8n's getNodeParameter. */
export interface Comparison {
	name: string;
	item: number;
	fast: unknown;
	n8n: unknown;
}

/** A value, or the error n8n threw (its class and message). */
function outcome(read: () => unknown): unknown {
	try {
		return { value: read() };
	} catch (error) {
		return { error: `${(error as Error).name}: ${(error as Error).message}` };
	}
}

/**
 * A probe node with a vendor node's real parameters, run in n8n's engine through the harness: it
 * reads `names` for every item with the fast path, then each with n8n's getNodeParameter.
 */
export async function compareMappedReads(n8n: Harness, vendorNode: INodeType, parameters: IDataObject, input: IDataObject[], names: string[]) {
	let comparisons: Comparison[] = [];
	let n8nReads = 0;
	const probe: INodeType = {
		description: { ...vendorNode.description, name: 'testMappedProbe', credentials: [] },
		async execute(this: IExecuteFunctions) {
			const items = this.getInputData();
			const reader = mappedParameterReader(this, items);
			const fallback = (name: string) => (name === 'additionalFields' ? {} : '');
			const fast = items.map((_, item) => Object.fromEntries(names.map((name) => [name, outcome(() => reader.read(name, item, fallback(name)))])));
			n8nReads = reader.n8nReads;
			comparisons = items.flatMap((_, item) =>
				names.map((name) => ({ name, item, fast: fast[item][name], n8n: outcome(() => this.getNodeParameter(name, item, fallback(name))) })),
			);
			return [items];
		},
	};
	const run = await n8n.run({
		input,
		node: { type: 'test.mappedProbe', parameters: { resource: 'customer', operation: 'create', mappingMode: 'defineBelow', ...parameters } },
		nodeTypes: { 'test.mappedProbe': probe },
	});
	outputsOrThrow(run);
	return { comparisons, n8nReads };
}

/** Every item's every parameter the same both ways; toStrictEqual: undefined keys, types and class instances count. */
export function expectSameReads(comparisons: Comparison[]): void {
	expect(comparisons.length).toBeGreaterThan(0);
	for (const { fast, n8n: expected, name, item } of comparisons) {
		expect({ name, item, value: fast }).toStrictEqual({ name, item, value: expected });
	}
}
