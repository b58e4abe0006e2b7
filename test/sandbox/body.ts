import { isAscii, isUtf8 } from 'node:buffer';

/**
 * A request body as the sandbox reads it. Decoding a body of full customers as UTF-8 cost more
 * than parsing and answering it (Node 20 decodes a text of over 64k characters into V8's
 * large-object space: about 1.4 ms for the 90 kB of a Thulium batch with Polish names, against
 * 0.01 ms for reading the same bytes as latin1), so the body is kept as its bytes and:
 * - parsed from their latin1 reading (one character per byte): JSON's syntax is ASCII, and in
 *   valid UTF-8 every byte of a multi-byte character is ≥ 0x80, so the bytes parse to the same
 *   values with each non-ASCII text read byte for byte; only those texts (and keys) are then
 *   decoded, one by one. A body that is not valid UTF-8, or that has `\u` escapes (which would be
 *   indistinguishable from bytes), is decoded whole first, as before.
 * - decoded as text only when asked (`text()`: the request log, an echoing fault).
 */
export class RequestBody {
	private constructor(
		/** Outside the JavaScript heap: a request log of full batches does not make garbage collection costlier. */
		readonly bytes: Buffer,
		/** Whether the bytes are valid UTF-8 (then hashing `bytes` = hashing `text()` as UTF-8). */
		readonly utf8: boolean,
		private readonly ascii: boolean,
	) {}

	static read(bytes: Buffer): RequestBody {
		const ascii = isAscii(bytes);
		return new RequestBody(bytes, ascii || isUtf8(bytes), ascii);
	}

	/** The body decoded as UTF-8, exactly as `Buffer#toString('utf8')` decodes it. */
	text(): string {
		return this.bytes.toString(this.ascii ? 'latin1' : 'utf8');
	}

	/** The body parsed as JSON (undefined when it is empty or not JSON). */
	json(): unknown {
		if (this.bytes.length === 0) return undefined;
		try {
			if (!this.utf8) return JSON.parse(this.text());
			// One character per byte; for ASCII bytes, the text itself.
			const latin1 = this.bytes.toString('latin1');
			if (this.ascii) return JSON.parse(latin1);
			if (latin1.includes('\\u')) return JSON.parse(this.text());
			const parsed: unknown = JSON.parse(latin1);
			try {
				return decodeTexts(parsed);
			} catch {
				// Nested deeper than decodeTexts can recurse (JSON.parse goes deeper): decoded whole, as before.
				return JSON.parse(this.text());
			}
		} catch {
			return undefined;
		}
	}
}

const NON_ASCII = /[\x80-\xff]/;

function decodeText(bytes: string): string {
	return NON_ASCII.test(bytes) ? Buffer.from(bytes, 'latin1').toString('utf8') : bytes;
}

const define = (record: Record<string, unknown>, key: string, value: unknown) =>
	Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });

/** Decodes, in place, every text and key of a value parsed from UTF-8 bytes read as latin1 (most are ASCII: left as they are). */
function decodeTexts(value: unknown): unknown {
	if (typeof value === 'string') return decodeText(value);
	if (typeof value !== 'object' || value === null) return value;
	if (Array.isArray(value)) {
		for (let index = 0; index < value.length; index++) {
			const item: unknown = value[index];
			if (typeof item === 'object' ? item !== null : typeof item === 'string') value[index] = decodeTexts(item);
		}
		return value;
	}
	const record = value as Record<string, unknown>;
	for (const key in record) {
		if (!NON_ASCII.test(key)) continue;
		// Rebuilt with every key decoded, in the same order; defined, so that a `__proto__` key stays a key.
		const rebuilt: Record<string, unknown> = {};
		for (const each of Object.keys(record)) define(rebuilt, decodeText(each), decodeTexts(record[each]));
		return rebuilt;
	}
	for (const key in record) {
		const field = record[key];
		if (typeof field === 'string') {
			if (!NON_ASCII.test(field)) continue;
		} else if (typeof field !== 'object' || field === null) continue;
		const decoded = decodeTexts(field);
		if (decoded === field) continue;
		if (key === '__proto__') define(record, key, decoded);
		else record[key] = decoded;
	}
	return record;
}
