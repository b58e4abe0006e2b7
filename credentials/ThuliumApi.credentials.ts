import type { IAuthenticate, ICredentialDataDecryptedObject, Icon, ICredentialTestRequest, ICredentialType, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

export class ThuliumApi implements ICredentialType {
	name = 'thuliumApi';

	displayName = 'Thulium API';

	icon: Icon = { light: 'file:thulium.svg', dark: 'file:thulium.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-customer-batch/n8n-nodes-customer-batch/blob/main/docs/thulium.md';

	properties: INodeProperties[] = [
		{
			displayName: 'System Name',
			name: 'systemName',
			type: 'string',
			default: '',
			placeholder: 'your-system-name',
			description: 'The sub-domain of your Thulium system: the API is at https://{system name}.thulium.com/api',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://your-system-name.thulium.com/api',
			description: 'Full API base URL. Overrides the system name when set (e.g. for https://api.thulium.com/api or a proxy).',
		},
		{
			displayName: 'API User Login',
			name: 'login',
			type: 'string',
			default: '',
			description: 'Login of an API user (Administration → Users → API Users) allowed to use batch/customers',
		},
		{
			displayName: 'API User Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	];

	/**
	 * HTTP Basic auth with the API user's login and password. A function rather than n8n's generic
	 * form: n8n evaluates a generic form's two expressions anew for every request, which costs
	 * more than a batch's own work here (docs/benchmarks-profile.md).
	 */
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		auth: { username: String(credentials.login ?? ''), password: String(credentials.password ?? '') },
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.baseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://" + $credentials.systemName + ".thulium.com/api"}}',
			url: '/customers',
			qs: { limit: 1 },
		},
	};
}
