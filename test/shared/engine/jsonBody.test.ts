import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { jsonBody } from '../../../nodes/shared/engine/jsonBody';

/** What n8n's HTTP helper (axios) sends for an object body. */
const axiosBytes = (body: unknown) => Buffer.from(JSON.stringify(body), 'utf8');

const fullCustomer = (index: number): IDataObject => ({
	surname: `Wiśniewska-${index}`,
	name: 'Żaneta',
	email: [`c${index}@example.com`, `work.c${index}@example.com`],
	phone_number: ['13000000000', '220000000'],
	address: { street: 'Długa', building: String(index), city: 'Kraków', country: 'PL' },
	prov_city: '四川省-成都市-武侯区',
	custom_fields: [{ id: 'field01', type: 'text', string_value: '😀 retail' }],
	vip: index % 2 === 0,
	score: index / 3,
});

describe('jsonBody: the bytes n8n would send, written in pieces', () => {
	it('gives the bytes of JSON.stringify for a batch of full customers with non-ASCII text, as a Buffer', () => {
		const body = { customers: Array.from({ length: 100 }, (_, index) => fullCustomer(index)) };
		const bytes = jsonBody(body);
		expect(Buffer.isBuffer(bytes)).toBe(true);
		expect((bytes as Buffer).equals(axiosBytes(body))).toBe(true);
		expect(JSON.parse((bytes as Buffer).toString('utf8'))).toEqual(body);
	});

	it('gives the same bytes at every size around the piece boundary, and for one entry longer than a piece', () => {
		for (const count of [0, 1, 2, 33, 34, 35, 36, 70, 1000]) {
			const body = { type: 1, customers: Array.from({ length: count }, (_, index) => fullCustomer(index)), tail: 'ż' };
			expect((jsonBody(body) as Buffer).equals(axiosBytes(body))).toBe(true);
		}
		const huge = { customers: [{ note: 'ą'.repeat(100_000) }, { note: 'x'.repeat(70_000) }, 'ś'] };
		expect((jsonBody(huge) as Buffer).equals(axiosBytes(huge))).toBe(true);
	});

	it('leaves out, writes as null and escapes exactly as JSON.stringify does', () => {
		const sparse: unknown[] = [1];
		sparse[3] = 'after a hole';
		const body = {
			gone: undefined,
			fn: () => 1,
			sym: Symbol('s'),
			list: [undefined, () => 1, Symbol('s'), Number.NaN, Infinity, -0, null, new Date(Date.UTC(2026, 0, 2))],
			sparse,
			'key "quoted"\n': 'tab\tand\u2028and lone \ud800 surrogate',
			ключ: { nested: ['\u0000', '\\'] },
			when: new Date(Date.UTC(2026, 11, 2)),
			empty: [],
			last: undefined,
		} as unknown as IDataObject;
		expect((jsonBody(body) as Buffer).equals(axiosBytes(body))).toBe(true);
		const onlyGone = { gone: undefined, fn: () => 1 } as unknown as IDataObject;
		expect((jsonBody(onlyGone) as Buffer).toString()).toBe('{}');
		const parsed = JSON.parse('{"__proto__":{"x":1},"customers":[{"__proto__":2}]}') as IDataObject;
		expect((jsonBody(parsed) as Buffer).equals(axiosBytes(parsed))).toBe(true);
	});

	it('leaves a string (a signed body), a missing body and anything but a plain object to n8n', () => {
		expect(jsonBody('{"signed":true}')).toBe('{"signed":true}');
		expect(jsonBody(undefined)).toBeUndefined();
		const withToJson = { toJSON: () => ({ replaced: true }), customers: [] } as unknown as IDataObject;
		expect(jsonBody(withToJson)).toBe(withToJson);
		class Body {
			customers = [1];
		}
		const instance = new Body() as unknown as IDataObject;
		expect(jsonBody(instance)).toBe(instance);
		const listWithToJson = Object.assign([1, 2], { toJSON: () => 'list' });
		const body = { customers: listWithToJson } as unknown as IDataObject;
		expect((jsonBody(body) as Buffer).equals(axiosBytes(body))).toBe(true);
	});

	it('gives the bytes of JSON.stringify for any JSON-like body (property)', () => {
		fc.assert(
			fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 60 }))), (body) => {
				expect((jsonBody(body as IDataObject) as Buffer).equals(axiosBytes(body))).toBe(true);
			}),
			{ numRuns: 300 },
		);
	});
});
