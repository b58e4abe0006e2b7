import type { FieldSchema, ReadAs, RecordSchema } from '../../nodes/shared/schema/fieldSchema';
import { dustessOperations } from '../../nodes/Dustess/adapter';
import { nxCloudOperations } from '../../nodes/NxCloud/adapter';
import { thuliumOperations } from '../../nodes/Thulium/adapter';

/** Every schema that has a field table in the README, by the marker name used there. */
export const documentedSchemas: Record<string, RecordSchema> = {
	'nxcloud-sea': nxCloudOperations.sea.schema,
	'nxcloud-standard': nxCloudOperations.standard.schema,
	'dustess-create': dustessOperations.create.schema,
	'dustess-update': dustessOperations.update.schema,
	'thulium-create': thuliumOperations.create.schema,
	'thulium-update': thuliumOperations.update.schema,
};

const TYPE_NAMES: Record<FieldSchema['type'], string> = {
	string: 'text',
	number: 'number',
	integer: 'whole number',
	boolean: 'true/false',
	date: 'date (sent as yyyy-MM-dd)',
	dateTime: 'date and time (sent as yyyy-MM-dd HH:mm:ss)',
	options: 'one of a list',
	object: 'object',
	objectList: 'list of objects',
	stringList: 'list of text',
	keyValue: 'name → value pairs',
};

const READ_AS_NAMES: Record<ReadAs['type'], string> = {
	number: 'a number',
	date: 'a date (sent as yyyy-MM-dd)',
	dateTime: 'a date and time (sent as yyyy-MM-dd HH:mm:ss)',
};

function limits(field: FieldSchema): string {
	const parts: string[] = [];
	if (field.maxLength !== undefined) parts.push(`≤ ${field.maxLength} chars`);
	if (field.itemMaxLength !== undefined) parts.push(`each ≤ ${field.itemMaxLength} chars`);
	if (field.maxItems !== undefined) parts.push(`≤ ${field.maxItems} entries`);
	if (field.min !== undefined) parts.push(`≥ ${field.min}`);
	if (field.max !== undefined) parts.push(`≤ ${field.max}`);
	if (field.pattern) parts.push(field.pattern.expectation);
	for (const rule of field.readAs ?? []) {
		const kind = READ_AS_NAMES[rule.type];
		parts.push(rule.when ? `${kind} when \`${rule.when.field}\` is ${rule.when.oneOf.map((value) => `\`${value}\``).join(', ')}` : kind);
	}
	if (field.options) parts.push(field.options.map((option) => `${option.name} = \`${String(option.value)}\``).join(', '));
	if (field.multiple) parts.push('several are sent as a list');
	if (field.sendAs === 'csv') parts.push('sent comma-separated, so no entry may contain a comma');
	if (field.sendAs === 'jsonString') parts.push('sent as a JSON string');
	return parts.join('; ');
}

function rows(fields: FieldSchema[], prefix = ''): string[] {
	return fields.flatMap((field) => {
		const path = `${prefix}${field.name}`;
		const type = field.multiple ? `${TYPE_NAMES[field.type]}, one or several` : TYPE_NAMES[field.type];
		const row = `| \`${path}\` | ${field.label} | ${type} | ${field.required ? 'yes' : ''} | ${limits(field)} | ${field.description.replace(/\|/g, '\\|')} |`;
		const nested = field.fields ? rows(field.fields, `${path}${field.type === 'objectList' ? '[].' : '.'}`) : [];
		return [row, ...nested];
	});
}

export function fieldTable(schema: RecordSchema): string {
	const lines = ['| API field | In the node | Type | Required | Limits | Description |', '| --- | --- | --- | --- | --- | --- |', ...rows(schema.fields)];
	for (const rule of schema.rules ?? []) lines.push('', `Rule: ${rule.message}`);
	return lines.join('\n');
}

/** The README with every `<!-- fields:NAME -->…<!-- /fields:NAME -->` block regenerated. */
export function withFieldTables(readme: string): string {
	return readme.replace(/<!-- fields:([\w-]+) -->[\s\S]*?<!-- \/fields:\1 -->/g, (block, name: string) => {
		const schema = documentedSchemas[name];
		if (!schema) throw new Error(`README names an unknown field table: ${name}`);
		return `<!-- fields:${name} -->\n${fieldTable(schema)}\n<!-- /fields:${name} -->`;
	});
}
