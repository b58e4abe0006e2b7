/**
 * The mapped-field fast path reads no key n8n's expression sandbox refuses: n8n refuses
 * `$json.caller`, `$json.arguments`, `$json.binding` and others (n8n-workflow's
 * isSafeObjectProperty: "Cannot access "caller" due to security concerns"). Were such a leaf read
 * from the item once its collection is trusted by its first plain leaf, the fast path would give a
 * value where n8n gives an error — and only for the items after the one that made it trusted.
 */
import type { IDataObject } from 'n8n-workflow';

import { ThuliumBatchCustomers } from '../../../nodes/Thulium/ThuliumBatchCustomers.node';
import { compareMappedReads, expectSameReads } from '../../helpers/mappedProbe';
import { n8nHarness } from '../../helpers/n8nWorkflow';

const n8n = n8nHarness();

const thulium = new ThuliumBatchCustomers();
const compare = async (parameters: IDataObject, input: IDataObject[], names: string[]) =>
	(await compareMappedReads(n8n, thulium, parameters, input, names)).comparisons;

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
		expectSameReads(comparisons);
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
