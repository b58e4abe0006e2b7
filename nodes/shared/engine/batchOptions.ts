import type { IDataObject, IExecuteFunctions, INodeProperties, NodeHint } from 'n8n-workflow';

import type { DateOrder } from '../schema/dates';
import { DATE_ORDERS } from '../schema/dates';
import { MAPPING_MODE } from '../schema/toProperties';
import { describeValue } from '../schema/validateRecord';
import { BOOLEAN_FORMS, isBlank, readBoolean, readNumber } from '../schema/values';
import { unexpectedCause } from './unexpectedErrors';

export interface BatchOptions {
	batchSize: number;
	concurrency: number;
	/** 0: no limit. */
	maxRequestsPerSecond: number;
	maxRetries: number;
	skipDuplicateRows: boolean;
	timeout: number;
	resendUnknownOutcomes: boolean;
	rejectUnknownFields: boolean;
	validateOnly: boolean;
	/** How to read dates such as 05/06/1980 (option "Date Order"). */
	dateOrder: DateOrder;
	/** Success items carry the record as it was sent (option "Include Sent Record"). */
	includeSentRecord: boolean;
}

/** The "Options" collection every Batch Create Customers node shows. */
export function batchOptionsProperty(maxBatchSize: number, defaultBatchSize = maxBatchSize): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: maxBatchSize },
				default: defaultBatchSize,
				description: `How many customers to send in one request, at most ${maxBatchSize}`,
			},
			{
				displayName: 'Concurrent Batches',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 1,
				description: 'How many requests may be under way at the same time',
			},
			{
				displayName: 'Date Order',
				name: 'dateOrder',
				type: 'options',
				options: [
					{ name: 'Day Before Month (17/05/1980)', value: 'dmy', description: 'Read 05/06/1980 as 5 June 1980' },
					{ name: 'Month Before Day (05/17/1980)', value: 'mdy', description: 'Read 05/06/1980 as 6 May 1980' },
					{ name: 'Year First Only (1980-05-17)', value: 'ymd', description: 'Refuse 05/06/1980 as ambiguous' },
				],
				default: 'ymd',
				description:
					'How your data writes dates with the year last, such as 05/06/1980 or 05-06-1980. Dates with the year first (1980-05-17, 1980/05/17, ISO date-times) and 17.05.1980 are read whatever this says.',
			},
			{
				displayName: 'Include Sent Record',
				name: 'includeSentRecord',
				type: 'boolean',
				default: false,
				description:
					"Whether each Success item also carries the record as it was sent (customerBatch.record: the fields after mapping, trimming and formatting). Off: a Success item carries the input's fields and the vendor's result, a third less than with the record for every item n8n holds for the execution. Failure items always carry the record, and so do the Success items of Validate Only.",
			},
			{
				displayName: 'Max Requests Per Second',
				name: 'maxRequestsPerSecond',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description:
					"The most requests to start in any second, across all concurrent batches, to stay inside the vendor's rate limit. 0: no limit. A 429 with Retry-After pauses every batch of the run either way.",
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 3,
				description:
					'How often to resend a batch the vendor did not process (rate limit 429, 503, connection refused). Waits as long as Retry-After says, otherwise backs off exponentially. Answers that may follow a stored batch (500, 502, 504, a timeout) are never resent for a create. Also how often a Failure item of this node may be sent through it again (a re-run): after that it fails as RETRIES_EXHAUSTED without being sent.',
			},
			{
				displayName: 'Reject Unknown Fields',
				name: 'rejectUnknownFields',
				type: 'boolean',
				default: false,
				// Only Auto-Map reads input keys as fields; mapped fields are never unknown.
				displayOptions: { show: { [`/${MAPPING_MODE}`]: ['autoMapInputData'] } },
				description: 'Whether an input field that is not a field of the vendor API fails the item. Off: such fields are ignored.',
			},
			{
				displayName: 'Request Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1000 },
				default: 30000,
				description: 'How long to wait for the vendor to answer one request, in milliseconds',
			},
			{
				displayName: 'Resend When Outcome Is Unknown',
				name: 'resendUnknownOutcomes',
				type: 'boolean',
				default: false,
				description:
					'Whether to resend a batch whose request may already have been stored (a timeout, a dropped connection, a 500, 502 or 504 error). This can create duplicates; off, such customers go to Failure with mayBeStored true.',
			},
			{
				displayName: 'Skip Duplicate Rows',
				name: 'skipDuplicateRows',
				type: 'boolean',
				default: true,
				description:
					"Whether a row whose customer came earlier in the same input (same phone, or e-mail when there is no phone; Dustess: a shared contact method, phones by their digits, others by value and type; NXCLOUD: within one Tenant ID) goes to Failure as DUPLICATE_IN_INPUT instead of being sent. On by default: a sheet that lists a customer twice would otherwise create it twice.",
			},
			{
				displayName: 'Validate Only',
				name: 'validateOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to check and map every item without sending anything. Valid items go to Success with the record that would be sent.',
			},
		],
	};
}

/** The options as the run uses them, and what could not be read (each naming its option, never its value). */
export interface OptionsReading {
	/** Every option read, or its default where it is blank or could not be read. */
	options: BatchOptions;
	problems: string[];
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The option values as n8n gives them. When the collection cannot be read as a whole (an option's
 * expression fails), each option is read on its own, so that the message names the one at fault.
 */
function optionValues(fn: IExecuteFunctions, label: (name: string) => string, problems: string[]): IDataObject {
	let whole: unknown;
	try {
		whole = fn.getNodeParameter('options', 0, {});
		return isObject(whole) ? whole : {};
	} catch (error) {
		whole = error;
	}
	const stored = fn.getNode().parameters?.options;
	const values: IDataObject = {};
	for (const name of isObject(stored) ? Object.keys(stored) : []) {
		try {
			values[name] = fn.getNodeParameter(`options.${name}`, 0, '') as IDataObject;
		} catch (error) {
			problems.push(`${label(name)} could not be read: ${unexpectedCause(error)}`);
		}
	}
	if (problems.length === 0) problems.push(`The options could not be read: ${unexpectedCause(whole)}`);
	return values;
}

/**
 * The node's Options, each read by the readers every value is read by (schema/values): blank is
 * the option's default; `true`/`false`, `1`/`0` and numbers may come as text from an expression.
 * A value that cannot be read is a problem of the settings, named by its option; the run sends
 * nothing then. "Resend When Outcome Is Unknown" is on only when it is the boolean `true`: the one
 * option that can create duplicates is never turned on by a reading.
 */
export function readBatchOptions(fn: IExecuteFunctions, maxBatchSize: number, defaultBatchSize = maxBatchSize): OptionsReading {
	const properties = (batchOptionsProperty(maxBatchSize, defaultBatchSize).options ?? []) as INodeProperties[];
	const labels = new Map(properties.map((option) => [option.name, option.displayName]));
	const label = (name: string) => `Options → ${labels.get(name) ?? name}`;
	const problems: string[] = [];
	const values = optionValues(fn, label, problems);
	const number = (name: string, fallback: number, min: number, max: number, whole = true) => {
		const value = values[name];
		if (isBlank(value)) return fallback;
		const read = readNumber(value);
		if (read === undefined) {
			problems.push(`${label(name)} must be a number, got ${describeValue(value)}`);
			return fallback;
		}
		return Math.min(Math.max(whole ? Math.floor(read) : read, min), max);
	};
	const flag = (name: string, fallback: boolean) => {
		const value = values[name];
		if (isBlank(value)) return fallback;
		const read = readBoolean(value);
		if (read === undefined) {
			problems.push(`${label(name)} must be true or false (${BOOLEAN_FORMS}), got ${describeValue(value)}`);
			return fallback;
		}
		return read;
	};
	const options: BatchOptions = {
		batchSize: number('batchSize', defaultBatchSize, 1, maxBatchSize),
		concurrency: number('concurrency', 1, 1, 10),
		maxRequestsPerSecond: number('maxRequestsPerSecond', 0, 0, Number.MAX_SAFE_INTEGER, false),
		maxRetries: number('maxRetries', 3, 0, 10),
		skipDuplicateRows: flag('skipDuplicateRows', true),
		timeout: number('timeout', 30000, 1000, 600000),
		resendUnknownOutcomes: values.resendUnknownOutcomes === true,
		rejectUnknownFields: flag('rejectUnknownFields', false),
		validateOnly: flag('validateOnly', false),
		dateOrder: dateOrderOf(values.dateOrder, label('dateOrder'), problems),
		includeSentRecord: flag('includeSentRecord', false),
	};
	return { options, problems };
}

function dateOrderOf(value: unknown, label: string, problems: string[]): DateOrder {
	if (isBlank(value)) return 'ymd';
	const order = typeof value === 'string' ? value.trim().toLowerCase() : value;
	if (DATE_ORDERS.includes(order as DateOrder)) return order as DateOrder;
	problems.push(`${label} must be one of ${DATE_ORDERS.join(', ')}, got ${describeValue(value)}`);
	return 'ymd';
}

/** Shown in the panel while Validate Only is on, so that nobody takes a dry run for an import. */
export const validateOnlyHint: NodeHint = {
	message: 'Validate Only is on: this node checks and maps every item but sends nothing to the vendor.',
	type: 'warning',
	location: 'ndv',
	displayCondition: '={{ $parameter["options"]["validateOnly"] === true }}',
	whenToDisplay: 'always',
};
