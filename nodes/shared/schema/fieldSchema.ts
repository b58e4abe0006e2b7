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
	/** For `stringList`: the longest an entry may be. */
	itemMaxLength?: number;
	/**
	 * How a list or map travels: `csv` joins a string list with commas ("a,b"), `jsonString`
	 * sends a map as a JSON text. Without it, lists go as arrays and maps as objects.
	 */
	sendAs?: 'csv' | 'jsonString';
	/** For `keyValue`: keep entries whose value is empty (some vendors clear a field with it). */
	keepEmptyValues?: boolean;
	/** For `keyValue`: a node `loadOptions` method that lists the names to pick from. */
	nameOptions?: { loadOptionsMethod: string; dependsOn?: string[] };
	placeholder?: string;
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
	| 'requireOneOf';

export interface Problem {
	/** Path of the field in the vendor's terms, e.g. `address.city` or `mobiles[1].tel`. */
	field: string;
	rule: ProblemRule;
	message: string;
}
