import type { FieldOption, FieldSchema, RecordSchema } from '../shared/schema/fieldSchema';

/**
 * Dustess (尘锋 SCRM) contact fields, from shared/vendor-docs/dustess-batch-edit-customer.txt
 * (translated) and VENDORS.md §2. batchAddCustomer takes the same contact shape without `id`.
 * Dustess calls a customer a "contact" (联系人); the UI says contact where Dustess would.
 */

/** `mobiles[].type`: the three built-in kinds, or the id of a custom contact method. */
const contactMethodTypes: FieldOption[] = [
	{ name: 'Mobile', value: 'mobile', description: 'A mobile phone number', aliases: ['手机', '手机号'] },
	{ name: 'Landline', value: 'landline', description: 'A landline phone number', aliases: ['座机'] },
	{ name: 'Other', value: 'other', description: 'Any other contact method', aliases: ['其他'] },
];

/**
 * `custom_fields[].type`, as the vendor page names the types. Two spellings are not settled by
 * the page: numbers are described as "Int (数字)", and the example writes `multi-cascader` where
 * the table says `multiCascader`; attachments have no type name at all. Other values may be
 * typed in, and the adapter recognises every spelling when it places a value.
 */
const customFieldTypes: FieldOption[] = [
	{ name: 'Text', value: 'text', description: 'Single-line text (sent as string_value)' },
	{ name: 'Multi-Line Text', value: 'textarea', description: 'Multi-line text (sent as string_value)' },
	{ name: 'Single Choice', value: 'radio', description: 'One option of a list (sent as string_value)' },
	{ name: 'Date', value: 'date', description: 'A date (sent as string_value, yyyy-MM-dd)' },
	{ name: 'Date and Time', value: 'datetime', description: 'A date and time (sent as string_value, yyyy-MM-dd HH:mm:ss)' },
	{ name: 'Number', value: 'number', description: 'A number (sent as float_value)' },
	{ name: 'Multiple Choice', value: 'checkbox', description: 'Several options of a list (sent as array_value)' },
	{ name: 'Cascader (Single)', value: 'cascader', description: 'One path in a multi-level option tree (sent as array_value)' },
	{
		name: 'Cascader (Multiple)',
		value: 'multiCascader',
		description: 'Several paths in a multi-level option tree (sent as array_value)',
	},
	{ name: 'Attachments', value: 'attachment', description: 'Files, given under Files (sent as files_value)' },
];

/**
 * The custom field types whose value is a number (sent as float_value): the page's "Int", and the
 * spellings a user may type in for it.
 */
export const NUMBER_FIELD_TYPES = ['number', 'int', 'integer', 'float', 'float64', 'double'];

/**
 * The custom field types whose value is a date, or a date and time (both sent as string_value
 * [doc]). The page publishes no form for either: a date goes as yyyy-MM-dd, the form of its one
 * example (`birthday`), and a date and time as yyyy-MM-dd HH:mm:ss, that form with the time added.
 */
export const DATE_FIELD_TYPES = ['date'];
export const DATE_TIME_FIELD_TYPES = ['datetime', 'date_time'];

/** The slots of a custom field that hold its value: an entry with none of them says nothing. */
const CUSTOM_FIELD_VALUES = ['value', 'array_value', 'files_value', 'string_value', 'float_value'];

const fileTypes: FieldOption[] = [
	{ name: 'Other', value: 'other' },
	{ name: 'Audio', value: 'audio' },
	{ name: 'Excel Spreadsheet', value: 'spreadsheetml', aliases: ['excel', 'xlsx', 'xls'] },
	{ name: 'Image', value: 'image' },
	{ name: 'PDF', value: 'pdf' },
	{ name: 'PowerPoint Presentation', value: 'presentationml', aliases: ['ppt', 'pptx', 'powerpoint'] },
	{ name: 'Text', value: 'text' },
	{ name: 'Video', value: 'video' },
	{ name: 'Word Document', value: 'word', aliases: ['doc', 'docx'] },
];

const customFieldFields: FieldSchema[] = [
	{ name: 'id', label: 'Field ID', description: 'ID of the custom field, as the field template in Dustess lists it (e.g. field01)', type: 'string', required: true },
	{
		name: 'type',
		label: 'Field Type',
		description: "The field's type in Dustess. It decides how Value is sent; a type not listed may be typed in.",
		type: 'options',
		options: customFieldTypes,
		allowOtherValues: true,
	},
	{
		name: 'value',
		label: 'Value',
		description:
			'The value, sent in the form the field type needs: as text for text and choice types, as a date (yyyy-MM-dd) for Date, as a date and time (yyyy-MM-dd HH:mm:ss) for Date and Time, as a number for Number, as a list for Multiple Choice and the cascaders (separate several values with commas; a cascader path looks like Group/Subgroup/Option). For attachments use Files. An empty value sends nothing for the field.',
		type: 'string',
		// Read by the one rule for each kind: a Number field's value like float_value, a Date field's like a birthday.
		readAs: [
			{ type: 'number', when: { field: 'type', oneOf: NUMBER_FIELD_TYPES } },
			{ type: 'date', when: { field: 'type', oneOf: DATE_FIELD_TYPES } },
			{ type: 'dateTime', when: { field: 'type', oneOf: DATE_TIME_FIELD_TYPES } },
		],
	},
	{
		name: 'array_value',
		label: 'Option Values',
		description: 'Selected options of a Multiple Choice or cascader field, one per entry (the vendor\'s array_value). An alternative to Value when an option contains a comma.',
		type: 'stringList',
	},
	{
		name: 'files_value',
		label: 'Files',
		description: 'The files of an Attachments field (the vendor\'s files_value)',
		type: 'objectList',
		maxItems: 5,
		fields: [
			{ name: 'name', label: 'File Name', description: 'Name of the file as Dustess shows it', type: 'string', required: true },
			{ name: 'url', label: 'File URL', description: 'Link to the file', type: 'string', required: true },
			{ name: 'file_type', label: 'File Type', description: 'Kind of file', type: 'options', options: fileTypes },
		],
	},
	{
		name: 'string_value',
		label: 'Text Value (Vendor Form)',
		description: "The vendor's string_value, for input already in Dustess's shape. Value is simpler.",
		type: 'string',
	},
	{
		// A number in the vendor's shape, a text parameter so that an empty UI entry sends nothing
		// (a number parameter would default to 0).
		name: 'float_value',
		label: 'Number Value (Vendor Form)',
		description: "The vendor's float_value, for input already in Dustess's shape. Value is simpler.",
		type: 'string',
		readAs: [{ type: 'number' }],
	},
];

const contactFields: FieldSchema[] = [
	{ name: 'remark', label: 'Name', description: "The contact's name (Dustess calls it remark)", type: 'string' },
	{ name: 'category_id', label: 'Contact Type ID', description: 'ID of a contact type defined in Dustess', type: 'string' },
	{ name: 'corp_id', label: 'Company ID', description: 'ID of the company (from the Dustess company list) the contact belongs to', type: 'string' },
	{ name: 'corp_full_name', label: 'Company Full Name', description: "The full registered name of the contact's company", type: 'string' },
	{
		name: 'mobiles',
		label: 'Contact Methods',
		description: 'Phone numbers and other contact methods. Dustess uses them to recognise a contact it already has. An entry whose number or value is empty sends nothing.',
		type: 'objectList',
		// A row whose number cell is empty is no contact method, whatever its type and label say.
		entryGivenBy: ['tel'],
		fields: [
			{
				name: 'tel',
				label: 'Number or Value',
				description: 'The phone number (international numbers may start with +), or the value of another contact method, e.g. a WeChat ID',
				type: 'string',
				required: true,
			},
			{
				name: 'type',
				label: 'Type',
				description: 'Mobile, Landline, Other, or the ID of a custom contact method defined in Dustess',
				type: 'options',
				options: contactMethodTypes,
				allowOtherValues: true,
			},
			{ name: 'display', label: 'Label', description: 'Name of the contact method as Dustess shows it, e.g. Mobile or WeChat', type: 'string' },
		],
	},
	{ name: 'position', label: 'Job Title', description: "The contact's position at their company", type: 'string' },
	{
		name: 'source',
		label: 'Source ID',
		description: 'ID of a contact source, at any level of the source list; the contact is filed under that level',
		type: 'string',
	},
	{
		name: 'prov_city',
		label: 'Region',
		description:
			'Province, city and district (or county), separated by - or /, e.g. 四川省-成都市-武侯区 or 四川省/成都市/武侯区. The province alone, or province and city, also work.',
		type: 'string',
		pattern: { regex: /^[^-/]+(?:[-/][^-/]+){0,2}$/, expectation: 'province, city and district separated by - or / (at most three parts)' },
	},
	{ name: 'address', label: 'Address', description: "The contact's address", type: 'string' },
	{ name: 'birthday', label: 'Birthday', description: "The contact's date of birth", type: 'date' },
	{
		name: 'email',
		label: 'Email',
		description: "The contact's email address",
		type: 'string',
		placeholder: 'name@email.com',
		pattern: { regex: /^[^\s@]+@[^\s@]+$/, expectation: 'an email address' },
	},
	{
		name: 'gender',
		label: 'Gender',
		description: "The contact's gender",
		type: 'options',
		options: [
			{ name: 'Unknown', value: 0, aliases: ['未知', 'u'] },
			{ name: 'Male', value: 1, aliases: ['男', 'm'] },
			{ name: 'Female', value: 2, aliases: ['女', 'f'] },
		],
	},
	{ name: 'description', label: 'Description', description: 'A description of the contact', type: 'string' },
	{
		name: 'custom_fields',
		label: 'Custom Fields',
		description: 'Values of custom fields, by field ID and type (see the field template in Dustess). An entry without a value sends nothing for its field.',
		type: 'objectList',
		entryGivenBy: CUSTOM_FIELD_VALUES,
		fields: customFieldFields,
	},
	{ name: 'tags', label: 'Tag IDs', description: 'IDs of the contact tags to set', type: 'stringList' },
	{ name: 'age', label: 'Age', description: "The contact's age in years", type: 'integer', min: 0, max: 150 },
	{
		name: 'national',
		label: 'Ethnicity',
		description: "The contact's ethnic group, as Dustess expects it (the vendor's example sends a code such as 02; the list is not published)",
		type: 'string',
	},
	{ name: 'nationality', label: 'Nationality', description: "The contact's nationality", type: 'string' },
	{
		name: 'education',
		label: 'Education',
		description: "The contact's highest level of education",
		type: 'options',
		options: [
			{ name: 'Primary School', value: '01', aliases: ['小学', 1] },
			{ name: 'Junior High School', value: '02', aliases: ['初中', 2] },
			{ name: 'Senior High School', value: '03', aliases: ['高中', 'High School', 3] },
			{ name: 'Junior College', value: '04', aliases: ['专科', 'College', 'Associate Degree', 4] },
			{ name: "Bachelor's Degree", value: '05', aliases: ['本科', 'Bachelor', 5] },
			{ name: "Master's Degree", value: '06', aliases: ['硕士', 'Master', 6] },
			{ name: 'Doctorate', value: '07', aliases: ['博士', 'PhD', 'Doctor', 7] },
		],
	},
	{ name: 'major', label: 'Major', description: "The contact's field of study", type: 'string' },
	{ name: 'id_card', label: 'ID Card Number', description: "The number of the contact's identity card", type: 'string' },
	{ name: 'wx', label: 'WeChat ID', description: "The contact's WeChat ID", type: 'string' },
	{ name: 'qq', label: 'QQ Number', description: "The contact's QQ number", type: 'string' },
	{
		name: 'owner',
		label: 'Owner ID',
		description: 'Staff ID of the person who follows up the contact (the main owner). Creating a contact needs an owner or a pool.',
		type: 'string',
	},
	{
		name: 'pool',
		label: 'Pool ID',
		description:
			'ID of the public pool (公海) of unassigned contacts to put the contact in. The pool must exist, otherwise Dustess may store the contact where no one can find it.',
		type: 'string',
	},
	{ name: 'reason', label: 'Invalid Reason ID', description: 'ID of the reason the contact is marked invalid, abandoned or deleted', type: 'string' },
	{ name: 'status', label: 'Status ID', description: 'ID of the follow-up status of the contact', type: 'string' },
	{ name: 'share_uids', label: 'Shared With (Staff IDs)', description: 'Staff IDs of the people the contact is shared with', type: 'stringList' },
];

const externalId: FieldSchema = {
	name: 'external_id',
	label: 'External Contact ID',
	description: 'Your own ID for the contact, by which it can later be updated',
	type: 'string',
};

export const createSchema: RecordSchema = {
	fields: [externalId, ...contactFields],
	rules: [
		{
			type: 'requireOneOf',
			fields: ['owner', 'pool'],
			message: 'Set an Owner ID or a Pool ID: Dustess needs one of the two to create a contact',
		},
	],
};

export const updateSchema: RecordSchema = {
	fields: [
		{ name: 'id', label: 'Contact ID', description: 'The Dustess ID of the contact to update', type: 'string' },
		{ ...externalId, description: 'Your own ID for the contact to update, as given when it was created' },
		...contactFields,
	],
	rules: [
		{
			type: 'requireOneOf',
			fields: ['id', 'external_id'],
			message: 'Set a Contact ID or an External Contact ID: Dustess finds the contact to update by one of the two',
		},
	],
};
