import type { FieldSchema, RecordSchema } from '../schema/fieldSchema';
import { plural } from '../schema/validateRecord';

/** Lists in messages stay short: the first few, then how many more. */
const SHOWN_FIELDS = 12;

function listed(names: string[], shown: number): string {
	const more = names.length - shown;
	return more > 0 ? `${names.slice(0, shown).join(', ')} and ${more} more` : names.join(', ');
}

/** A name with case, spaces, dashes, dots and underscores left out: `E-mail` and `email` meet. */
function normalised(name: string): string {
	return name.toLowerCase().replace(/[\s_.-]+/g, '');
}

/**
 * Whether an item in Auto-Map mode carries none of the API's top-level field names: then none of
 * its columns reached the record, and its failures say nothing about its data.
 */
export function matchesNoField(keys: string[], schema: RecordSchema): boolean {
	return !keys.some((key) => schema.fields.some((field) => field.name === key));
}

/**
 * Input keys → the API field each is probably meant for: the same name or panel label once case,
 * spaces, dashes, dots and underscores are left out (`E-mail` → email, `First Name` → the field
 * labelled First Name), else the one field whose name holds the key (`Phone` → phone_number).
 * Only suggested in messages, never mapped silently.
 */
export function likelyMatches(keys: string[], fields: FieldSchema[]): Array<[string, string]> {
	const matches: Array<[string, string]> = [];
	for (const key of keys) {
		const wanted = normalised(key);
		if (wanted.length < 2) continue;
		const same = fields.find((field) => normalised(field.name) === wanted || normalised(field.label) === wanted);
		const near = wanted.length >= 4 ? fields.filter((field) => normalised(field.name).includes(wanted)) : [];
		const match = same ?? (near.length === 1 ? near[0] : undefined);
		if (match) matches.push([key, match.name]);
	}
	return matches;
}

/** The API's top-level fields as a message lists them: the required ones first, marked. */
function apiFields(schema: RecordSchema): string {
	const inRules = new Set((schema.rules ?? []).flatMap((rule) => rule.fields));
	const required = schema.fields.filter((field) => field.required).map((field) => `${field.name} (required)`);
	const oneOf = (schema.rules ?? []).map((rule) => `${rule.fields.join(' or ')} (one of them required)`);
	const others = schema.fields.filter((field) => !field.required && !inRules.has(field.name)).map((field) => field.name);
	return listed([...required, ...oneOf, ...others], SHOWN_FIELDS);
}

export const NO_MATCHING_FIELD = 'Auto-Map found no input field named like a field of this API';

/**
 * Why Auto-Map found nothing to send (`problem`), and the ways out (`help`): how many input keys
 * there are, the API's field names, likely matches, and the other mapping mode. Only the keys that
 * are likely matches are named: a sheet read without its header row (n8n's sheet nodes take the
 * first row as the column names) makes the keys the first customer's data.
 */
export function noMatchingField(keys: string[], schema: RecordSchema, scope: 'item' | 'input'): { problem: string; help: string } {
	const seen = keys.length === 0 ? `The ${scope} has no fields` : `The ${scope} has ${plural(keys.length, 'field')}`;
	const matches = likelyMatches(keys, schema.fields);
	const likely = matches.length ? ` Likely meant: ${matches.map(([key, name]) => `'${key}' → ${name}`).join(', ')}.` : '';
	return {
		problem: NO_MATCHING_FIELD,
		help:
			`Auto-Map takes the fields whose names equal the API names. ${seen}; the API's fields are ${apiFields(schema)}.${likely} Rename the input fields to the API names (an Edit Fields node can), ` +
			"or set Mapping Column Mode to Map Each Field Below and map each field with an expression such as {{ $json['First Name'] }}.",
	};
}
