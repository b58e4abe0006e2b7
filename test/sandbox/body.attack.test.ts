/**
 * Attacks on the sandbox reading bodies as latin1 bytes (body.ts): for every valid or invalid body it
 * must parse to what decoding as UTF-8 then parsing gave before, and decode to the same text.
 */
import { RequestBody } from './body';

/** What the sandbox did before reading bodies as bytes: decode as UTF-8, then parse. */
function decodedThenParsed(bytes: Buffer): unknown {
	const text = bytes.toString('utf8');
	try {
		return text ? JSON.parse(text) : undefined;
	} catch {
		return undefined;
	}
}

function expectSameAsBefore(bytes: Buffer): void {
	const body = RequestBody.read(bytes);
	const parsed = body.json();
	const before = decodedThenParsed(bytes);
	expect(JSON.stringify(parsed)).toBe(JSON.stringify(before));
	expect(parsed).toEqual(before);
	expect(body.text()).toBe(bytes.toString('utf8'));
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

const bodies: Record<string, Buffer> = {
	'a UTF-8 BOM before ASCII JSON': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{"a":1}')]),
	'a UTF-8 BOM before non-ASCII JSON': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{"a":"ł"}')]),
	'an escaped backslash followed by u, with non-ASCII text': utf8('{"path":"C:\\\\users\\\\łukasz","u":"\\\\u0041"}'),
	'a \\u escape of a latin1 character next to UTF-8 text': utf8('{"a":"\\u00e9","b":"é"}'),
	'a \\u escaped lone surrogate with UTF-8 text': utf8('{"a":"\\ud800","b":"ż"}'),
	'four-byte characters in keys and values': utf8('{"😀":"𝄞","a":["😀",{"𝄞":"x"}]}'),
	'non-ASCII keys in objects inside lists': utf8('[{"ą":1,"b":2},{"c":{"ę":[1,"ó"]}}]'),
	'the same non-ASCII key twice (the last wins)': utf8('{"ł":1,"a":2,"ł":3}'),
	'integer-like keys with a non-ASCII key': utf8('{"b":1,"ł":2,"10":3,"2":4}'),
	'a top-level non-ASCII text': utf8('"Zażółć gęślą jaźń"'),
	'a top-level number': utf8('12'),
	'only spaces': utf8('   '),
	'a text with U+2028 and U+2029': utf8('{"a":"x\u2028y\u2029z ł"}'),
	'a constructor and prototype key with non-ASCII values': utf8('{"constructor":"ł","prototype":{"ą":"ę"},"toString":"ó"}'),
	'a __proto__ key with a non-ASCII key beside it': utf8('{"__proto__":{"ł":1},"ą":2}'),
	'overlong UTF-8 (invalid)': Buffer.concat([utf8('{"a":"'), Buffer.from([0xc0, 0xaf]), utf8('"}')]),
	'an encoded surrogate (invalid UTF-8)': Buffer.concat([utf8('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), utf8('"}')]),
	'a truncated character at the end': Buffer.concat([utf8('{"a":"ł"}'), Buffer.from([0xc5])]),
	'latin1 (not UTF-8) text': Buffer.from('{"a":"Łódź"}', 'latin1'),
	'a body of over 64 KB with Polish names': utf8(JSON.stringify({ customers: Array.from({ length: 2000 }, (_, index) => ({ surname: `Wiśniewska-${index}`, city: 'Łódź' })) })),
	'non-breaking space as JSON whitespace': utf8('{\u00a0"a":1}'),
};

describe('RequestBody parses every body as decoding then parsing did', () => {
	it.each(Object.entries(bodies))('%s', (_name, bytes) => expectSameAsBefore(bytes));

	it('a body split anywhere into chunks reads the same once joined', () => {
		const bytes = utf8(JSON.stringify({ a: 'Zażółć', 'ł': ['😀', { 城市: '成都' }] }));
		for (let cut = 0; cut <= bytes.length; cut++) {
			expectSameAsBefore(Buffer.concat([bytes.subarray(0, cut), bytes.subarray(cut)]));
		}
	});

	it('a deeply nested body with a non-ASCII text parses (JSON.parse reads it; before, it was JSON)', () => {
		const depth = 20000;
		const bytes = utf8(`${'['.repeat(depth)}"ł"${']'.repeat(depth)}`);
		const before = decodedThenParsed(bytes);
		expect(before).not.toBeUndefined();
		let parsed = RequestBody.read(bytes).json();
		expect(parsed).not.toBeUndefined();
		for (let level = 0; level < depth && Array.isArray(parsed); level++) parsed = parsed[0];
		expect(parsed).toBe('ł');
	});

	it('a deeply nested body of objects with a non-ASCII key parses', () => {
		const depth = 20000;
		const bytes = utf8(`${'{"a":'.repeat(depth)}{"ł":1}${'}'.repeat(depth)}`);
		expect(decodedThenParsed(bytes)).not.toBeUndefined();
		expect(RequestBody.read(bytes).json()).not.toBeUndefined();
	});

	it('random JSON of non-ASCII keys and texts, written with and without escapes, parses as before', () => {
		// A small deterministic generator: the same bodies on every run.
		let seed = 19;
		const random = (below: number) => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return seed % below;
		};
		const pieces = ['a', 'Z', ' ', 'ł', 'ó', 'é', '\u00e9', '\\', '\\u', '\"', '四', '😀', '\ud83d\ude00', '\n', '\/', '€', '\u0000', 'u', '\\\u0141'];
		const text = () => `"${Array.from({ length: random(6) }, () => pieces[random(pieces.length)]).join('')}"`;
		const value = (depth: number): string => {
			const kind = depth > 4 ? random(3) : random(6);
			if (kind === 0) return text();
			if (kind === 1) return String(random(1000) - 500);
			if (kind === 2) return ['true', 'false', 'null'][random(3)];
			if (kind === 3) return `[${Array.from({ length: random(4) }, () => value(depth + 1)).join(',')}]`;
			return `{${Array.from({ length: random(4) }, () => `${random(5) === 0 ? '"__proto__"' : text()}:${value(depth + 1)}`).join(',')}}`;
		};
		for (let body = 0; body < 3000; body++) expectSameAsBefore(utf8(value(0)));
	});
});
