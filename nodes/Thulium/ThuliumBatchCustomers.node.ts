import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { batchOptionsProperty, validateOnlyHint } from '../shared/engine/batchOptions';
import { customerResourceProperty } from '../shared/engine/customerResource';
import { runBatchOperation } from '../shared/engine/runBatchOperation';
import { toolDescriptionProperty } from '../shared/engine/toolDescription';
import { mappingModeProperty, toProperties } from '../shared/schema/toProperties';
import { THULIUM_MAX_BATCH, thuliumOperations } from './adapter';

export class ThuliumBatchCustomers implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Thulium Batch Create Customers',
		name: 'thuliumBatchCustomers',
		icon: { light: 'file:thulium.svg', dark: 'file:thulium.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "update" ? "Update customers" : "Create customers"}}',
		description: 'Create or update many Thulium customers per request, with a Success and a Failure output',
		defaults: { name: 'Thulium Batch Create Customers' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Failure'],
		hints: [validateOnlyHint],
		credentials: [{ name: 'thuliumApi', required: true }],
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
						description: 'Create customers, up to 100 per request (POST batch/customers)',
						action: 'Create many customers',
					},
					{
						name: 'Update Many',
						value: 'update',
						description: 'Update existing customers by customer ID (PUT batch/customers)',
						action: 'Update many customers',
					},
				],
				default: 'create',
			},
			toolDescriptionProperty({
				operation: 'create',
				does: 'Creates one customer in Thulium',
				needs: "Needs at least the customer's surname; a first name, email addresses, phone numbers, an address and the other fields are optional.",
				answerCarries: '"id": "<the Thulium customer ID>"',
				show: { operation: ['create'] },
			}),
			toolDescriptionProperty({
				operation: 'update',
				does: 'Updates one existing Thulium customer',
				needs: 'Needs the Thulium customer ID (digits) of the customer to update, and the fields to change.',
				answerCarries: '"id": "<the Thulium customer ID>"',
				show: { operation: ['update'] },
			}),
			mappingModeProperty(),
			...toProperties(thuliumOperations.create.schema, { operation: ['create'] }),
			...toProperties(thuliumOperations.update.schema, { operation: ['update'] }),
			batchOptionsProperty(THULIUM_MAX_BATCH),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as keyof typeof thuliumOperations;
		return await runBatchOperation.call(this, thuliumOperations[operation]);
	}
}
