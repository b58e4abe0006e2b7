import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { batchOptionsProperty, validateOnlyHint } from '../shared/engine/batchOptions';
import { customerResourceProperty } from '../shared/engine/customerResource';
import { runBatchOperation } from '../shared/engine/runBatchOperation';
import { toolDescriptionProperty } from '../shared/engine/toolDescription';
import { mappingModeProperty, toProperties } from '../shared/schema/toProperties';
import { DUSTESS_DEFAULT_BATCH, DUSTESS_MAX_BATCH, dustessOperations } from './adapter';

export class DustessBatchCustomers implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dustess Batch Create Customers',
		name: 'dustessBatchCustomers',
		icon: { light: 'file:dustess.svg', dark: 'file:dustess.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "update" ? "Update customers" : "Create customers"}}',
		description: 'Create or update many Dustess SCRM customers (contacts) per request, with a Success and a Failure output',
		defaults: { name: 'Dustess Batch Create Customers' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Failure'],
		hints: [validateOnlyHint],
		credentials: [{ name: 'dustessApi', required: true }],
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
						description: 'Create contacts, each with an owner or a pool (batchAddCustomer)',
						action: 'Create many customers',
					},
					{
						name: 'Update Many',
						value: 'update',
						description: 'Update existing contacts found by contact ID or external ID (batchEditCustomer)',
						action: 'Update many customers',
					},
				],
				default: 'create',
			},
			toolDescriptionProperty({
				operation: 'create',
				does: 'Creates one contact in Dustess SCRM',
				needs:
					"Needs an owner (a staff ID) or a pool ID, and the contact's mobile number or another contact method, by which Dustess recognises a contact it already has; the name, email, company and the other fields are optional.",
				answerCarries: '"id": "<the Dustess contact ID>"',
				show: { operation: ['create'] },
			}),
			toolDescriptionProperty({
				operation: 'update',
				does: 'Updates one existing Dustess contact',
				needs: 'Needs the Dustess contact ID, or your own external contact ID, of the contact to update, and the fields to change.',
				answerCarries: '"id": "<the Dustess contact ID>"',
				show: { operation: ['update'] },
			}),
			mappingModeProperty(),
			...toProperties(dustessOperations.create.schema, { operation: ['create'] }),
			...toProperties(dustessOperations.update.schema, { operation: ['update'] }),
			batchOptionsProperty(DUSTESS_MAX_BATCH, DUSTESS_DEFAULT_BATCH),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as keyof typeof dustessOperations;
		return await runBatchOperation.call(this, dustessOperations[operation]);
	}
}
