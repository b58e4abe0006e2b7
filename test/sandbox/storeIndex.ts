/**
 * A sandbox store's lookup by key, so that finding a customer is a map lookup, not a search of
 * the whole store. For every key value it keeps the entries that hold it, oldest first, so
 * `first(value)` is what `store.find((entry) => keysOf(entry).includes(value))` gives over the
 * store in insertion order. An entry changed in place is re-read with `update`.
 */
export class StoreIndex<T extends object> {
	private readonly byKey = new Map<unknown, T[]>();

	/**
	 * `keysOf`: the values an entry is found by (none: it is not found by this index).
	 * `ageOf`: the entry's position in the store (only asked when an update gives an entry a value
	 * that older or younger entries hold too).
	 */
	constructor(
		private readonly keysOf: (entry: T) => unknown[],
		private readonly ageOf: (entry: T) => number,
	) {}

	/** A new entry, younger than every entry added before. */
	add(entry: T): void {
		for (const key of this.uniqueKeys(entry)) {
			const holders = this.byKey.get(key);
			if (holders) holders.push(entry);
			else this.byKey.set(key, [entry]);
		}
	}

	/** Re-reads the keys of an entry that was changed in place; `keysBefore` = its keys before the change. */
	update(entry: T, keysBefore: unknown[]): void {
		const keys = this.uniqueKeys(entry);
		for (const key of keysBefore) {
			if (keys.includes(key)) continue;
			const holders = this.byKey.get(key);
			const position = holders ? holders.indexOf(entry) : -1;
			if (position < 0) continue;
			holders!.splice(position, 1);
			if (holders!.length === 0) this.byKey.delete(key);
		}
		for (const key of keys) {
			const holders = this.byKey.get(key);
			if (!holders) {
				this.byKey.set(key, [entry]);
				continue;
			}
			if (holders.includes(entry)) continue;
			const age = this.ageOf(entry);
			const younger = holders.findIndex((holder) => this.ageOf(holder) > age);
			holders.splice(younger < 0 ? holders.length : younger, 0, entry);
		}
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
	}

	private uniqueKeys(entry: T): unknown[] {
		const keys = this.keysOf(entry);
		if (keys.length < 2) return keys;
		if (keys.length === 2) return keys[0] === keys[1] ? [keys[0]] : keys;
		return [...new Set(keys)];
	}
}
