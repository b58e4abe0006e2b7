import type { IDataObject } from 'n8n-workflow';

import type { FieldSchema } from './fieldSchema';
import { GROUP, KEY_VALUE_GROUP } from './toProperties';
import { isEmptyValue, setOwn } from './values';

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turns one parameter value (as n8n hands it over) into the API's shape for that field. */
function fromParameter(value: unknown, field: FieldSchema): unknown {
	switch (field.type) {
		case 'string':
		case 'stringList':
			// One entry of a multiple-values parameter may be an expression that gives a list.
			return Array.isArray(value) && (field.type === 'stringList' || field.multiple) ? value.flat() : value;
		case 'object': {
			const group = isObject(value) ? value[GROUP] : undefined;
			return isObject(group) ? fromParameterGroup(group, field.fields ?? []) : value;
		}
		case 'objectList': {
			const groups = isObject(value) ? value[GROUP] : undefined;
			// n8n fills an untouched fixedCollection in with `{}`: that is no entry, not an empty one.
			if (!Array.isArray(groups)) return isObject(value) && Object.keys(value).length === 0 ? undefined : value;
			return groups.map((group) => (isObject(group) ? fromParameterGroup(group, field.fields ?? []) : group));
		}
		case 'keyValue': {
			const entries = isObject(value) ? value[KEY_VALUE_GROUP] : undefined;
			if (!Array.isArray(entries)) return value;
			const map: IDataObject = {};
			for (const entry of entries as IDataObject[]) {
				// A row's value usually comes from a column: an empty cell is "not given", never "clear the field".
				// Set as own keys, so that a name such as __proto__ reaches validation (and is refused there).
				if (typeof entry?.name === 'string' && entry.name !== '' && !isEmptyValue(entry.value)) setOwn(map, entry.name, entry.value);
			}
			return map;
		}
		default:
			return value;
	}
}

/** The values of a parameter group (fixedCollection values or a collection) in API shape. */
export function fromParameterGroup(values: IDataObject, fields: FieldSchema[]): IDataObject {
	const record: IDataObject = {};
	for (const field of fields) {
		if (values[field.name] !== undefined) record[field.name] = fromParameter(values[field.name], field) as IDataObject;
	}
	return record;
}
