/**
 * Attacks a review tried that held, kept as regressions: the mapped-field fast path against n8n's own
 * evaluation, per item, for inputs chosen to make reading the item JSON differ from n8n —
 * per-item types, keys the first item has and later ones lack, inherited and proxy-looking
 * names, expression-looking text, non-finite numbers, and a seeded random sweep of item shapes
 * and `{{ $json.… }}` paths (keys n8n's sandbox refuses are in mappedParameters.refusedKeys.test.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { ThuliumBatchCustomers } from '../../../nodes/Thulium/ThuliumBatchCustomers.node';
import { compareMappedReads, expectSameReads } from '../../helpers/mappedProbe';
import { n8nHarness } from '../../helpers/n8nWorkflow';

const n8n = n8nHarness();

const thulium = new ThuliumBatchCustomers();
const compare = async (parameters: IDataObject, input: IDataObject[], names: string[]) =>
	(await compareMappedReads(n8n, thulium, parameters, input, names)).comparisons;


const KEYS = ['a', 'b', 'toString', 'valueOf', 'hasOwnProperty', 'length', 'isProxy', 'json', 'item', 'x1', '_', 'then', 'toJSON', 'name', 'apply', 'call', 'bind', 'isLuxonDateTime', 'process', 'Buffer'];

/** A small seeded generator, so that a failure can be replayed. */
function generator(seed: number) {
	let state = seed;
	const next = (n: number) => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state % n;
	};
	const value = (depth: number): unknown => {
		switch (next(depth > 2 ? 8 : 11)) {
			case 0: return 'text';
			case 1: return next(3) - 1;
			case 2: return next(2) === 0;
			case 3: return null;
			case 4: return '';
			case 5: return ' 2020-01-01 ';
			case 6: return 1.5e300;
			case 7: return '={{ 1 }}';
			case 8: return [value(depth + 1)];
			default: {
				const object: IDataObject = {};
				for (let count = next(4); count > 0; count--) object[KEYS[next(KEYS.length)]] = value(depth + 1) as IDataObject;
				return object;
			}
		}
	};
	const path = () => Array.from({ length: 1 + next(2) }, () => KEYS[next(KEYS.length)]).join('.');
	return { value, path };
}

describe('the mapped fast path gives what n8n gives', () => {
	it('for values whose type changes from item to item after the first item made the parameter trusted, next to $(\'Input\').item and template leaves', async () => {
		const input: IDataObject[] = [
			{ s: 'Anna', n: 1, a: { b: 'x' }, isProxy: 'own', length: 3 },
			{ s: '={{ 1+1 }}', n: NaN, a: { b: Infinity }, isProxy: 5, length: 'x' },
			{ s: '{{ $json.n }}', n: -0, a: { b: null }, toJSON: 'own' },
			{ s: 12345678901234567890, n: '  ', a: Object.create(null) as IDataObject },
			{ s: true, a: { b: new Date(0) as unknown as IDataObject } },
			{ s: ['list'] as unknown as IDataObject, n: 1e21, a: ['b'] as unknown as IDataObject },
			{},
		];
		expectSameReads(
			await compare(
				{
					surname: '={{ $json.s }}',
					additionalFields: { name: '={{$json.isProxy}}', email: '={{ $json.length }}', phone_number: '={{ $json.n }}', job: '={{ $json.a.b }}', homepage: '={{ $json.toJSON }}', nip: '={{ $json["s"] }} ', identifier: "={{ $('Input').item.json.s }}", group: '={{ $json.a.b }}{{ "" }}' },
				},
				input,
				['surname', 'additionalFields'],
			),
		);
	});

	it('for a seeded sweep of random item shapes and paths', async () => {
		const { value, path } = generator(12345);
		for (let round = 0; round < 40; round++) {
			const input = Array.from({ length: 6 }, () => value(0)).map((entry) => (entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as IDataObject) : { a: entry as IDataObject }));
			const fields = { name: `={{ $json.${path()} }}`, email: `={{ $json.${path()} }}`, job: `={{ $json.${path()} }}`, address: { values: { city: `={{ $json.${path()} }}` } } };
			expectSameReads(await compare({ surname: `={{ $json.${path()} }}`, additionalFields: fields }, input, ['surname', 'additionalFields']));
		}
	});
});
