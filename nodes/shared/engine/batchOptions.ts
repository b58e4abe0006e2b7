import type { IDataObject, IExecuteFunctions, INodeProperties, NodeHint } from 'n8n-workflow';

import type { DateOrder } from '../schema/dates';
import { DATE_ORDERS } from '../schema/dates';
import { MAPPING_MODE } from '../schema/toProperties';

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
					"Whether a row whose customer came earlier in the same input (same phone, or e-mail when there is no phone; Dustess: a shared contact method, phones by their digits, others by value and type) goes to Failure as DUPLICATE_IN_INPUT instead of being sent. On by default: a sheet that lists a customer twice would otherwise create it twice.",
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

export function readBatchOptions(fn: IExecuteFunctions, maxBatchSize: number, defaultBatchSize = maxBatchSize): BatchOptions {
	const options = fn.getNodeParameter('options', 0, {}) as IDataObject;
	const whole = (value: unknown, fallback: number, min: number, max: number) => {
		const number = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : fallback;
		return Math.min(Math.max(number, min), max);
	};
	return {
		batchSize: whole(options.batchSize, defaultBatchSize, 1, maxBatchSize),
		concurrency: whole(options.concurrency, 1, 1, 10),
		maxRequestsPerSecond:
			typeof options.maxRequestsPerSecond === 'number' && options.maxRequestsPerSecond > 0 ? options.maxRequestsPerSecond : 0,
		maxRetries: whole(options.maxRetries, 3, 0, 10),
		skipDuplicateRows: options.skipDuplicateRows !== false,
		timeout: whole(options.timeout, 30000, 1000, 600000),
		resendUnknownOutcomes: options.resendUnknownOutcomes === true,
		rejectUnknownFields: options.rejectUnknownFields === true,
		validateOnly: options.validateOnly === true,
		dateOrder: dateOrderOf(options),
	};
}

function dateOrderOf(options: IDataObject): DateOrder {
	return DATE_ORDERS.includes(options.dateOrder as DateOrder) ? (options.dateOrder as DateOrder) : 'ymd';
}

/** Shown in the panel while Validate Only is on, so that nobody takes a dry run for an import. */
export const validateOnlyHint: NodeHint = {
	message: 'Validate Only is on: this node checks and maps every item but sends nothing to the vendor.',
	type: 'warning',
	location: 'ndv',
	displayCondition: '={{ $parameter["options"]["validateOnly"] === true }}',
	whenToDisplay: 'always',
};
