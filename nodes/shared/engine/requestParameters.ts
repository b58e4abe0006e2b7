import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Problem, RecordSchema } from '../schema/fieldSchema';
import type { ValidateOptions } from '../schema/validateRecord';
import { validateRecord } from '../schema/validateRecord';
import { isBlank } from '../schema/values';
import type { RequestParameter } from './adapter';
import type { FailureDetails } from './outcomes';
import { promiseOf } from './outcomes';

export type ParameterReading = { ok: true; value: unknown } | { ok: false; message: string; problems: Problem[] };

/**
 * One value of a request parameter → the value the request carries, read like a record's field
 * (schema/values: blank, true/false and numbers as text, trimmed text), or what is wrong with it,
 * naming the parameter by its panel label and the value's shape, never its content. A blank value
 * is "not given": the parameter's default, if it has one.
 */
export function readRequestParameter(value: unknown, parameter: RequestParameter, options: ValidateOptions = {}): ParameterReading {
	const given = isBlank(value) && parameter.default !== undefined ? parameter.default : value;
	// Checked as a one-field record: messages name it as fields are named, by label and name.
	const { record, problems } = validateRecord({ [parameter.name]: given } as IDataObject, schemaOf(parameter), options);
	if (problems.length === 0) return { ok: true, value: record[parameter.name] };
	return { ok: false, message: `Invalid node parameter: ${problems.map((problem) => problem.message).join('; ')}`, problems };
}

const schemaOfParameter = new WeakMap<RequestParameter, RecordSchema>();

/** The parameter as a one-field schema, one per parameter (validateRecord prepares each schema's field list once). */
function schemaOf(parameter: RequestParameter): RecordSchema {
	let schema = schemaOfParameter.get(parameter);
	if (!schema) schemaOfParameter.set(parameter, (schema = { fields: [parameter] }));
	return schema;
}

export type RequestParameterValues = { ok: true; values: IDataObject } | { ok: false; error: FailureDetails };

function invalid(parameter: RequestParameter, message: string, problems?: Problem[]): RequestParameterValues {
	const error: FailureDetails = { message, code: 'INVALID_RECORD', ...promiseOf('INVALID_RECORD'), field: parameter.name };
	if (problems) error.problems = problems;
	return { ok: false, error };
}

/**
 * Reads the request parameters of each item: a parameter written as an expression is evaluated
 * and checked for every item, a fixed one once. An expression that throws for an item fails that
 * item only. Returns the item's normalised values (defaults filled in), or why the item fails.
 */
function isExpression(fn: IExecuteFunctions, parameter: RequestParameter): boolean {
	const value = fn.getNode().parameters[parameter.name];
	return typeof value === 'string' && value.startsWith('=');
}

export function requestParameterReader(fn: IExecuteFunctions, parameters: RequestParameter[], options: ValidateOptions = {}) {
	const fixed = new Map<string, ParameterReading>();
	const expressions = new Set(parameters.filter((parameter) => isExpression(fn, parameter)).map((parameter) => parameter.name));
	/** With no expression every item reads the same values: one frozen object, which lets callers reuse what they derive from it. */
	let sameForEveryItem: RequestParameterValues | undefined;
	return (index: number): RequestParameterValues => {
		if (sameForEveryItem) return sameForEveryItem;
		const values: IDataObject = {};
		for (const parameter of parameters) {
			let reading = fixed.get(parameter.name);
			if (!reading) {
				let value: unknown;
				try {
					value = fn.getNodeParameter(parameter.name, index, parameter.default ?? '');
				} catch (error) {
					return invalid(parameter, `Could not read the node parameter '${parameter.label}': ${(error as Error).message}`);
				}
				reading = readRequestParameter(value, parameter, options);
				if (!expressions.has(parameter.name)) fixed.set(parameter.name, reading);
			}
			if (!reading.ok) return invalid(parameter, reading.message, reading.problems);
			if (reading.value !== undefined) values[parameter.name] = reading.value as IDataObject;
		}
		if (expressions.size > 0) return { ok: true, values };
		return (sameForEveryItem = { ok: true, values: Object.freeze(values) });
	};
}

/**
 * The first request parameter with a fixed value (no expression) that is invalid: it would fail
 * every item the same way, so it is a problem of the node's settings, not of any item.
 */
export function fixedParameterProblem(
	fn: IExecuteFunctions,
	parameters: RequestParameter[],
	options: ValidateOptions = {},
): { parameter: RequestParameter; message: string } | undefined {
	for (const parameter of parameters) {
		if (isExpression(fn, parameter)) continue;
		const reading = readRequestParameter(fn.getNodeParameter(parameter.name, 0, parameter.default ?? ''), parameter, options);
		if (!reading.ok) return { parameter, message: reading.message };
	}
	return undefined;
}

/** The values of the parameters declared secret, to be masked like credential secrets. */
export function secretParameterValues(parameters: RequestParameter[], values: IDataObject): string[] {
	return parameters
		.filter((parameter) => parameter.secret)
		.map((parameter) => values[parameter.name])
		.filter((value): value is string => typeof value === 'string' && value !== '');
}
