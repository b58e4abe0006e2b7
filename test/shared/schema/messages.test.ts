import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type { FieldSchema } from '../../../nodes/shared/schema/fieldSchema';
import { validateRecord } from '../../../nodes/shared/schema/validateRecord';
import { documentedSchemas } from '../../docs/fieldTables';

/** Every field path of a schema, nested ones as the value that reaches them. */
function placements(fields: FieldSchema[]): Array<(value: unknown) => IDataObject> {
	return fields.flatMap((field) => {
		const own = (value: unknown): IDataObject => ({ [field.name]: value as IDataObject });
		const nested = placements(field.fields ?? []).map((inner) => (value: unknown) => {
			const object = inner(value);
			return { [field.name]: (field.type === 'objectList' ? [object] : object) as IDataObject };
		});
		return [own, ...nested];
	});
}

// A value that a message must never repeat: marked text, text that looks like a date or an
// option, numbers with many digits, and lists or maps of them.
const MARK = 'QZX';
const markedText = fc.oneof(
	fc.string({ maxLength: 20 }).map((text) => `${MARK}${text}`),
	fc.constantFrom(`${MARK}/05/1980`, `05/${MARK}/1980`, `${MARK}.05.1980`, `1980-${MARK}`, `Male${MARK}`, `a,${MARK}`),
);
const bigNumber = fc.integer({ min: 1_000_000, max: 2_000_000_000 }).map((number) => -number - 0.5);
const badValue = fc.oneof(
	markedText,
	bigNumber,
	fc.array(fc.oneof(markedText, bigNumber), { minLength: 1, maxLength: 3 }),
	fc.dictionary(fc.constantFrom('k', 'tel', 'city', 'id'), fc.oneof(markedText, bigNumber, fc.array(markedText)), { minKeys: 1 }),
);

describe('validation messages of every vendor schema', () => {
	for (const [name, schema] of Object.entries(documentedSchemas)) {
		const where = placements(schema.fields);

		it(`${name}: name the field and the shape, never the value (property)`, () => {
			fc.assert(
				fc.property(fc.integer({ min: 0, max: where.length - 1 }), badValue, fc.constantFrom('ymd', 'dmy', 'mdy'), (at, value, dateOrder) => {
					const { problems } = validateRecord(where[at](value), schema, { strict: true, dateOrder: dateOrder as 'ymd' });
					for (const problem of problems) {
						expect(problem.message).not.toContain(MARK);
						expect(problem.message).not.toMatch(/\d{7}/);
					}
				}),
				{ numRuns: 300 },
			);
		});

		it(`${name}: never throws, whatever a field holds (property)`, () => {
			fc.assert(
				fc.property(fc.integer({ min: 0, max: where.length - 1 }), fc.anything({ withDate: true, withNullPrototype: true, withBigInt: true }), (at, value) => {
					const { problems } = validateRecord(where[at](value), schema, { strict: true });
					for (const problem of problems) expect(typeof problem.message).toBe('string');
				}),
				{ numRuns: 300 },
			);
		});
	}
});
