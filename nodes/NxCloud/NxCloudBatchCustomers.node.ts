import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { batchOptionsProperty, validateOnlyHint } from '../shared/engine/batchOptions';
import { customerResourceProperty } from '../shared/engine/customerResource';
import { runBatchOperation } from '../shared/engine/runBatchOperation';
import { toolDescriptionProperty } from '../shared/engine/toolDescription';
import { mappingModeProperty, toProperties } from '../shared/schema/toProperties';
import type { NxCloudEdition } from './adapter';
import { NXCLOUD_MAX_BATCH, NXCLOUD_MODE, NXCLOUD_STRICT_BINDING, NXCLOUD_TENANT_ID, nxCloudOperationFor } from './adapter';
import { seaSchema, standardSchema } from './fields';
import { getCustomFields } from './methods/loadOptions';

export class NxCloudBatchCustomers implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'NXCLOUD Batch Create Customers',
		name: 'nxCloudBatchCustomers',
		icon: { light: 'file:nxcloud.svg', dark: 'file:nxcloud.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["edition"] === "standard" ? "Create customers (Standard)" : "Create customers (SEA)"}}',
		description: 'Create many NXCLOUD (nxlink.ai) CDP customers per request, with a Success and a Failure output',
		defaults: { name: 'NXCLOUD Batch Create Customers' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Failure'],
		hints: [validateOnlyHint],
		credentials: [{ name: 'nxCloudApi', required: true }],
		properties: [
			customerResourceProperty,
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['customer'] } },
				options: [
					{
						name: 'Create Many',
						value: 'create',
						description: 'Create customers, up to 100 per request (customers/batch_create)',
						action: 'Create many customers',
					},
				],
				default: 'create',
			},
			{
				displayName: 'Edition',
				name: 'edition',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'SEA',
						value: 'sea',
						description: 'POST /saas/sea/cdp/openapi/customers/batch_create: first and last name required',
					},
					{
						name: 'Standard',
						value: 'standard',
						description:
							'POST /saas/cdp/openapi/customers/batch_create: full name required, digits-only phones, Viber, Messenger, Instagram, Zalo and LINE',
					},
				],
				default: 'sea',
				description: 'Which customer API your NXCLOUD account uses. The fields differ between the two.',
			},
			toolDescriptionProperty({
				operation: 'create',
				does: 'Creates one customer in NXCLOUD',
				needs: "Needs the customer's first name and last name; phone numbers, email, country and the other fields are optional.",
				// NXCLOUD answers with no customer ID, only a trace ID for the request [doc].
				answerCarries: '"traceId": "<NXCLOUD\'s reference for the request>"',
				show: { edition: ['sea'] },
			}),
			toolDescriptionProperty({
				operation: 'create',
				does: 'Creates one customer in NXCLOUD',
				needs: "Needs the customer's full name; phone numbers are digits only; first and last name, email, country and the other fields are optional.",
				answerCarries: '"traceId": "<NXCLOUD\'s reference for the request>"',
				show: { edition: ['standard'] },
			}),
			{
				displayName: NXCLOUD_TENANT_ID.label,
				name: NXCLOUD_TENANT_ID.name,
				// Text, so that an expression may give it; a fixed value that is no number shows as an
				// issue in the panel. The node still reads and checks it for every item when it runs.
				type: 'string',
				validateType: 'number',
				ignoreValidationDuringExecution: true,
				required: true,
				default: '',
				placeholder: NXCLOUD_TENANT_ID.placeholder,
				description: NXCLOUD_TENANT_ID.description,
			},
			{
				displayName: NXCLOUD_MODE.label,
				name: NXCLOUD_MODE.name,
				type: 'options',
				options: (NXCLOUD_MODE.options ?? []).map(({ name, value, description }) => ({ name, value, description })),
				// An expression may give the name (Keep Existing Data, keep), which the node reads.
				allowArbitraryValues: true,
				default: 1,
				description: NXCLOUD_MODE.description,
			},
			{
				displayName: NXCLOUD_STRICT_BINDING.label,
				name: NXCLOUD_STRICT_BINDING.name,
				type: 'boolean',
				default: false,
				displayOptions: { show: { edition: ['standard'] } },
				description: NXCLOUD_STRICT_BINDING.description,
			},
			mappingModeProperty(),
			...toProperties(seaSchema, { edition: ['sea'] }),
			...toProperties(standardSchema, { edition: ['standard'] }),
			batchOptionsProperty(NXCLOUD_MAX_BATCH),
		],
	};

	methods = { loadOptions: { getCustomFields } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const edition = this.getNodeParameter('edition', 0, 'sea') as NxCloudEdition;
		// Only the region is needed here; a credential that cannot be read is reported by the engine.
		const credentials = await this.getCredentials('nxCloudApi').catch(() => ({}));
		return await runBatchOperation.call(this, nxCloudOperationFor(edition, credentials));
	}
}
