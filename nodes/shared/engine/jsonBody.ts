import type { IDataObject } from 'n8n-workflow';

/**
 * Longest text encoded at once. In Node 20, encoding one long JSON text that holds non-ASCII
 * characters as UTF-8 is slow: a batch of 100 full Thulium customers with Polish names (90 kB)
 * cost about 10 µs per customer as one text, the largest single cost of a full customer in n8n's
 * profile (docs/benchmarks-profile.md), and under 5 µs in texts of up to this length.
 */
const PIECE_CHARACTERS = 32_000;

/**
 * List entries turned into JSON by one call: few enough that a piece rarely outgrows
 * PIECE_CHARACTERS by much, enough that a batch of short customers costs no more calls than a
 * handful (one call per entry made batches of simple customers about 1.5× slower than axios).
 */
const ENTRIES_AT_ONCE = 16;

/** Collects a JSON text and encodes it as UTF-8 in pieces of at most about PIECE_CHARACTERS. */
class Utf8Pieces {
	private readonly encoded: Buffer[] = [];
	private text = '';

	add(text: string): void {
		this.text += text;
		if (this.text.length >= PIECE_CHARACTERS) this.encode();
	}

	bytes(): Buffer {
		this.encode();
		return this.encoded.length === 1 ? this.encoded[0] : Buffer.concat(this.encoded);
	}

	private encode(): void {
		if (this.text === '') return;
		this.encoded.push(Buffer.from(this.text, 'utf8'));
		this.text = '';
	}
}

/** A value JSON.stringify writes through its own `toJSON`: left whole to JSON.stringify. */
function hasToJson(value: object): boolean {
	return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function isPlainObject(value: object): boolean {
	const prototype: unknown = Object.getPrototypeOf(value);
	return (prototype === Object.prototype || prototype === null) && !hasToJson(value);
}

/**
 * A request body as n8n's HTTP helper would send it, made here: the bytes of
 * `JSON.stringify(body)` as UTF-8, byte for byte the same, written a few list entries at a time so
 * that no long text is encoded at once (PIECE_CHARACTERS). A Buffer passes through n8n's helper
 * and axios untouched. A string (a signed body) and anything but a plain object are returned as
 * they are, for the helper to send as before.
 *
 * The one difference from JSON.stringify: a value's own `toJSON` is called with another key (`''`
 * for a top-level value, the position within its slice of ENTRIES_AT_ONCE for a list entry). A
 * record's values are the schema's plain values (or a Date, whose `toJSON` ignores the key).
 */
export function jsonBody(body: IDataObject | string | undefined): IDataObject | string | Buffer | undefined {
	if (typeof body !== 'object' || body === null || !isPlainObject(body)) return body;
	const pieces = new Utf8Pieces();
	let separator = '';
	pieces.add('{');
	for (const key of Object.keys(body)) {
		const value: unknown = body[key];
		if (Array.isArray(value) && !hasToJson(value)) {
			pieces.add(`${separator}${JSON.stringify(key)}:[`);
			for (let start = 0; start < value.length; start += ENTRIES_AT_ONCE) {
				// A slice's JSON without its brackets: holes, undefined, functions and symbols are null, as in the whole list's.
				const entries = JSON.stringify(value.slice(start, start + ENTRIES_AT_ONCE));
				pieces.add(`${start === 0 ? '' : ','}${entries.slice(1, -1)}`);
			}
			pieces.add(']');
		} else {
			const text = JSON.stringify(value) as string | undefined;
			// As in JSON.stringify: a key whose value has no JSON form is left out.
			if (text === undefined) continue;
			pieces.add(`${separator}${JSON.stringify(key)}:${text}`);
		}
		separator = ',';
	}
	pieces.add('}');
	return pieces.bytes();
}
