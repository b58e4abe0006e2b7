/**
 * Attack on 292f0f5: toVendorContact spreads the validator's record instead of copying its keys.
 * The contact must keep the record's keys in their order, leave the record as it was, and convert
 * the custom fields exactly as a key-by-key copy did.
 */
import type { IDataObject } from 'n8n-workflow';

import { toVendorContact } from '../../nodes/Dustess/adapter';
import { createSchema } from '../../nodes/Dustess/fields';
import { validateRecord } from '../../nodes/shared/schema/validateRecord';

describe('toVendorContact of a validated record', () => {
	const input: IDataObject = {
		pool: 'p',
		remark: 'A',
		custom_fields: [
			{ id: 'f1', type: 'text', value: 'hello' },
			{ id: 'f2', type: 'number', value: 12.5 },
		],
		email: 'a@example.com',
		position: 'Boss',
		source: 'web',
		address: 'Street 1',
		description: 'x',
		tags: ['t1'],
		age: 30,
		qq: '12345',
		wx: 'wxid',
		major: 'Math',
		education: 'PhD',
		national: 'Han',
		nationality: 'CN',
		corp_full_name: 'Corp',
		gender: 1,
	};

	it('keeps every key in the record order, custom_fields where it was, and leaves the record untouched', () => {
		const { record, problems } = validateRecord(input, createSchema);
		expect(problems).toEqual([]);
		const before = JSON.stringify(record);
		const contact = toVendorContact(Object.freeze(record));
		expect(Object.keys(contact)).toEqual(Object.keys(record));
		expect(contact).not.toBe(record);
		expect(JSON.stringify(record)).toBe(before);
		expect(contact.custom_fields).toEqual([
			{ id: 'f1', type: 'text', string_value: 'hello' },
			{ id: 'f2', type: 'number', float_value: 12.5 },
		]);
		const rest = (object: IDataObject) => Object.fromEntries(Object.entries(object).filter(([key]) => key !== 'custom_fields'));
		expect(rest(contact)).toEqual(rest(record));
		expect(Object.getPrototypeOf(contact)).toBe(Object.prototype);
	});

	it('refuses a reserved key before a contact is built from the record', () => {
		const { problems } = validateRecord(JSON.parse('{"pool":"p","__proto__":{"polluted":1},"custom_fields":[{"id":"f","type":"text","value":"v"}]}') as IDataObject, createSchema, { strict: true });
		expect(problems.map((problem) => problem.rule)).toContain('reservedName');
	});
});
