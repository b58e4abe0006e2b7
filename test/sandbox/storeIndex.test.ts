import { StoreIndex } from './storeIndex';

type Entry = { name: string; keys: unknown[] };

/** An index over this store, as the vendors build theirs: ages are positions in the store. */
const indexOf = (store: Entry[]) => new StoreIndex<Entry>((entry) => entry.keys, (entry) => store.indexOf(entry));

/** What the index replaces: a search of the whole store, oldest first. */
const search = (store: Entry[], value: unknown) => store.find((entry) => entry.keys.includes(value));

describe('StoreIndex: a sandbox store looked up by key', () => {
	it('finds the oldest entry holding a value, and nothing for a value no entry holds', () => {
		const first = { name: 'first', keys: ['a', 'b'] };
		const second = { name: 'second', keys: ['b', 'c'] };
		const index = indexOf([first, second]);
		index.add(first);
		index.add(second);
		expect(index.first('b')).toBe(first);
		expect(index.first('c')).toBe(second);
		expect(index.has('a')).toBe(true);
		expect(index.first('d')).toBeUndefined();
		expect(index.has('d')).toBe(false);
	});

	it('re-reads the keys of an entry changed in place, which keeps its age', () => {
		const older = { name: 'older', keys: ['a'] };
		const younger = { name: 'younger', keys: ['b'] };
		const index = indexOf([older, younger]);
		index.add(older);
		index.add(younger);
		older.keys = ['b'];
		index.update(older, ['a']);
		expect(index.has('a')).toBe(false);
		expect(index.first('b')).toBe(older);
		younger.keys = [];
		index.update(younger, ['b']);
		expect(index.first('b')).toBe(older);
		older.keys = ['c'];
		index.update(older, ['b']);
		expect(index.has('b')).toBe(false);
		older.keys = ['c'];
		index.update(older, ['c']);
		expect(index.first('c')).toBe(older);
	});

	it('tells null, numbers and text apart as === does', () => {
		const store = [
			{ name: 'null', keys: [null] },
			{ name: 'one', keys: [1] },
		];
		const index = indexOf(store);
		store.forEach((entry) => index.add(entry));
		expect(index.first(null)?.name).toBe('null');
		expect(index.first(1)?.name).toBe('one');
		expect(index.first('1')).toBeUndefined();
		expect(index.first(undefined)).toBeUndefined();
	});

	it('forgets everything on clear', () => {
		const entry = { name: 'x', keys: ['a'] };
		const index = indexOf([entry]);
		index.add(entry);
		index.clear();
		expect(index.has('a')).toBe(false);
	});

	it('answers as the search of the whole store does, over many adds and in-place changes', () => {
		let seed = 7;
		const random = (below: number) => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return seed % below;
		};
		const keys = () => Array.from({ length: random(3) }, () => `k${random(12)}`);
		const store: Entry[] = [];
		const index = indexOf(store);
		for (let step = 0; step < 2000; step++) {
			if (store.length === 0 || random(3) === 0) {
				const entry = { name: `e${step}`, keys: keys() };
				store.push(entry);
				index.add(entry);
			} else {
				const entry = store[random(store.length)];
				const before = entry.keys;
				entry.keys = keys();
				index.update(entry, before);
			}
			const value = `k${random(12)}`;
			expect(index.first(value)).toBe(search(store, value));
		}
	});
});
