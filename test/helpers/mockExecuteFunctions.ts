import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';

export type HttpHandler = (credentialType: string, options: IHttpRequestOptions) => Promise<unknown>;

export interface MockOptions {
	items: INodeExecutionData[] | IDataObject[];
	/** Node parameters; a function value is called with the item index (an expression). */
	parameters?: Record<string, unknown>;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Credential classes whose `authenticate` is applied to each request (as n8n does). */
	credentialTypes?: Record<string, ICredentialType>;
	continueOnFail?: boolean;
	/** Replaces the real HTTP call (default: fetch against the URL, e.g. the sandbox). */
	http?: HttpHandler;
}

export interface RecordedCall {
	credentialType: string;
	options: IHttpRequestOptions;
}

function resolveExpression(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('={{')) return value;
	const match = /^=\{\{\s*\$credentials\??\.(\w+)\s*\}\}$/.exec(value);
	if (!match) throw new Error(`mock cannot resolve expression ${value}`);
	return credentials[match[1]];
}

async function authenticate(
	credentialType: ICredentialType | undefined,
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const auth = credentialType?.authenticate;
	if (!auth) return options;
	if (typeof auth === 'function') return await auth(credentials, { ...options });
	const result: IHttpRequestOptions = { ...options, headers: { ...options.headers }, qs: { ...options.qs } };
	const properties = auth.properties;
	for (const [key, value] of Object.entries(properties.headers ?? {})) result.headers![key] = resolveExpression(value, credentials) as string;
	for (const [key, value] of Object.entries(properties.qs ?? {})) result.qs![key] = resolveExpression(value, credentials) as string;
	if (properties.auth) {
		result.auth = {
			username: resolveExpression(properties.auth.username, credentials) as string,
			password: resolveExpression(properties.auth.password, credentials) as string,
		};
	}
	return result;
}

/** Performs a request the way n8n's httpRequest does for the options our engine uses. */
export async function fetchRequest(options: IHttpRequestOptions): Promise<unknown> {
	const url = new URL(options.url);
	for (const [key, value] of Object.entries(options.qs ?? {})) {
		if (value !== undefined) url.searchParams.set(key, String(value));
	}
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(options.headers ?? {})) headers[key] = String(value);
	if (options.auth) {
		headers.Authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
	}
	const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
	let response: Response;
	try {
		response = await fetch(url, {
			method: options.method ?? 'GET',
			headers,
			body: options.method === 'GET' ? undefined : body,
			signal: AbortSignal.timeout(options.timeout ?? 30000),
		});
	} catch (error) {
		const cause = (error as { cause?: { code?: string } }).cause;
		const wrapped = new Error((error as Error).message) as Error & { code?: string; cause?: unknown };
		wrapped.code = (error as Error).name === 'TimeoutError' ? 'ETIMEDOUT' : cause?.code;
		wrapped.cause = cause;
		throw wrapped;
	}
	let text: string;
	try {
		text = await response.text();
	} catch (error) {
		throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', cause: error });
	}
	let parsed: unknown = text;
	try {
		parsed = text ? JSON.parse(text) : '';
	} catch {
		parsed = text;
	}
	if (!options.ignoreHttpStatusErrors && response.status >= 400) {
		throw Object.assign(new Error(`Request failed with status code ${response.status}`), { response: { status: response.status, data: parsed } });
	}
	const responseHeaders: Record<string, string> = {};
	response.headers.forEach((value, key) => (responseHeaders[key] = value));
	return options.returnFullResponse ? { statusCode: response.status, headers: responseHeaders, body: parsed } : parsed;
}

/** A stand-in for n8n's IExecuteFunctions with just what our nodes use. */
export function mockExecuteFunctions(mock: MockOptions): IExecuteFunctions & { calls: RecordedCall[] } {
	const items: INodeExecutionData[] = (mock.items as Array<INodeExecutionData | IDataObject>).map((item) =>
		'json' in item && typeof item.json === 'object' ? (item as INodeExecutionData) : { json: item as IDataObject },
	);
	const calls: RecordedCall[] = [];
	const parameters = mock.parameters ?? {};
	const credentials = mock.credentials ?? {};
	const node = { id: 'test', name: 'Batch Create Customers', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };

	const self = {
		calls,
		getInputData: () => items,
		getNode: () => node,
		continueOnFail: () => mock.continueOnFail ?? false,
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown) {
			const value = parameters[name];
			if (value === undefined) return fallback;
			return typeof value === 'function' ? (value as (index: number) => unknown)(itemIndex) : value;
		},
		async getCredentials(type: string) {
			if (!credentials[type]) throw new Error(`no credentials of type ${type}`);
			return credentials[type];
		},
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {
			async httpRequestWithAuthentication(this: unknown, credentialType: string, options: IHttpRequestOptions) {
				calls.push({ credentialType, options });
				const authenticated = await authenticate(mock.credentialTypes?.[credentialType], credentials[credentialType] ?? {}, options);
				return mock.http ? await mock.http(credentialType, authenticated) : await fetchRequest(authenticated);
			},
			async httpRequest(options: IHttpRequestOptions) {
				return mock.http ? await mock.http('', options) : await fetchRequest(options);
			},
		},
	};
	return self as unknown as IExecuteFunctions & { calls: RecordedCall[] };
}
