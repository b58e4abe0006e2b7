import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { NXCLOUD_PARAMETERS, NXCLOUD_PATHS, nxCloudBaseUrl, tenantIdOf } from '../adapter';

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

/** The tenant's custom fields (`customize_…` keys) from the signed `GET customers/fields`. */
export async function getCustomFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const credentials = await this.getCredentials('nxCloudApi');
	const tenantId = tenantIdOf(this.getCurrentNodeParameter(NXCLOUD_PARAMETERS.tenantId));
	if (tenantId === undefined) {
		throw new NodeOperationError(this.getNode(), "Enter the Tenant ID (a whole number, the tenant's ID in NXCLOUD) to list its custom fields");
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
}
