import type { FieldSchema } from './fieldSchema';

/** A list position at the end of a path step: `mobiles[1]`, `files_value[0][2]`. */
const POSITIONS = /(\[\d+\])+$/;

/**
 * A field as messages name it: the label the panel shows (after the labels of the groups it sits
 * in) and, in parentheses, the API name that Auto-Map input and the vendor use, e.g.
 * `'First Name' (first_name)` or `'Address → City' (address.city)`. A key the schema does not
 * know (an unknown input field) is named by its path alone. Built only for a message.
 */
export function fieldName(fields: FieldSchema[], path: string): string {
	const labels: string[] = [];
	let current: FieldSchema[] | undefined = fields;
	for (const step of path.split('.')) {
		const name = step.replace(POSITIONS, '');
		const field: FieldSchema | undefined = current?.find((candidate) => candidate.name === name);
		// A key inside a known field (a custom field's name) keeps its own spelling.
		labels.push(field ? field.label : name);
		if (!field && labels.length === 1) return `'${path}'`;
		current = field?.fields;
	}
	return `'${labels.join(' → ')}' (${path})`;
}
