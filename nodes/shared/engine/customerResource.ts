import type { INodeProperties } from 'n8n-workflow';

/** Every node's single resource: the operations of a Batch Create Customers node act on customers. */
export const customerResourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'Customer', value: 'customer' }],
	default: 'customer',
};
