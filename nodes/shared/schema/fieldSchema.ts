/**
 * A vendor's customer fields, written once as data. The same description drives the node's
 * parameters (toProperties), the validation before sending (validateRecord) and the README's
 * field tables (test/docs).
 */
export type FieldType =
	| 'string'
	| 'number'
	| 'integer'
	| 'boolean'
	| 'date'
	| 'dateTime'
	| 'options'
	| 'object'
	| 'objectList'
	| 'stringList'
	| 'keyValue';

export interface FieldOption {
	name: string;
	value: string | number | boolean;
	description?: string;
	/** Other spellings accepted from input data (matched case-insensitively), e.g. "m" for Male. */
	aliases?: Array<string | number>;
}

/**
 * A type a field's value is read as instead of its own (see `readAs`). With `when`, only when a
 * sibling field of the same object holds one of the values (compared case-insensitively, after
 * that sibling's own reading), e.g. a custom field's Value when its type is Number; the sibling
 * must come earlier in `fields`.
 */
export interface ReadAs {
	type: 'number' | 'date' | 'dateTime';
	when?: { field: string; oneOf: string[] };
}

export interface FieldPattern {
	regex: RegExp;
	/** Says what the rule expects, e.g. "digits only". */
	expectation: string;
}

export interface FieldSchema {
	/** The vendor API's name, used as it is in the request body and for auto-mapping. */
	name: string;
	label: string;
	description: string;
	type: FieldType;
	required?: boolean;
	maxLength?: number;
	pattern?: FieldPattern;
	min?: number;
	max?: number;
	/** For `options`. */
	options?: FieldOption[];
	/** Let the user type a value that is not in `options` (e.g. a vendor's custom type id). */
	allowOtherValues?: boolean;
	/** For `object` and `objectList`. */
	fields?: FieldSchema[];
	/** For lists. */
	maxItems?: number;
	/**
	 * For `string`: the field takes one value or several (Thulium `email`, `phone_number`). Input
	 * may be text or a list of text, each entry checked on its own (maxLength, pattern); one value
	 * is sent as text, several as a list of text. The panel shows a multiple-values text parameter.
	 */
	multiple?: boolean;
	/** For `stringList`: the longest an entry may be. */
	itemMaxLength?: number;
	/**
	 * How a list or map travels: `csv` joins a string list with commas ("a,b"; an entry that
	 * contains a comma is refused, it would arrive as two), `jsonString` sends a map as a JSON
	 * text. Without it, lists go as arrays and maps as objects.
	 */
	sendAs?: 'csv' | 'jsonString';
	/**
	 * For `keyValue`: keep entries of a given map whose value is empty, sent as "" (Thulium clears
	 * a custom field with it). An empty map, or an empty cell for the whole field, is still "not given".
	 */
	keepEmptyValues?: boolean;
	/** For `keyValue`: a node `loadOptions` method that lists the names to pick from. */
	nameOptions?: { loadOptionsMethod: string; dependsOn?: string[] };
	placeholder?: string;
	/**
	 * Validate and send the value as another type, read by the same rule as every field of that
	 * type, while the panel keeps the field's own type (text: an empty entry sends nothing, where a
	 * number parameter would send 0). The first rule that applies decides.
	 */
	readAs?: ReadAs[];
	/**
	 * For `objectList`: the fields that carry an entry's value. An entry in which every one of them
	 * is blank is "not given" and left out, like an empty entry: a panel row whose value cells are
	 * empty says nothing, whatever its other fields (an id, a type, a label) hold.
	 */
	entryGivenBy?: string[];
}

/** A rule over several fields of one record, e.g. "id or external_id". */
export interface RecordRule {
	type: 'requireOneOf';
	fields: string[];
	message: string;
}

export interface RecordSchema {
	fields: FieldSchema[];
	rules?: RecordRule[];
}

export type ProblemRule =
	| 'required'
	| 'type'
	| 'maxLength'
	| 'format'
	| 'enum'
	| 'min'
	| 'max'
	| 'maxItems'
	| 'unknownField'
	| 'requireOneOf'
	/** Lists or objects nested deeper than the node reads (MAX_NESTING). */
	| 'maxDepth'
	/** A key such as `__proto__` or `constructor`, which JavaScript reserves. */
	| 'reservedName';

export interface Problem {
	/**
	 * Path of the field in the vendor's terms, e.g. `address.city` or `mobiles[1].tel`; for a
	 * requireOneOf rule, the first of its fields (all of them are in `oneOf`).
	 */
	field: string;
	rule: ProblemRule;
	message: string;
	/** For a requireOneOf rule: the fields of which one is needed. */
	oneOf?: string[];
}
