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

const bodies: Record<string, Buffer> = {
	empty: Buffer.alloc(0),
	ascii: Buffer.from(JSON.stringify({ customers: [{ surname: 'Nowak', email: ['a@x.pl'], vip: true, score: 1.5, note: null }] })),
	'Polish and Chinese texts': Buffer.from(JSON.stringify({ customers: [{ surname: 'Wiśniewska', address: { city: 'Łódź' } }, { prov_city: '四川省-成都市', tags: ['żółw', 'a"ł\\b'] }] })),
	'non-ASCII keys, in order': Buffer.from(JSON.stringify({ a: 1, łódź: { 城市: 'Kraków' }, z: ['ź'] })),
	'a __proto__ key': Buffer.from('{"__proto__":"Zażółć","x":{"__proto__":{"ą":1}}}'),
	'\\u escapes': Buffer.from('{"name":"\\u0141\\u00f3d\\u017a","city":"Łódź"}'),
	'emoji (four bytes)': Buffer.from(JSON.stringify({ note: 'ok 👍 ✓' })),
	'invalid UTF-8 inside a text': Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xc5, 0xff, 0xe4, 0xb8]), Buffer.from('b","c":"ł"}')]),
	'not JSON': Buffer.from('customers=Łódź'),
	'non-ASCII outside a text': Buffer.from('{"a":1}\u00a0'),
};

describe('RequestBody', () => {
	it.each(Object.entries(bodies))('%s: parses to what decoding then parsing gives, and decodes to the same text', (_name, bytes) => {
		const body = RequestBody.read(bytes);
		const parsed = body.json();
		expect(parsed).toEqual(decodedThenParsed(bytes));
		expect(JSON.stringify(parsed)).toBe(JSON.stringify(decodedThenParsed(bytes)));
		expect(body.text()).toBe(bytes.toString('utf8'));
	});

	it('keeps a __proto__ key a key, not the prototype', () => {
		const parsed = RequestBody.read(bodies['a __proto__ key']).json() as Record<string, unknown>;
		expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
		expect(Object.keys(parsed)).toEqual(['__proto__', 'x']);
		expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toBe('Zażółć');
		const inner = Object.getOwnPropertyDescriptor(parsed.x, '__proto__')?.value as Record<string, unknown>;
		expect(Object.keys(inner)).toEqual(['ą']);
	});

	it('gives the bytes and says whether they are valid UTF-8', () => {
		const polish = RequestBody.read(Buffer.from('{"a":"ł"}'));
		expect(polish.utf8).toBe(true);
		expect(polish.bytes).toEqual(Buffer.from('{"a":"ł"}'));
		expect(RequestBody.read(bodies['invalid UTF-8 inside a text']).utf8).toBe(false);
	});
});
