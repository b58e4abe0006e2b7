import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { RecordSchema } from '../schema/fieldSchema';
import { fromParameterGroup } from '../schema/fromParameters';
import { ADDITIONAL_FIELDS, MAPPING_MODE } from '../schema/toProperties';
import { validateRecord } from '../schema/validateRecord';
import type { BatchOptions } from './batchOptions';
import { matchesNoField, noMatchingField } from './autoMapHelp';
import { mappedParameterReader } from './mappedParameters';
import type { MappedParameterReader } from './mappedParameters';
import type { FailureDetails } from './outcomes';
import { inputFields } from './reruns';
import { unexpectedCause, unreadableItemMessage } from './unexpectedErrors';

export type PreparedRecord =
	| { index: number; ok: true; record: IDataObject }
	/** `matchesNoField`: in Auto-Map, the item had no key named like an API field. */
	| { index: number; ok: false; error: FailureDetails; matchesNoField?: boolean };

function readMappedFields(reader: MappedParameterReader, itemIndex: number, schema: RecordSchema): IDataObject {
	const values: IDataObject = {};
	for (const field of schema.fields) {
		if (field.required) values[field.name] = reader.read(field.name, itemIndex, '') as IDataObject;
	}
	Object.assign(values, reader.read(ADDITIONAL_FIELDS, itemIndex, {}) as IDataObject);
	return fromParameterGroup(values, schema.fields);
}

/** A failed item's problems, and the field at fault when there is one. */
function detailsOf(problems: FailureDetails['problems'] & object): Partial<FailureDetails> {
	return { problems, ...(problems.length === 1 ? { field: problems[0].field } : {}) };
}

function invalid(index: number, message: string, error: Partial<FailureDetails> = {}, matchesNoField = false): PreparedRecord {
	const failed: PreparedRecord = { index, ok: false, error: { message, code: 'INVALID_RECORD', retriable: false, mayBeStored: false, ...error } };
	if (matchesNoField) failed.matchesNoField = true;
	return failed;
}

/**
 * Input items → vendor records, each checked against the schema. Fields come from the node's
 * parameters ("Map Each Field Below") or from the item's own keys ("Auto-Map Input Data").
 * Returns the reader of one item, so that items can be read a slice at a time.
 */
export function recordReader(
	fn: IExecuteFunctions,
	items: INodeExecutionData[],
	schema: RecordSchema,
	options: Pick<BatchOptions, 'rejectUnknownFields' | 'dateOrder'>,
): (index: number) => PreparedRecord {
	const mode = fn.getNodeParameter(MAPPING_MODE, 0, 'defineBelow') as string;
	const reader = mode === 'autoMapInputData' ? undefined : mappedParameterReader(fn, items);
	// Date objects are read as n8n shows them: in the workflow's time zone, else the instance's.
	const timeZone = fn.getTimezone();
	const validation = { strict: options.rejectUnknownFields && mode === 'autoMapInputData', dateOrder: options.dateOrder, timeZone };
	return (index) => {
		let input: IDataObject;
		try {
			// The keys an earlier node of this package wrote (a re-run) are neither sent nor unknown fields.
			input = reader ? readMappedFields(reader, index, schema) : inputFields(items[index].json);
		} catch (error) {
			// n8n's own words about an expression help; a stack overflow's are no better than ours.
			const cause = error instanceof RangeError ? unexpectedCause(error) : (error as Error).message;
			return invalid(index, `Could not read the mapped fields: ${cause}`);
		}
		let validated: ReturnType<typeof validateRecord>;
		try {
			validated = validateRecord(input, schema, validation);
		} catch (error) {
			return invalid(index, unreadableItemMessage(error));
		}
		const { record, problems } = validated;
		if (problems.length === 0) return { index, ok: true, record };
		// Every schema requires something, so an item none of whose keys is an API field always fails here.
		if (!reader && matchesNoField(Object.keys(input), schema)) {
			const { problem, help } = noMatchingField(Object.keys(input), schema, 'item');
			// Such an item's keys may be a customer (a sheet read without its header row): the help
			// names likely matches only, and the problems leave its unknown keys out.
			return invalid(index, `${problem}. ${help}`, detailsOf(problems.filter((problem) => problem.rule !== 'unknownField')), true);
		}
		const summary = problems.map((problem) => problem.message).join('; ');
		return invalid(index, `Invalid customer: ${summary}`, detailsOf(problems));
	};
}
