/**
 * The mapped-field fast path reads no key n8n's expression sandbox refuses: n8n refuses
 * `$json.caller`, `$json.arguments`, `$json.binding` and others (n8n-workflow's
 * isSafeObjectProperty: "Cannot access "caller" due to security concerns"). Were such a leaf read
 * from the item once its collection is trusted by its first plain leaf, the fast path would give a
 * value where n8n gives an error — and only for the items after the one that made it trusted.
 */
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { mappedParameterReader } from '../../../nodes/shared/engine/mappedParameters';
import { ThuliumBatchCustomers } from '../../../nodes/Thulium/ThuliumBatchCustomers.node';
import { n8nHarness, outputsOrThrow } from '../../helpers/n8nWorkflow';

const n8n = n8nHarness();

function outcome(read: () => unknown): unknown {
	try {
		return { value: read() };
	} catch (error) {
		return { error: `${(error as Error).name}: ${(error as Error).message}` };
	}
}

/** Reads `names` for every item with the fast path, then each with n8n's getNodeParameter (as mappedParameters.test.ts does). */
async function compare(parameters: IDataObject, input: IDataObject[], names: string[]) {
	const vendorNode = new ThuliumBatchCustomers();
	let comparisons: Array<{ name: string; item: number; fast: unknown; n8n: unknown }> = [];
	const probe: INodeType = {
		description: { ...vendorNode.description, name: 'testMappedProbe', credentials: [] },
		async execute(this: IExecuteFunctions) {
			const items = this.getInputData();
			const reader = mappedParameterReader(this, items);
			const fallback = (name: string) => (name === 'additionalFields' ? {} : '');
			const fast = items.map((_, item) => Object.fromEntries(names.map((name) => [name, outcome(() => reader.read(name, item, fallback(name)))])));
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
	return comparisons;
}

/** A call centre's export: who called, from which number. */
const calls: IDataObject[] = [
	{ surname: 'Nowak', first: 'Anna', caller: '48600100200' },
	{ surname: 'Kowalski', first: 'Jan', caller: '48600100201' },
	{ surname: 'Wójcik', first: 'Ewa', caller: '48600100202' },
];

describe('the fast path and keys n8n refuses to read', () => {
	it('gives what n8n gives for a later leaf naming a key n8n refuses (caller, arguments, binding)', async () => {
		const comparisons = await compare(
			{
				surname: '={{ $json.surname }}',
				additionalFields: { name: '={{ $json.first }}', phone_number: '={{ $json.caller }}', job: '={{ $json.arguments }}', nip: '={{ $json.binding }}' },
			},
			calls.map((call) => ({ ...call, arguments: 'x', binding: 'y' })),
			['surname', 'additionalFields'],
		);
		for (const { fast, n8n: expected, name, item } of comparisons) {
			expect({ name, item, value: fast }).toStrictEqual({ name, item, value: expected });
		}
	});

	it('reads every item of a run the same way: not the first as n8n does and the others from the item', async () => {
		// The first item's name is an object: its plain leaf cannot judge the parameter, so n8n reads
		// the whole collection for it (and refuses); the second item's plain name makes it trusted.
		const input: IDataObject[] = [{ ...calls[0], first: { given: 'Anna' } }, calls[1], calls[2]];
		const comparisons = await compare(
			{ surname: '={{ $json.surname }}', additionalFields: { name: '={{ $json.first }}', phone_number: '={{ $json.caller }}' } },
			input,
			['additionalFields'],
		);
		const failed = comparisons.map((comparison) => 'error' in (comparison.fast as object));
		expect(failed).toEqual([failed[0], failed[0], failed[0]]);
	});
});
