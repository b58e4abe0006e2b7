/**
 * The workflows of the real-n8n benchmark (test/bench/n8n.ts): a Code node that makes N customers
 * as a CRM export would, then the node under test — one of our three nodes (Auto-Map or every
 * field mapped with `{{ $json.… }}`), the HTTP Request node sending one customer per request
 * (what users build instead), or the Edit Fields (Set) node (the memory yardstick).
 */
import type { IDataObject } from 'n8n-workflow';

import { buildWorkflow, manualTrigger, noOp } from '../n8n/harness';
import type { NodeSpec, WorkflowInput } from '../n8n/harness';
import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../sandbox/vendors/nxcloud';
import { THULIUM_USER } from '../sandbox/vendors/thulium';

export type Vendor = 'thulium' | 'nxcloud' | 'dustess';
export type Mapping = 'auto' | 'mapped';
/** `export` = the CRM's own keys (for mapped fields); a vendor = that vendor's API keys (Auto-Map). */
export type Shape = 'export' | Vendor;

export const NODE_UNDER_TEST = 'Under Test';
export const CUSTOMERS = 'Customers';

/**
 * The Code node's JavaScript: N customers, each with the same six fields a CRM export has
 * (last and first name, email, phone, birthday, city), in the shape asked for. Deterministic;
 * every email and phone number is unique within a run.
 */
export function customersCode(count: number, shape: Shape): string {
	const shapes: Record<Shape, string> = {
		export: '({ row: i, lastName, firstName, email, phone, birthday, city })',
		thulium: '({ surname: lastName, name: firstName, email, phone_number: phone, birthdate: birthday, address: { city } })',
		nxcloud: '({ first_name: firstName, last_name: lastName, email, sms_phone: phone, birthday, country: city })',
		dustess: "({ remark: lastName, email, mobiles: [{ tel: phone, type: 'mobile' }], birthday, pool: 'pool-sales' })",
	};
	return `const FIRST = ['Anna', 'Jan', 'Ewa', 'Piotr', 'Zofia', 'Tomasz', 'Maria', 'Paweł'];
const LAST = ['Nowak', 'Kowalski', 'Wiśniewska', 'Wójcik', 'Kamiński', 'Lewandowska'];
const CITIES = ['Warszawa', 'Kraków', 'Łódź', 'Wrocław', 'Poznań', 'Gdańsk'];
const out = new Array(${count});
for (let i = 0; i < ${count}; i++) {
  const firstName = FIRST[i % 8], lastName = LAST[i % 6], city = CITIES[i % 5 + (i % 2)];
  const email = 'c' + i + '@example.com';
  const phone = '13' + String(i).padStart(9, '0');
  const birthday = (1950 + (i % 50)) + '-0' + (1 + (i % 9)) + '-1' + (i % 10);
  out[i] = { json: ${shapes[shape]} };
}
return out;`;
}

const expression = (path: string) => `={{ $json.${path} }}`;

/** Every field mapped by expression from the export shape, per vendor (the node's parameters). */
const MAPPED: Record<Vendor, IDataObject> = {
	thulium: {
		surname: expression('lastName'),
		additionalFields: {
			name: expression('firstName'),
			email: expression('email'),
			phone_number: expression('phone'),
			birthdate: expression('birthday'),
			address: { values: { city: expression('city') } },
		},
	},
	nxcloud: {
		first_name: expression('firstName'),
		last_name: expression('lastName'),
		additionalFields: {
			email: expression('email'),
			sms_phone: expression('phone'),
			birthday: expression('birthday'),
			country: expression('city'),
		},
	},
	dustess: {
		additionalFields: {
			remark: expression('lastName'),
			email: expression('email'),
			mobiles: { values: [{ tel: expression('phone'), type: 'mobile' }] },
			birthday: expression('birthday'),
			pool: 'pool-sales',
		},
	},
};

const NODE_TYPES: Record<Vendor, { name: string; credential: string }> = {
	thulium: { name: 'thuliumBatchCustomers', credential: 'thuliumApi' },
	nxcloud: { name: 'nxCloudBatchCustomers', credential: 'nxCloudApi' },
	dustess: { name: 'dustessBatchCustomers', credential: 'dustessApi' },
};

export const CREDENTIAL_IDS: Record<Vendor | 'peer', string> = {
	thulium: 'benchThulium01',
	nxcloud: 'benchNxCloud01',
	dustess: 'benchDustess01',
	peer: 'benchBasicAuth1',
};

export function credentials(sandboxUrl: string) {
	return [
		{ id: CREDENTIAL_IDS.thulium, name: 'Thulium bench', type: 'thuliumApi', data: { baseUrl: `${sandboxUrl}/thulium/api`, login: THULIUM_USER.login, password: THULIUM_USER.password } },
		{
			id: CREDENTIAL_IDS.nxcloud,
			name: 'NXCLOUD bench',
			type: 'nxCloudApi',
			data: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${sandboxUrl}/nxcloud` },
		},
		{ id: CREDENTIAL_IDS.dustess, name: 'Dustess bench', type: 'dustessApi', data: { baseUrl: `${sandboxUrl}/dustess`, clientId: DUSTESS_CLIENT.clientId, clientSecret: DUSTESS_CLIENT.clientSecret } },
		{ id: CREDENTIAL_IDS.peer, name: 'Thulium basic auth', type: 'httpBasicAuth', data: { user: THULIUM_USER.login, password: THULIUM_USER.password } },
	];
}

function workflow(id: string, name: string, count: number, shape: Shape, node: NodeSpec | undefined): WorkflowInput {
	const customers: NodeSpec = { name: CUSTOMERS, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: customersCode(count, shape) } };
	const last = node ?? noOp(NODE_UNDER_TEST);
	return buildWorkflow({
		id,
		name,
		nodes: [manualTrigger(), customers, last],
		edges: [
			['Start', CUSTOMERS],
			[CUSTOMERS, last.name],
		],
	});
}

/** One of our nodes. `nodeType` turns `thuliumBatchCustomers` into the installed type. */
export function ourNodeWorkflow(
	id: string,
	options: { vendor: Vendor; mapping: Mapping; concurrency: number; count: number; nodeType: (name: string) => string; extraOptions?: IDataObject },
): WorkflowInput {
	const { vendor, mapping, concurrency, count } = options;
	const type = NODE_TYPES[vendor];
	const vendorParameters: IDataObject =
		vendor === 'nxcloud' ? { edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mode: 1 } : {};
	const node: NodeSpec = {
		name: NODE_UNDER_TEST,
		type: options.nodeType(type.name),
		typeVersion: 1,
		parameters: {
			resource: 'customer',
			operation: 'create',
			...vendorParameters,
			mappingMode: mapping === 'auto' ? 'autoMapInputData' : 'defineBelow',
			...(mapping === 'mapped' ? MAPPED[vendor] : {}),
			options: { batchSize: 100, concurrency, ...options.extraOptions },
		},
		credentials: { [type.credential]: { id: CREDENTIAL_IDS[vendor], name: CREDENTIAL_IDS[vendor] } },
	};
	return workflow(id, `bench ${vendor} ${mapping} C${concurrency} ${count}`, count, mapping === 'auto' ? vendor : 'export', node);
}

/**
 * The HTTP Request node as users set it up for Thulium: one customer per request to
 * `batch/customers`, Basic auth. Without batching it starts every item's request at once;
 * `batching` = n8n's Batching option (this many items, then wait this long).
 */
export function peerWorkflow(id: string, options: { sandboxUrl: string; count: number; batching?: { size: number; intervalMs: number } }): WorkflowInput {
	const node: NodeSpec = {
		name: NODE_UNDER_TEST,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${options.sandboxUrl}/thulium/api/batch/customers`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpBasicAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ { customers: [$json] } }}',
			options: options.batching ? { batching: { batch: { batchSize: options.batching.size, batchInterval: options.batching.intervalMs } } } : {},
		},
		credentials: { httpBasicAuth: { id: CREDENTIAL_IDS.peer, name: CREDENTIAL_IDS.peer } },
	};
	const label = options.batching ? `batching ${options.batching.size}/${options.batching.intervalMs}ms` : 'all at once';
	return workflow(id, `bench peer ${label} ${options.count}`, options.count, 'thulium', node);
}

/** Edit Fields (Set) mapping the same six Thulium fields by expression from the same items. */
export function setWorkflow(id: string, count: number): WorkflowInput {
	const fields: Record<string, string> = {
		surname: expression('surname'),
		name: expression('name'),
		email: expression('email'),
		phone_number: expression('phone_number'),
		birthdate: expression('birthdate'),
		city: expression('address.city'),
	};
	const node: NodeSpec = {
		name: NODE_UNDER_TEST,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			mode: 'manual',
			assignments: { assignments: Object.entries(fields).map(([name, value], index) => ({ id: `a${index}`, name, value, type: 'string' })) },
			includeOtherFields: true,
			options: {},
		},
	};
	return workflow(id, `bench set ${count}`, count, 'thulium', node);
}

/** Start → Customers → No-Op: what every run costs besides the node under test. */
export function fixedCostWorkflow(id: string, count: number, shape: Shape = 'thulium'): WorkflowInput {
	return workflow(id, `bench fixed ${shape} ${count}`, count, shape, undefined);
}
