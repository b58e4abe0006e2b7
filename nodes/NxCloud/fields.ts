import type { FieldSchema, RecordSchema } from '../shared/schema/fieldSchema';

/**
 * NXCLOUD's customer fields, from shared/vendor-docs/nxcloud-batch-create-customers.txt (the
 * "SEA" edition) and VENDORS.md §1 (the "Standard" edition). Limits are the documented ones.
 */
const DIGITS = { regex: /^\d+$/, expectation: 'digits only' };
const EMAIL = { regex: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, expectation: 'an email address' };

function name(field: 'first_name' | 'last_name', required: boolean): FieldSchema {
	const label = field === 'first_name' ? 'First Name' : 'Last Name';
	return { name: field, label, description: `The customer's ${label.toLowerCase()}`, type: 'string', required, maxLength: 128 };
}

function phone(field: string, label: string, description: string, maxLength: number, digitsOnly: boolean): FieldSchema {
	return { name: field, label, description, type: 'string', maxLength, ...(digitsOnly ? { pattern: DIGITS } : {}) };
}

/** The fields both editions share, with the remark limit and phone rule of the edition. */
function commonFields(options: { remarkMaxLength: number; remarkNote?: string; digitsOnlyPhones: boolean }): FieldSchema[] {
	return [
		phone('sms_phone', 'SMS Phone', 'Mobile number for SMS', 30, options.digitsOnlyPhones),
		phone('whats_app_phone', 'WhatsApp Phone', 'WhatsApp number', 30, options.digitsOnlyPhones),
		{ name: 'country', label: 'Country', description: "The customer's country", type: 'string', maxLength: 50 },
		{ name: 'email', label: 'Email', description: "The customer's email address", type: 'string', maxLength: 50, pattern: EMAIL, placeholder: 'name@email.com' },
		{ name: 'address', label: 'Address', description: "The customer's street address", type: 'string', maxLength: 100 },
		{ name: 'birthday', label: 'Birthday', description: "The customer's date of birth (dates and ISO date-times are accepted)", type: 'date' },
		{
			name: 'tagStr',
			label: 'Tags',
			description: 'Names of tags to put on the customer; sent comma-separated as tagStr, so a tag name cannot contain a comma',
			type: 'stringList',
			sendAs: 'csv',
		},
		{
			name: 'remark',
			label: 'Remark',
			description: options.remarkNote ? `A note about the customer (${options.remarkNote})` : 'A note about the customer',
			type: 'string',
			maxLength: options.remarkMaxLength,
		},
		{ name: 'time_zone', label: 'Time Zone', description: "The customer's time zone, e.g. GMT+8", type: 'string', placeholder: 'GMT+8' },
		{
			name: 'gender',
			label: 'Gender',
			description: "The customer's gender: Male is sent as 1, Female as 0",
			type: 'options',
			options: [
				{ name: 'Male', value: 1, aliases: ['m', 'man', '男'] },
				{ name: 'Female', value: 0, aliases: ['f', 'woman', '女'] },
			],
		},
		{
			name: 'customize_field',
			label: 'Custom Fields',
			description:
				'Values of the tenant\'s custom fields by field key (e.g. customize_1_14), as name/value pairs or a JSON object; sent as a JSON text',
			type: 'keyValue',
			sendAs: 'jsonString',
			nameOptions: { loadOptionsMethod: 'getCustomFields', dependsOn: ['tenantId'] },
		},
		{ name: 'belong_seat_user', label: 'Assigned Seat', description: 'The seat (agent account) the customer belongs to', type: 'string', maxLength: 128 },
	];
}

/** `POST /saas/sea/cdp/openapi/customers/batch_create` (vendor-docs): first and last name required. */
export const seaSchema: RecordSchema = {
	fields: [name('first_name', true), name('last_name', true), ...commonFields({ remarkMaxLength: 100, digitsOnlyPhones: false })],
};

function standardFields(remarkMaxLength: number): FieldSchema[] {
	return [
		{ name: 'full_name', label: 'Full Name', description: "The customer's name", type: 'string', required: true, maxLength: 255 },
		name('first_name', false),
		name('last_name', false),
		...commonFields({ remarkMaxLength, remarkNote: remarkMaxLength === 100 ? 'the Indonesian region allows 2000 characters' : undefined, digitsOnlyPhones: true }),
		phone('viber_phone', 'Viber Phone', 'Viber number', 30, true),
		phone('messenger', 'Messenger', 'Messenger ID', 32, true),
		phone('instagram', 'Instagram', 'Instagram ID', 32, true),
		phone('zalo', 'Zalo', 'Zalo ID', 32, true),
		{ name: 'line', label: 'LINE', description: 'LINE ID', type: 'string', maxLength: 50 },
	];
}

/**
 * `POST /saas/cdp/openapi/customers/batch_create` [doc]: full_name required, phone fields digits
 * only, more messenger fields. The remark may hold 100 characters, 2000 on the Indonesian region.
 */
export const standardSchema: RecordSchema = { fields: standardFields(100) };
export const standardIndonesiaSchema: RecordSchema = { fields: standardFields(2000) };
