/**
 * A sandbox store's lookup by key, so that finding a customer is a map lookup, not a search of
 * the whole store. For every key value it keeps the entries that hold it, oldest first, so
 * `first(value)` is what `store.find((entry) => keysOf(entry).includes(value))` gives over the
 * store in insertion order. An entry whose keys may have changed (an update) is re-read with
 * `update`.
 */
export class StoreIndex<T extends object> {
	private readonly byKey = new Map<unknown, T[]>();
	private readonly keysByEntry = new Map<T, { order: number; keys: unknown[] }>();
	private added = 0;

	/** `keysOf`: the values an entry is found by (none: it is not found by this index). */
	constructor(private readonly keysOf: (entry: T) => unknown[]) {}

	/** A new entry, younger than every entry added before. */
	add(entry: T): void {
		const keys = [...new Set(this.keysOf(entry))];
		this.keysByEntry.set(entry, { order: this.added++, keys });
		for (const key of keys) {
			const holders = this.byKey.get(key);
			if (holders) holders.push(entry);
			else this.byKey.set(key, [entry]);
		}
	}

	/** Re-reads the keys of an entry that was changed in place; it keeps its age. */
	update(entry: T): void {
		const known = this.keysByEntry.get(entry);
		if (!known) return this.add(entry);
		const keys = [...new Set(this.keysOf(entry))];
		for (const key of known.keys) {
			if (keys.includes(key)) continue;
			const holders = this.byKey.get(key)!;
			holders.splice(holders.indexOf(entry), 1);
			if (holders.length === 0) this.byKey.delete(key);
		}
		for (const key of keys) {
			if (known.keys.includes(key)) continue;
			const holders = this.byKey.get(key);
			if (!holders) {
				this.byKey.set(key, [entry]);
				continue;
			}
			const younger = holders.findIndex((holder) => this.keysByEntry.get(holder)!.order > known.order);
			holders.splice(younger < 0 ? holders.length : younger, 0, entry);
		}
		known.keys = keys;
	}

	/** The oldest entry found by this value. */
	first(value: unknown): T | undefined {
		return this.byKey.get(value)?.[0];
	}

	has(value: unknown): boolean {
		return this.byKey.has(value);
	}

	clear(): void {
		this.byKey.clear();
		this.keysByEntry.clear();
		this.added = 0;
	}
}
