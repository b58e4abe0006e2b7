/**
 * The mapped-parameter fast path against n8n's own evaluation: a probe node with a vendor node's
 * real parameters runs in n8n's engine (n8n-core's WorkflowExecute and getNodeParameter, via the
 * harness), reads every mapped parameter for every item both ways, and the values must be the
 * same — types, missing keys, nested paths, arrays, nulls, DateTimes, templates and expressions
 * the fast path does not handle.
 */
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { DustessBatchCustomers } from '../../../nodes/Dustess/DustessBatchCustomers.node';
import { mappedParameterReader } from '../../../nodes/shared/engine/mappedParameters';
import { ThuliumBatchCustomers } from '../../../nodes/Thulium/ThuliumBatchCustomers.node';
import { compareMappedReads, expectSameReads } from '../../helpers/mappedProbe';
import { n8nHarness } from '../../helpers/n8nWorkflow';

const n8n = n8nHarness();

const compare = (vendorNode: INodeType, parameters: IDataObject, input: IDataObject[], names: string[]) =>
	compareMappedReads(n8n, vendorNode, parameters, input, names);

const thulium = new ThuliumBatchCustomers();
const dustess = new DustessBatchCustomers();

const people: IDataObject[] = [
	{ last: 'Nowak', first: 'Anna', mail: 'a@example.com', phone: 48600100200, vip: true, born: '1980-05-17', address: { city: 'Gdańsk', zip: '80-001' } },
	{ last: 'Kowalski', first: '', mail: null, phone: '48 600 100 201', vip: 'yes', born: 19800517, address: { city: null } },
	{ last: 'Wójcik', first: 'Ewa', phone: 0, vip: false, address: 'Długa 5' },
	{ last: 'Zieliński', mail: { work: 'w@example.com' }, phone: [1, 2], born: ['1980'], address: null },
	{ last: 42, first: 'Jan', vip: 1, toString: 'own key', address: { city: { name: 'Kraków' } } },
	{},
];

describe('the mapped-parameter fast path gives what n8n gives', () => {
	it('for simple {{ $json.… }} leaves: strings, numbers, booleans, null, missing keys, nested paths, non-object steps, object and array values', async () => {
		const { comparisons, n8nReads } = await compare(
			thulium,
			{
				surname: '={{ $json.last }}',
				additionalFields: {
					name: '={{$json.first}}',
					email: '={{ $json.mail }}',
					phone_number: '={{ $json.phone }}',
					vip: '={{ $json.vip }}',
					birthdate: '={{ $json.born }}',
					job: '={{ $json.missing }}',
					address: { values: { city: '={{ $json.address.city }}', postcode: '={{ $json.address.zip }}', street: 'Fixed street' } },
				},
			},
			people,
			['surname', 'additionalFields'],
		);
		expectSameReads(comparisons);
		// n8n answered only where the fast path cannot: items whose value is not plain.
		expect(comparisons.every((comparison) => 'value' in (comparison.n8n as object))).toBe(true);
		expect(n8nReads).toBeLessThan(comparisons.length);
	});

	it('reads a parameter of only plain {{ $json.… }} leaves through n8n once, for the first item', async () => {
		const input = Array.from({ length: 50 }, (_, index) => ({ last: `L${index}`, first: `F${index}`, city: index % 2 ? 'Łódź' : null }));
		const { comparisons, n8nReads } = await compare(
			thulium,
			{ surname: '={{ $json.last }}', additionalFields: { name: '={{ $json.first }}', address: { values: { city: '={{ $json.city }}' } } } },
			input,
			['surname', 'additionalFields'],
		);
		expectSameReads(comparisons);
		expect(n8nReads).toBe(2);
	});

	it('for other expressions, one leaf at a time: templates, methods, bracket access, $today in an object and in a list', async () => {
		const { comparisons } = await compare(
			dustess,
			{
				additionalFields: {
					remark: '={{ $json.last }} {{ $json.first }}',
					email: '={{ $json.mail?.toUpperCase?.() ?? "none" }}',
					position: '={{ $json["first"] }}',
					description: '={{ $today }}',
					birthday: '={{ $json.born }}',
					tags: ['fixed-tag', '={{ $json.last }}', '={{ $today }}'],
					mobiles: { values: [{ tel: '={{ $json.phone }}', type: 'mobile' }] },
				},
			},
			people,
			['additionalFields'],
		);
		expectSameReads(comparisons);
		expect(comparisons.every((comparison) => 'value' in (comparison.n8n as object))).toBe(true);
	});

	it('for expressions that read sibling parameters ($parameter), an inherited key, and errors n8n raises', async () => {
		const { comparisons } = await compare(
			dustess,
			{
				additionalFields: {
					remark: '={{ $json.last }}',
					mobiles: { values: [{ tel: '={{ $json.phone }}', type: 'mobile', display: '={{ $parameter.operation }}' }] },
				},
			},
			people,
			['additionalFields'],
		);
		expectSameReads(comparisons);
		const errors = await compare(thulium, { surname: '={{ $json.toString }}', additionalFields: { name: '={{ $json.first }}', job: '={{ $json.constructor }}' } }, people, [
			'surname',
			'additionalFields',
		]);
		expectSameReads(errors.comparisons);
		expect(errors.comparisons.filter((comparison) => 'error' in (comparison.n8n as object)).length).toBeGreaterThan(people.length);
	});

	it('for a nested fixed collection with several entries and key/value maps', async () => {
		const { comparisons } = await compare(
			dustess,
			{
				additionalFields: {
					owner: '={{ $json.last }}',
					mobiles: {
						values: [
							{ tel: '={{ $json.phone }}', type: 'mobile' },
							{ tel: '={{ $json.address.city }}', type: '={{ $json.first }}', display: 'Home' },
						],
					},
				},
			},
			people,
			['additionalFields'],
		);
		expectSameReads(comparisons);
	});

	it('judges a parameter by one plain leaf: n8n evaluates that leaf alone, not the whole collection', () => {
		const asked: string[] = [];
		const parameters = { additionalFields: { name: '={{ $json.first }}', email: '={{ $json.mail }}', note: 'fixed' } };
		const items = [{ json: { first: 'Anna', mail: 'a@example.com' } }, { json: { first: 'Jan', mail: 'j@example.com' } }];
		const fn = {
			getNode: () => ({ parameters }),
			getNodeParameter: (name: string, item: number) => {
				asked.push(name);
				return name === 'additionalFields.name' ? items[item].json.first : undefined;
			},
		} as unknown as IExecuteFunctions;
		const reader = mappedParameterReader(fn, items);
		expect([reader.read('additionalFields', 0, {}), reader.read('additionalFields', 1, {})]).toEqual([
			{ name: 'Anna', email: 'a@example.com', note: 'fixed' },
			{ name: 'Jan', email: 'j@example.com', note: 'fixed' },
		]);
		expect(asked).toEqual(['additionalFields.name']);
	});

	it('never trusts a parameter whose leaf n8n reads otherwise than the item holds: n8n answers every item', () => {
		const fn = {
			getNode: () => ({ parameters: { surname: '={{ $json.last }}' } }),
			getNodeParameter: (_name: string, item: number) => `n8n-${item}`,
		} as unknown as IExecuteFunctions;
		const reader = mappedParameterReader(fn, [{ json: { last: 'a' } }, { json: { last: 'b' } }]);
		expect([reader.read('surname', 0, ''), reader.read('surname', 1, '')]).toEqual(['n8n-0', 'n8n-1']);
	});

	it('leaves a stand-in context without stored parameters to its own getNodeParameter', () => {
		const values = ['a', 'b'];
		const fn = {
			getNode: () => ({ parameters: {} }),
			getNodeParameter: (_name: string, item: number) => values[item],
		} as unknown as IExecuteFunctions;
		const reader = mappedParameterReader(fn, [{ json: {} }, { json: {} }]);
		expect([reader.read('surname', 0, ''), reader.read('surname', 1, '')]).toEqual(['a', 'b']);
		expect(reader.n8nReads).toBe(2);
	});
});
