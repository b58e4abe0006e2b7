import { isAscii, isUtf8 } from 'node:buffer';

/**
 * A request body as the sandbox reads it. Decoding a body of full customers as UTF-8 (Node 20's
 * `toString('utf8')`: about 1.5 ms for the 90 kB of a Thulium batch with Polish names) cost more
 * than parsing and answering it, so the body is kept as its bytes — a latin1 string, one
 * character per byte, made without decoding — and:
 * - parsed from those bytes: JSON's syntax is ASCII, and in valid UTF-8 every byte of a multi-byte
 *   character is ≥ 0x80, so the bytes parse to the same values with each non-ASCII text read byte
 *   for byte; only those texts (and keys) are then decoded, one by one. A body that is not valid
 *   UTF-8, or that has `\u` escapes (which would be indistinguishable from bytes), is decoded
 *   whole first, as before.
 * - decoded as text only when asked (`text()`: the request log, an echoing fault), once.
 */
export class RequestBody {
	private decoded: string | undefined;

	private constructor(
		/** The body's bytes, one latin1 character per byte. */
		readonly bytes: string,
		/** Whether the bytes are valid UTF-8 (then `bytes` hashed as latin1 = `text()` hashed as UTF-8). */
		readonly utf8: boolean,
		private readonly ascii: boolean,
	) {
		if (ascii) this.decoded = bytes;
	}

	static read(buffer: Buffer): RequestBody {
		const ascii = isAscii(buffer);
		return new RequestBody(buffer.toString('latin1'), ascii || isUtf8(buffer), ascii);
	}

	/** The body decoded as UTF-8, exactly as `Buffer#toString('utf8')` decodes it. */
	text(): string {
		this.decoded ??= Buffer.from(this.bytes, 'latin1').toString('utf8');
		return this.decoded;
	}

	/** The body parsed as JSON (undefined when it is empty or not JSON). */
	json(): unknown {
		if (this.bytes === '') return undefined;
		try {
			if (this.ascii) return JSON.parse(this.bytes);
			if (!this.utf8 || this.bytes.includes('\\u')) return JSON.parse(this.text());
			return decodeTexts(JSON.parse(this.bytes));
		} catch {
			return undefined;
		}
	}
}

const NON_ASCII = /[\x80-\xff]/;

function decodeText(bytes: string): string {
	return NON_ASCII.test(bytes) ? Buffer.from(bytes, 'latin1').toString('utf8') : bytes;
}

/** Decodes, in place, every text and key of a value parsed from UTF-8 bytes read as latin1. */
function decodeTexts(value: unknown): unknown {
	if (typeof value === 'string') return decodeText(value);
	if (typeof value !== 'object' || value === null) return value;
	if (Array.isArray(value)) {
		for (let index = 0; index < value.length; index++) value[index] = decodeTexts(value[index]);
		return value;
	}
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record);
	if (keys.some((key) => NON_ASCII.test(key))) {
		// Rebuilt with every key decoded, in the same order; defined, so that a `__proto__` key stays a key.
		const rebuilt: Record<string, unknown> = {};
		for (const key of keys) Object.defineProperty(rebuilt, decodeText(key), { value: decodeTexts(record[key]), writable: true, enumerable: true, configurable: true });
		return rebuilt;
	}
	for (const key of keys) {
		const field = record[key];
		const decoded = decodeTexts(field);
		if (decoded === field) continue;
		if (key === '__proto__') Object.defineProperty(record, key, { value: decoded, writable: true, enumerable: true, configurable: true });
		else record[key] = decoded;
	}
	return record;
}
