import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { secretRedactor } from '../../shared/engine/redactSecrets';
import { readRequestParameter } from '../../shared/engine/requestParameters';
import { NXCLOUD_MISSING_APP_KEY, NXCLOUD_PATHS, NXCLOUD_TENANT_ID, nxCloudAppKey, nxCloudBaseUrl, nxCloudOperations } from '../adapter';

/** The list of fields in the answer; its exact place is not published, so the usual ones are tried. */
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

/**
 * The tenant's custom fields (`customize_…` keys) from the signed `GET customers/fields`. The
 * request carries the app key in its URL and a signature in its headers, and an error of the HTTP
 * helper or NXCLOUD's message may quote them: every message is masked before it is shown or logged.
 */
export async function getCustomFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const credentials = await this.getCredentials('nxCloudApi');
	const redact = secretRedactor(nxCloudOperations.sea.credentialSecrets(credentials), () => []);
	const tenant = readRequestParameter(this.getCurrentNodeParameter(NXCLOUD_TENANT_ID.name), NXCLOUD_TENANT_ID);
	if (!tenant.ok) throw new NodeOperationError(this.getNode(), `${tenant.message}: enter your tenant's ID in NXCLOUD to list its custom fields`);
	const appKey = nxCloudAppKey(credentials);
	if (appKey === '') throw new NodeOperationError(this.getNode(), NXCLOUD_MISSING_APP_KEY);

	let response: IDataObject;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, 'nxCloudApi', {
			method: 'GET',
			url: `${nxCloudBaseUrl(credentials)}${NXCLOUD_PATHS.fields}`,
			qs: { tenant_id: tenant.value as number, app_key: appKey },
			json: true,
		})) as IDataObject;
	} catch (error) {
		// Only the masked message and description go on: the error itself holds the request.
		const { message, description } = error as { message?: unknown; description?: unknown };
		throw new NodeOperationError(this.getNode(), `NXCLOUD did not list the fields: ${redact(String(message))}`, {
			description: typeof description === 'string' ? redact(description) : undefined,
		});
	}
	if (Number(response?.code) !== 0) {
		const said = response?.message ? `: ${String(response.message)}` : '';
		throw new NodeOperationError(this.getNode(), redact(`NXCLOUD did not list the fields (code ${String(response?.code)}${said})`));
	}
	const options: INodePropertyOptions[] = [];
	for (const entry of fieldEntries(response.data)) {
		const key = String(entry.field_key ?? entry.key ?? entry.field ?? '');
		if (!key.startsWith('customize_')) continue;
		const label = String(entry.field_name ?? entry.name ?? entry.label ?? key);
		options.push({ name: label === key ? key : `${label} (${key})`, value: key, description: entry.type ? `Type: ${String(entry.type)}` : undefined });
	}
	return options.sort((a, b) => a.name.localeCompare(b.name));
}
