import type { FieldSchema, RecordSchema } from '../shared/schema/fieldSchema';

/** Thulium's customer fields, from shared/vendor-docs/thulium-batch-customers.txt (translated). */
const addressFields: FieldSchema[] = [
	{ name: 'street', displayName: 'Street', description: 'Street name', type: 'string' },
	{ name: 'building', displayName: 'Building', description: 'Building number', type: 'string' },
	{ name: 'flat', displayName: 'Flat', description: 'Flat number', type: 'string' },
	{ name: 'postcode', displayName: 'Postcode', description: 'Postal code', type: 'string' },
	{ name: 'city', displayName: 'City', description: 'City', type: 'string' },
	{ name: 'country', displayName: 'Country', description: 'Country', type: 'string' },
];

function address(name: string, displayName: string, description: string): FieldSchema {
	return { name, displayName, description, type: 'object', fields: addressFields };
}

const customerFields: FieldSchema[] = [
	{ name: 'name', displayName: 'First Name', description: "The customer's first name", type: 'string' },
	{ name: 'email', displayName: 'Email', description: "The customer's email address", type: 'string', placeholder: 'name@email.com' },
	{ name: 'phone_number', displayName: 'Phone Number', description: "The customer's phone number", type: 'string' },
	{
		name: 'company_id',
		displayName: 'Company ID',
		description: 'ID of the Thulium company the customer belongs to',
		type: 'string',
		pattern: { regex: /^\d+$/, expectation: 'digits only' },
	},
	{ name: 'type', displayName: 'Type', description: 'Name of a customer type defined in your Thulium system', type: 'string' },
	{ name: 'group', displayName: 'Group', description: 'Name of a customer group defined in your Thulium system', type: 'string' },
	{ name: 'identifier', displayName: 'Identifier', description: 'Your own identifier for the customer', type: 'string' },
	{ name: 'gender', displayName: 'Gender', description: "The customer's gender, as your Thulium system spells it (the format is not published)", type: 'string' },
	{ name: 'homepage', displayName: 'Homepage', description: "The customer's website", type: 'string' },
	{ name: 'birthdate', displayName: 'Birth Date', description: "The customer's date of birth", type: 'date' },
	{ name: 'nip', displayName: 'NIP', description: 'Polish tax identification number (NIP)', type: 'string' },
	{ name: 'note', displayName: 'Note', description: 'A note about the customer', type: 'string' },
	{
		name: 'pesel',
		displayName: 'PESEL',
		description: 'Polish personal identification number (PESEL)',
		type: 'string',
		pattern: { regex: /^\d{11}$/, expectation: '11 digits' },
	},
	{ name: 'job', displayName: 'Workplace', description: 'Where the customer works', type: 'string' },
	{ name: 'job_title', displayName: 'Job Title', description: "The customer's position", type: 'string' },
	{ name: 'account_manager', displayName: 'Account Manager', description: 'Login of the Thulium user who looks after the customer', type: 'string' },
	{
		name: 'custom_fields',
		displayName: 'Custom Fields',
		description: 'Values of custom fields by field name. An empty value clears the field; a name that does not exist creates the field.',
		type: 'keyValue',
		keepEmptyValues: true,
	},
	{
		name: 'fill_read_only_custom_fields',
		displayName: 'Fill Read-Only Custom Fields',
		description: 'Whether custom fields marked READ ONLY are filled too',
		type: 'boolean',
	},
	{ name: 'vip', displayName: 'VIP', description: 'Whether the customer is a VIP', type: 'boolean' },
	address('address', 'Address', "The customer's address"),
	address('invoice_address', 'Invoice Address', 'Address for invoices'),
	address('mail_drop_address', 'Mailing Address', 'Address for correspondence'),
];

export const createSchema: RecordSchema = {
	fields: [
		{ name: 'surname', displayName: 'Surname', description: "The customer's surname", type: 'string', required: true },
		...customerFields,
	],
};

export const updateSchema: RecordSchema = {
	fields: [
		{
			name: 'customer_id',
			displayName: 'Customer ID',
			description: 'ID of the Thulium customer to update',
			type: 'string',
			required: true,
			pattern: { regex: /^\d+$/, expectation: 'digits only' },
		},
		{ name: 'surname', displayName: 'Surname', description: "The customer's surname", type: 'string' },
		...customerFields,
	],
};
