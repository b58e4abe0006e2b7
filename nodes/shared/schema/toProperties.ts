import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { FieldSchema, ReadAs, RecordSchema } from './fieldSchema';

export const MAPPING_MODE = 'mappingMode';
export const ADDITIONAL_FIELDS = 'additionalFields';
/** The option that holds a fixedCollection's single or repeated group of values. */
export const GROUP = 'values';
export const KEY_VALUE_GROUP = 'entries';

/** How a description states a `readAs` rule. */
const READ_AS_WORDS: Record<ReadAs['type'], string> = {
	number: 'Must be a number',
	date: 'Read as a date and sent as yyyy-MM-dd',
	dateTime: 'Read as a date and time and sent as yyyy-MM-dd HH:mm:ss',
};

function describe(field: FieldSchema): string {
	const limits: string[] = [];
	if (field.maxLength !== undefined) limits.push(`At most ${field.maxLength} characters.`);
	if (field.itemMaxLength !== undefined) limits.push(`Each entry at most ${field.itemMaxLength} characters.`);
	if (field.multiple) limits.push('One value or several; several are sent as a list.');
	if (field.maxItems !== undefined) limits.push(`At most ${field.maxItems} entries.`);
	if (field.pattern) limits.push(`Must be ${field.pattern.expectation}.`);
	for (const rule of field.readAs ?? []) {
		const kind = READ_AS_WORDS[rule.type];
		limits.push(rule.when ? `${kind} when ${rule.when.field} is ${rule.when.oneOf.join(', ')}.` : `${kind}.`);
	}
	if (field.type === 'date') limits.push('Sent as yyyy-MM-dd. A date with the year last (05/06/1980) needs Options → Date Order.');
	if (field.type === 'dateTime') limits.push('Sent as yyyy-MM-dd HH:mm:ss, the time as written. A date with the year last (05/06/1980) needs Options → Date Order.');
	const text = field.description.endsWith('.') ? field.description : `${field.description}.`;
	return [text, ...limits].join(' ');
}

function keyNameProperty(field: FieldSchema): INodeProperties {
	if (!field.nameOptions) return { displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Name of the field' };
	return {
		displayName: 'Name or ID',
		name: 'name',
		type: 'options',
		typeOptions: { loadOptionsMethod: field.nameOptions.loadOptionsMethod, loadOptionsDependsOn: field.nameOptions.dependsOn },
		default: '',
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	};
}

function valueProperties(fields: FieldSchema[]): INodeProperties[] {
	return fields.map((field) => fieldProperty(field));
}

/** A text parameter that holds a list of values, one per entry (n8n's multipleValues). */
function multipleTextProperty(field: FieldSchema, base: Partial<INodeProperties>): INodeProperties {
	return {
		...base,
		displayName: field.label,
		name: field.name,
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: `Add ${field.label}` },
		default: [],
	};
}

function fieldProperty(field: FieldSchema): INodeProperties {
	const base = {
		displayName: field.label,
		name: field.name,
		description: describe(field),
		required: field.required,
		placeholder: field.placeholder,
	};
	switch (field.type) {
		case 'string':
			if (field.multiple) return multipleTextProperty(field, base);
			return { ...base, type: 'string', default: '' };
		case 'number':
		case 'integer':
			return {
				...base,
				type: 'number',
				default: field.min ?? 0,
				typeOptions: {
					minValue: field.min,
					maxValue: field.max,
					numberPrecision: field.type === 'integer' ? 0 : undefined,
				},
			};
		case 'boolean':
			return { ...base, type: 'boolean', default: false };
		case 'date':
		case 'dateTime':
			return { ...base, type: 'dateTime', default: '' };
		case 'options': {
			const options: INodePropertyOptions[] = (field.options ?? []).map((option) => ({
				name: option.name,
				value: option.value,
				description: option.description,
			}));
			// Mapped input may give an option's name or another spelling the node reads (Male, m, 男):
			// without this, n8n's panel calls every value that is not an option's code unsupported.
			return { ...base, type: 'options', options, default: options[0]?.value ?? '', allowArbitraryValues: true };
		}
		case 'stringList':
			return multipleTextProperty(field, base);
		case 'object':
		case 'objectList':
			return {
				...base,
				placeholder: field.placeholder ?? `Add ${field.label}`,
				type: 'fixedCollection',
				typeOptions: { multipleValues: field.type === 'objectList' },
				default: {},
				options: [
					{ name: GROUP, displayName: field.label, values: valueProperties(field.fields ?? []) },
				],
			};
		case 'keyValue':
			return {
				...base,
				placeholder: field.placeholder ?? `Add ${field.label}`,
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				options: [
					{
						name: KEY_VALUE_GROUP,
						displayName: 'Field',
						values: [keyNameProperty(field), { displayName: 'Value', name: 'value', type: 'string', default: '', description: 'Value to set' }],
					},
				],
			};
	}
}

/**
 * The node parameters for one record schema: a mapping-mode switch, the required fields on
 * their own, the optional ones in an "Additional Fields" collection. `show` limits them to an
 * operation or edition.
 */
export function toProperties(schema: RecordSchema, show: IDisplayOptions['show'] = {}): INodeProperties[] {
	const defineBelow: IDisplayOptions = { show: { ...show, [MAPPING_MODE]: ['defineBelow'] } };
	const required = schema.fields.filter((field) => field.required);
	const optional = schema.fields
		.filter((field) => !field.required)
		.sort((a, b) => a.label.localeCompare(b.label));
	const notices: INodeProperties[] = (schema.rules ?? []).map((rule, index) => ({
		displayName: rule.message,
		name: `ruleNotice${index}`,
		type: 'notice',
		default: '',
		displayOptions: defineBelow,
	}));
	return [
		...required.map((field) => ({ ...fieldProperty(field), displayOptions: defineBelow })),
		...notices,
		{
			displayName: 'Additional Fields',
			name: ADDITIONAL_FIELDS,
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: defineBelow,
			options: valueProperties(optional).map((property) => ({ ...property, required: undefined })),
		},
	];
}

/** The parameter that chooses between mapping fields by hand and taking input keys as they are. */
export function mappingModeProperty(): INodeProperties {
	return {
		displayName: 'Mapping Column Mode',
		name: MAPPING_MODE,
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Map Each Field Below',
				value: 'defineBelow',
				description: 'Set the value of each vendor field, with expressions from the input',
			},
			{
				name: 'Auto-Map Input Data',
				value: 'autoMapInputData',
				description:
					"Take input fields whose names equal the vendor API's field names as they are (nested objects included)",
			},
		],
		default: 'defineBelow',
	};
}
