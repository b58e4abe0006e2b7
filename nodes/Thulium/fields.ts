import type { FieldSchema, RecordSchema } from '../shared/schema/fieldSchema';

/** Thulium's customer fields, from shared/vendor-docs/thulium-batch-customers.txt (translated). */
const addressFields: FieldSchema[] = [
	{ name: 'street', label: 'Street', description: 'Street name', type: 'string' },
	{ name: 'building', label: 'Building', description: 'Building number', type: 'string' },
	{ name: 'flat', label: 'Flat', description: 'Flat number', type: 'string' },
	{ name: 'postcode', label: 'Postcode', description: 'Postal code', type: 'string' },
	{ name: 'city', label: 'City', description: 'City', type: 'string' },
	{ name: 'country', label: 'Country', description: 'Country', type: 'string' },
];

function address(name: string, label: string, description: string): FieldSchema {
	return { name, label, description, type: 'object', fields: addressFields };
}

const customerFields: FieldSchema[] = [
	{ name: 'name', label: 'First Name', description: "The customer's first name", type: 'string' },
	// "adres lub adresy e-mail", "numer lub numery telefonu": one value or several (VENDORS.md §3).
	{
		name: 'email',
		label: 'Email',
		description: "The customer's email address, or several of them",
		type: 'string',
		multiple: true,
		placeholder: 'name@email.com',
	},
	{
		name: 'phone_number',
		label: 'Phone Number',
		description: "The customer's phone number, or several of them",
		type: 'string',
		multiple: true,
	},
	{
		name: 'company_id',
		label: 'Company ID',
		description: 'ID of the Thulium company the customer belongs to',
		type: 'string',
		pattern: { regex: /^\d+$/, expectation: 'digits only' },
	},
	{ name: 'type', label: 'Type', description: 'Name of a customer type defined in your Thulium system', type: 'string' },
	{ name: 'group', label: 'Group', description: 'Name of a customer group defined in your Thulium system', type: 'string' },
	{ name: 'identifier', label: 'Identifier', description: 'Your own identifier for the customer', type: 'string' },
	{ name: 'gender', label: 'Gender', description: "The customer's gender, as your Thulium system spells it (the format is not published)", type: 'string' },
	{ name: 'homepage', label: 'Homepage', description: "The customer's website", type: 'string' },
	{ name: 'birthdate', label: 'Birth Date', description: "The customer's date of birth", type: 'date' },
	{ name: 'nip', label: 'NIP', description: 'Polish tax identification number (NIP)', type: 'string' },
	{ name: 'note', label: 'Note', description: 'A note about the customer', type: 'string' },
	{
		name: 'pesel',
		label: 'PESEL',
		description: 'Polish personal identification number (PESEL)',
		type: 'string',
		pattern: { regex: /^\d{11}$/, expectation: '11 digits' },
	},
	{ name: 'job', label: 'Workplace', description: 'Where the customer works', type: 'string' },
	{ name: 'job_title', label: 'Job Title', description: "The customer's position", type: 'string' },
	{ name: 'account_manager', label: 'Account Manager', description: 'Login of the Thulium user who looks after the customer', type: 'string' },
	{
		name: 'custom_fields',
		label: 'Custom Fields',
		description:
			'Values of custom fields by field name; a name that does not exist creates the field. A row here with an empty value sends nothing. Thulium clears a field sent empty: to clear one, give custom_fields as an object in the input (Auto-Map) with that name and an empty value.',
		type: 'keyValue',
		keepEmptyValues: true,
	},
	{
		name: 'fill_read_only_custom_fields',
		label: 'Fill Read-Only Custom Fields',
		description: 'Whether custom fields marked READ ONLY are filled too',
		type: 'boolean',
	},
	{ name: 'vip', label: 'VIP', description: 'Whether the customer is a VIP', type: 'boolean' },
	address('address', 'Address', "The customer's address"),
	address('invoice_address', 'Invoice Address', 'Address for invoices'),
	address('mail_drop_address', 'Mailing Address', 'Address for correspondence'),
];

export const createSchema: RecordSchema = {
	fields: [
		{ name: 'surname', label: 'Surname', description: "The customer's surname", type: 'string', required: true },
		...customerFields,
	],
};

export const updateSchema: RecordSchema = {
	fields: [
		{
			name: 'customer_id',
			label: 'Customer ID',
			description: 'ID of the Thulium customer to update',
			type: 'string',
			required: true,
			pattern: { regex: /^\d+$/, expectation: 'digits only' },
		},
		{ name: 'surname', label: 'Surname', description: "The customer's surname", type: 'string' },
		...customerFields,
	],
};
