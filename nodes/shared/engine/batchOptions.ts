import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export interface BatchOptions {
	batchSize: number;
	concurrency: number;
	maxRetries: number;
	timeout: number;
	resendUnknownOutcomes: boolean;
	rejectUnknownFields: boolean;
	validateOnly: boolean;
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
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 3,
				description:
					'How often to resend a batch the vendor did not take (rate limit 429, 502, 503, 504, no connection). Waits as long as Retry-After says, otherwise backs off exponentially.',
			},
			{
				displayName: 'Reject Unknown Fields',
				name: 'rejectUnknownFields',
				type: 'boolean',
				default: false,
				description:
					'Whether an input field that is not a field of the vendor API fails the item (Auto-Map mode). Off: such fields are ignored.',
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
					'Whether to resend a batch whose request may already have been stored (a timeout, a dropped connection, a 500 error). This can create duplicates; off, such customers go to Failure marked retriable.',
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
		maxRetries: whole(options.maxRetries, 3, 0, 10),
		timeout: whole(options.timeout, 30000, 1000, 600000),
		resendUnknownOutcomes: options.resendUnknownOutcomes === true,
		rejectUnknownFields: options.rejectUnknownFields === true,
		validateOnly: options.validateOnly === true,
	};
}
