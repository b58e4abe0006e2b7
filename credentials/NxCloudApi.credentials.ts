import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { signRequest } from '../nodes/NxCloud/sign';

export class NxCloudApi implements ICredentialType {
	name = 'nxCloudApi';

	displayName = 'NXCLOUD API';

	icon: Icon = { light: 'file:nxcloud.svg', dark: 'file:nxcloud.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-customer-batch/n8n-nodes-customer-batch/blob/main/docs/nxcloud.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Key',
			name: 'accessKey',
			type: 'string',
			default: '',
			required: true,
			description: 'The access key (user identity key) from the NXCLOUD console',
		},
		{
			displayName: 'Access Secret',
			name: 'accessSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The access secret that signs each request. It is never sent.',
		},
		{
			displayName: 'App Key',
			// Named so that n8n's lint rules, too, see a secret here (a plain `appKey` reads as public).
			name: 'appSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "Your tenant's app key for the CDP API, sent as app_key with each request",
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'Hong Kong', value: 'https://api-hk.nxlink.ai', description: 'https://api-hk.nxlink.ai' },
				{ name: 'Americas', value: 'https://chl-api.nxlink.ai', description: 'https://chl-api.nxlink.ai' },
				{ name: 'Indonesia', value: 'https://api-idn.nxlink.ai', description: 'https://api-idn.nxlink.ai' },
				{ name: 'Custom Base URL', value: 'custom', description: 'Another gateway or a proxy' },
			],
			default: 'https://api-hk.nxlink.ai',
			description: 'The API gateway of the region your NXCLOUD account is in',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.nxcloud.com',
			description: 'Full API base URL, without a path (e.g. the legacy https://api.nxcloud.com)',
			displayOptions: { show: { region: ['custom'] } },
		},
	];

	authenticate = signRequest;

	/**
	 * A signed `GET customers/fields` without tenant ID and app key (the Tenant ID is a node
	 * parameter, so the pair cannot be checked here): NXCLOUD checks the headers, key and
	 * signature first, so 1001/1003/1004/1005 mean the credential is wrong, while a parameter
	 * error (1002) proves key and signature were accepted.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.region === "custom" ? String($credentials.baseUrl).trim().replace(/\\/+$/, "") : $credentials.region}}',
			url: '/saas/cdp/openapi/customers/fields',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 1003, message: 'Invalid signature (NXCLOUD code 1003): check the access secret' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 1005, message: 'Access key refused (NXCLOUD code 1005): check the access key and its permissions' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 1001, message: 'A required header is missing (NXCLOUD code 1001): fill in the access key and access secret' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 1004, message: 'Timestamp refused (NXCLOUD code 1004): the clock of the n8n server is more than 60 s off' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: undefined, message: 'The address did not answer like the NXCLOUD API: check the region or base URL' },
			},
		],
	};
}
