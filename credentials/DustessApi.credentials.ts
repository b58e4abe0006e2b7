import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/** The token endpoint [code]. */
const GRANT_PATH = '/auth/v1/access_token/token';

function isTokenRequest(options: IHttpRequestOptions): boolean {
	const path = String(options.url ?? '').split(/[?#]/)[0].replace(/\/+$/, '');
	return path.endsWith(GRANT_PATH);
}

/**
 * Dustess (尘锋 SCRM) open API: a client ID and secret are exchanged for an access token, which
 * every call carries as the `accessToken` query parameter. The nodes fetch and cache the token
 * themselves (see nodes/Dustess/accessToken.ts); this credential only answers the token request.
 */
export class DustessApi implements ICredentialType {
	name = 'dustessApi';

	displayName = 'Dustess API';

	icon: Icon = { light: 'file:dustess.svg', dark: 'file:dustess.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-customer-batch/n8n-nodes-customer-batch/blob/main/docs/dustess.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The client ID of your Dustess open-API application',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The client secret of your Dustess open-API application',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://qw-openapi-tx.dustess.com',
			description: 'The Dustess open-API address. Change it only for another Dustess region or a proxy.',
		},
	];

	/**
	 * The client ID and secret go into the body of the token request, and nowhere else: every
	 * other call is authorised by the token the node puts into its URL.
	 */
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		// A batch's body is the engine's JSON bytes: never a token request's, whatever its URL looks like.
		if (!isTokenRequest(requestOptions) || Buffer.isBuffer(requestOptions.body)) return requestOptions;
		const body = typeof requestOptions.body === 'object' && requestOptions.body !== null ? (requestOptions.body as IDataObject) : {};
		return {
			...requestOptions,
			body: { ...body, clientId: credentials.clientId, clientSecret: credentials.clientSecret },
		};
	};

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			baseURL: '={{$credentials.baseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://qw-openapi-tx.dustess.com"}}',
			url: GRANT_PATH,
			headers: { 'Content-Type': 'application/json' },
			body: {},
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'success', value: false, message: 'Dustess refused the client ID or secret' },
			},
		],
	};
}
