import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { batchOptionsProperty } from '../shared/engine/batchOptions';
import { runBatchOperation } from '../shared/engine/runBatchOperation';
import { ADDITIONAL_FIELDS, KEY_VALUE_GROUP, mappingModeProperty, toProperties } from '../shared/schema/toProperties';
import type { NxCloudEdition } from './adapter';
import { NXCLOUD_MAX_BATCH, NXCLOUD_PARAMETERS, NXCLOUD_PATHS, nxCloudBaseUrl, nxCloudOperationFor, tenantIdOf } from './adapter';
import { seaSchema, standardSchema } from './fields';

const CUSTOM_FIELD = 'customize_field';

/** Lets the user pick the keys of Custom Fields from the tenant's field list. */
function withCustomFieldPicker(properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => {
		if (property.name !== ADDITIONAL_FIELDS) return property;
		const options = (property.options as INodeProperties[]).map((option) => {
			if (option.name !== CUSTOM_FIELD) return option;
			const groups = (option.options as INodePropertyCollection[]).map((group) => {
				if (group.name !== KEY_VALUE_GROUP) return group;
				const values = group.values.map((value) =>
					value.name !== 'name'
						? value
						: {
								...value,
								displayName: 'Field Name or ID',
								type: 'options' as const,
								typeOptions: {
									loadOptionsMethod: 'getCustomFields',
									loadOptionsDependsOn: [NXCLOUD_PARAMETERS.tenantId, NXCLOUD_PARAMETERS.appKey],
								},
								description:
									'Custom field of the tenant. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
							},
				);
				return { ...group, values };
			});
			return { ...option, options: groups };
		});
		return { ...property, options };
	});
}

function fieldEntries(data: unknown): IDataObject[] {
	if (Array.isArray(data)) return data as IDataObject[];
	if (typeof data === 'object' && data !== null) {
		for (const key of ['list', 'fields', 'records', 'items']) {
			const value = (data as IDataObject)[key];
			if (Array.isArray(value)) return value as IDataObject[];
		}
	}
	return [];
}

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
		credentials: [{ name: 'nxCloudApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Customer', value: 'customer' }],
				default: 'customer',
			},
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
			{
				displayName: 'Tenant ID',
				name: NXCLOUD_PARAMETERS.tenantId,
				type: 'string',
				required: true,
				default: '',
				placeholder: '123',
				description: 'Your tenant ID in NXCLOUD (a whole number)',
			},
			{
				displayName: 'App Key',
				name: NXCLOUD_PARAMETERS.appKey,
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				description: "The tenant's app key for the CDP API",
			},
			{
				displayName: 'Mode',
				name: NXCLOUD_PARAMETERS.mode,
				type: 'options',
				options: [
					{
						name: 'Replace Existing Data',
						value: 0,
						description: "A customer that already exists gets the data you send instead of what it had (NXCLOUD's type 0)",
					},
					{
						name: 'Merge With Existing Data',
						value: 1,
						description: "A customer that already exists keeps its data; the fields you send update or add to it (NXCLOUD's type 1)",
					},
					{
						name: 'Keep Existing Data',
						value: 2,
						description: "A customer that already exists is left as it is and what you send for it is dropped; new customers are added (NXCLOUD's type 2)",
					},
				],
				default: 1,
				description: 'What NXCLOUD does when a customer you send already exists. New customers are created in every mode.',
			},
			{
				displayName: 'Strict Binding',
				name: NXCLOUD_PARAMETERS.strictBinding,
				type: 'boolean',
				default: false,
				displayOptions: { show: { edition: ['standard'] } },
				description: 'Whether to bind each customer to exactly one seat (strict customer-seat binding)',
			},
			mappingModeProperty(),
			...withCustomFieldPicker(toProperties(seaSchema, { edition: ['sea'] })),
			...withCustomFieldPicker(toProperties(standardSchema, { edition: ['standard'] })),
			batchOptionsProperty(NXCLOUD_MAX_BATCH),
		],
	};

	methods = {
		loadOptions: {
			/** The tenant's custom fields (`customize_…` keys) from the signed `GET customers/fields`. */
			async getCustomFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const credentials = await this.getCredentials('nxCloudApi');
				let tenantId: number;
				try {
					tenantId = tenantIdOf(this.getCurrentNodeParameter(NXCLOUD_PARAMETERS.tenantId));
				} catch (error) {
					throw new NodeOperationError(this.getNode(), (error as Error).message);
				}
				const appKey = String(this.getCurrentNodeParameter(NXCLOUD_PARAMETERS.appKey) ?? '').trim();
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'nxCloudApi', {
					method: 'GET',
					url: `${nxCloudBaseUrl(credentials)}${NXCLOUD_PATHS.fields}`,
					qs: { tenant_id: tenantId, app_key: appKey },
					json: true,
				})) as IDataObject;
				if (Number(response?.code) !== 0) {
					throw new NodeOperationError(
						this.getNode(),
						`NXCLOUD did not list the fields (code ${String(response?.code)}${response?.message ? `: ${String(response.message)}` : ''})`,
					);
				}
				const options: INodePropertyOptions[] = [];
				for (const entry of fieldEntries(response.data)) {
					const key = String(entry.field_key ?? entry.key ?? entry.field ?? '');
					if (!key.startsWith('customize_')) continue;
					const label = String(entry.field_name ?? entry.name ?? entry.label ?? key);
					options.push({ name: label === key ? key : `${label} (${key})`, value: key, description: entry.type ? `Type: ${String(entry.type)}` : undefined });
				}
				return options.sort((a, b) => a.name.localeCompare(b.name));
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const edition = this.getNodeParameter('edition', 0, 'sea') as NxCloudEdition;
		const credentials = await this.getCredentials('nxCloudApi');
		return await runBatchOperation.call(this, nxCloudOperationFor(edition, credentials));
	}
}
