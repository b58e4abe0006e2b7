/**
 * What `npm start` puts into a new n8n: one credential per vendor pointing at the vendor sandbox,
 * and one demo workflow per vendor — Start → Customers from CRM (a Code node, see customers.ts)
 * → the vendor node (fields mapped with expressions) → "Created" on Success and "Why It Failed"
 * on Failure. The same definitions serve the browser test and test/demo/demo.n8n.test.ts.
 *
 * The workflows name node types as n8n names an installed community package:
 * `n8n-nodes-customer-batch.<node name>`.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../sandbox/vendors/nxcloud';
import { THULIUM_USER } from '../sandbox/vendors/thulium';
import { DEMO_CUSTOMER_COUNT, customersCode } from './customers';
import type { DemoVendor } from './customers';

const PACKAGE_NAME = 'n8n-nodes-customer-batch';

type Parameters = IDataObject;

/** A credential as `n8n import:credentials` takes it: plain data, encrypted by the import. */
export interface DemoCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, string>;
}

export type DemoNode = {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Parameters;
	credentials?: Record<string, { id: string; name: string }>;
	/** For a trigger that listens on a URL (a webhook, the MCP Server Trigger). */
	webhookId?: string;
};

/** A workflow as `n8n import:workflow` takes it. */
export type DemoWorkflow = {
	id: string;
	name: string;
	active: false;
	nodes: DemoNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings: { executionOrder: 'v1' };
	pinData: Record<string, never>;
};

/** Everything the browser test and the docs need to know about one demo. */
export interface Demo {
	vendor: DemoVendor;
	/** As the vendor calls itself in the node's name. */
	label: string;
	workflow: DemoWorkflow;
	credential: DemoCredential;
	/** The name of the vendor node in the workflow. */
	vendorNode: string;
	/** The vendor node's required parameters: name and the label its panel shows. */
	requiredFields: Field[];
	/** A notice the panel shows instead of a required field (Dustess: "an owner or a pool"). */
	notice?: string;
	/** A fixed collection (a nested group) set in the panel's Additional Fields. */
	nestedCollection: Field;
	/** Options set in the panel's Options. */
	options: Field[];
}

export interface Field {
	name: string;
	label: string;
}

export const SUCCESS_NODE = 'Created';
export const FAILURE_NODE = 'Why It Failed';
export const CUSTOMERS_NODE = 'Customers from CRM';
export const TRIGGER_NODE = 'Start';

/** A Set node (3.4, in n8n 1.x and 2.x) keeping just the named fields. */
export function setNode(name: string, position: [number, number], fields: Record<string, string>): DemoNode {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position,
		parameters: {
			mode: 'manual',
			assignments: {
				assignments: Object.entries(fields).map(([field, value]) => ({ id: randomUUID(), name: field, value, type: 'string' })),
			},
			includeOtherFields: false,
			options: {},
		},
	};
}

function demoWorkflow(options: {
	id: string;
	vendor: DemoVendor;
	label: string;
	vendorNode: DemoNode;
	note: string;
	created: Record<string, string>;
}): DemoWorkflow {
	const { vendorNode } = options;
	const nodes: DemoNode[] = [
		{
			id: randomUUID(),
			name: 'About This Demo',
			type: 'n8n-nodes-base.stickyNote',
			typeVersion: 1,
			position: [-40, -300],
			parameters: { content: options.note, width: 1060, height: 200, color: 7 },
		},
		{ id: randomUUID(), name: TRIGGER_NODE, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 100], parameters: {} },
		{
			id: randomUUID(),
			name: CUSTOMERS_NODE,
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [240, 100],
			parameters: { jsCode: customersCode(options.vendor) },
		},
		vendorNode,
		setNode(SUCCESS_NODE, [760, 0], options.created),
		setNode(FAILURE_NODE, [760, 200], {
			crmId: '={{ $json.crmId }}',
			code: '={{ $json.error.code }}',
			message: '={{ $json.error.message }}',
			// A vendor that names no field leaves it out of the error: shown as an empty cell, never null.
			field: "={{ $json.error.field ?? '' }}",
			nextStep: '={{ $json.error.nextStep }}',
			plantedMistake: '={{ $json.plantedMistake }}',
		}),
	];
	const link = (node: string) => [{ node, type: 'main' as const, index: 0 }];
	return {
		id: options.id,
		name: `Demo: ${options.label} — ${DEMO_CUSTOMER_COUNT} customers from a CRM export`,
		active: false,
		nodes,
		connections: {
			[TRIGGER_NODE]: { main: [link(CUSTOMERS_NODE)] },
			[CUSTOMERS_NODE]: { main: [link(vendorNode.name)] },
			[vendorNode.name]: { main: [link(SUCCESS_NODE), link(FAILURE_NODE)] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

function note(label: string, sending: string, ownAccount: string): string {
	return [
		`## ${label} demo`,
		`**${CUSTOMERS_NODE}** makes ${DEMO_CUSTOMER_COUNT} customers as a CRM export would; a few carry a mistake, named in \`plantedMistake\`.`,
		`**${label}** ${sending} to the vendor sandbox that \`npm start\` runs (credential *${label} sandbox*) and routes every row: **Success** → *${SUCCESS_NODE}*, **Failure** → *${FAILURE_NODE}*.`,
		'',
		'Click **Execute workflow**, then open a node to see its items.',
		'',
		`Your own ${label}: ${ownAccount}`,
	].join('\n');
}

const expression = (field: string) => `={{ $json.${field} }}`;

/** What differs between the vendors' demos; vendorDemo() builds the rest the same way for each. */
interface DemoSpec extends Omit<Demo, 'workflow' | 'credential' | 'vendorNode'> {
	workflowId: string;
	credential: Omit<DemoCredential, 'name'>;
	nodeName: string;
	/** The node's name in the package, e.g. `thuliumBatchCustomers`. */
	nodeType: string;
	parameters: Parameters;
	/** For the sticky note: what the vendor node does with the customers, and how to use your own account. */
	sending: string;
	ownAccount: string;
	/** The fields the Success branch keeps. */
	created: Record<string, string>;
}

function vendorDemo(spec: DemoSpec): Demo {
	const { workflowId, credential: credentialSpec, nodeName, nodeType, parameters, sending, ownAccount, created, ...demo } = spec;
	const credential: DemoCredential = { ...credentialSpec, name: `${spec.label} sandbox` };
	const vendorNode: DemoNode = {
		id: randomUUID(),
		name: nodeName,
		type: `${PACKAGE_NAME}.${nodeType}`,
		typeVersion: 1,
		position: [500, 100],
		parameters: { resource: 'customer', operation: 'create', mappingMode: 'defineBelow', ...parameters },
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	};
	return {
		...demo,
		credential,
		vendorNode: nodeName,
		workflow: demoWorkflow({
			id: workflowId,
			vendor: spec.vendor,
			label: spec.label,
			vendorNode,
			note: note(spec.label, sending, ownAccount),
			created,
		}),
	};
}

function thuliumDemo(): Demo {
	return vendorDemo({
		vendor: 'thulium',
		label: 'Thulium',
		workflowId: 'demoThulium0001',
		// baseUrl is filled in by demoSetup() with the sandbox's address.
		credential: { id: 'demoCredThulium1', type: 'thuliumApi', data: { baseUrl: '', login: THULIUM_USER.login, password: THULIUM_USER.password } },
		nodeName: 'Thulium',
		nodeType: 'thuliumBatchCustomers',
		parameters: {
			surname: expression('lastName'),
			additionalFields: {
				name: expression('firstName'),
				email: [expression('email')],
				phone_number: [expression('phone')],
				birthdate: expression('birthday'),
				group: expression('group'),
				identifier: expression('crmId'),
				job: expression('company'),
				job_title: expression('jobTitle'),
				address: {
					values: {
						street: expression('street'),
						building: expression('building'),
						postcode: expression('postcode'),
						city: expression('city'),
						country: expression('country'),
					},
				},
				custom_fields: { entries: [{ name: 'newsletter', value: expression('newsletter') }] },
			},
			options: { batchSize: 100, maxRetries: 3 },
		},
		requiredFields: [{ name: 'surname', label: 'Surname' }],
		nestedCollection: { name: 'address', label: 'Address' },
		options: [
			{ name: 'batchSize', label: 'Batch Size' },
			{ name: 'maxRetries', label: 'Max Retries' },
		],
		sending: 'creates them, 100 per request (POST batch/customers),',
		ownAccount: 'add a *Thulium API* credential with your system name and an API user\'s login and password, and choose it in the **Thulium** node.',
		created: {
			crmId: expression('crmId'),
			surname: expression('lastName'),
			thuliumCustomerId: expression('customerBatch.result.customer_id'),
			batch: expression('customerBatch.batch'),
		},
	});
}

function nxCloudDemo(): Demo {
	return vendorDemo({
		vendor: 'nxcloud',
		label: 'NXCLOUD',
		workflowId: 'demoNxCloud0001',
		credential: {
			id: 'demoCredNxCloud1',
			type: 'nxCloudApi',
			data: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: '' },
		},
		nodeName: 'NXCLOUD',
		nodeType: 'nxCloudBatchCustomers',
		parameters: {
			edition: 'sea',
			tenantId: String(NXCLOUD_TENANT_ID),
			mode: 1,
			first_name: expression('firstName'),
			last_name: expression('lastName'),
			additionalFields: {
				email: expression('email'),
				sms_phone: expression('phone'),
				whats_app_phone: expression('whatsApp'),
				country: expression('country'),
				address: expression('city'),
				birthday: expression('birthday'),
				gender: expression('gender'),
				time_zone: expression('timeZone'),
				remark: expression('note'),
				belong_seat_user: expression('seat'),
				tagStr: ['crm-import'],
				customize_field: { entries: [{ name: 'customize_1_14', value: expression('membership') }] },
			},
			options: { batchSize: 100, concurrency: 2 },
		},
		requiredFields: [
			{ name: 'tenantId', label: 'Tenant ID' },
			{ name: 'first_name', label: 'First Name' },
			{ name: 'last_name', label: 'Last Name' },
		],
		nestedCollection: { name: 'customize_field', label: 'Custom Fields' },
		options: [
			{ name: 'batchSize', label: 'Batch Size' },
			{ name: 'concurrency', label: 'Concurrent Batches' },
		],
		sending: 'creates them in the SEA edition, 100 per signed request, splitting a refused request until it finds the rows at fault,',
		ownAccount: 'add an *NXCLOUD API* credential with your access key, secret, App Key and region, and set your Tenant ID in the **NXCLOUD** node.',
		created: {
			crmId: expression('crmId'),
			name: '={{ $json.firstName }} {{ $json.lastName }}',
			traceId: expression('customerBatch.result.traceId'),
			batch: expression('customerBatch.batch'),
		},
	});
}

function dustessDemo(): Demo {
	return vendorDemo({
		vendor: 'dustess',
		label: 'Dustess',
		workflowId: 'demoDustess0001',
		credential: { id: 'demoCredDustess1', type: 'dustessApi', data: { baseUrl: '', clientId: DUSTESS_CLIENT.clientId, clientSecret: DUSTESS_CLIENT.clientSecret } },
		nodeName: 'Dustess',
		nodeType: 'dustessBatchCustomers',
		parameters: {
			additionalFields: {
				remark: expression('name'),
				external_id: expression('crmId'),
				gender: expression('gender'),
				mobiles: { values: [{ tel: expression('mobile'), type: 'mobile', display: 'Mobile' }] },
				email: expression('email'),
				corp_full_name: expression('company'),
				position: expression('position'),
				prov_city: expression('region'),
				birthday: expression('birthday'),
				age: expression('age'),
				education: expression('education'),
				owner: expression('owner'),
				pool: expression('pool'),
			},
			// The sandbox, like many Dustess tenants, takes at most 50 contacts per call.
			options: { batchSize: 50, maxRetries: 3 },
		},
		// Dustess's create has no single required field, only "an owner or a pool" (a notice).
		requiredFields: [],
		notice: 'Set an Owner ID or a Pool ID',
		nestedCollection: { name: 'mobiles', label: 'Contact Methods' },
		options: [
			{ name: 'batchSize', label: 'Batch Size' },
			{ name: 'maxRetries', label: 'Max Retries' },
		],
		sending: 'creates them as contacts, 50 per request (batchAddCustomer, with a token it fetches once),',
		ownAccount: 'add a *Dustess API* credential with your client ID and secret, and choose it in the **Dustess** node.',
		created: {
			crmId: expression('crmId'),
			name: expression('name'),
			dustessContactId: expression('customerBatch.result.id'),
			batch: expression('customerBatch.batch'),
		},
	});
}

/** The three demos with credentials pointing at the sandbox at `sandboxUrl` (no trailing slash). */
export function demoSetup(sandboxUrl: string): Demo[] {
	const baseUrls: Record<DemoVendor, string> = {
		thulium: `${sandboxUrl}/thulium/api`,
		nxcloud: `${sandboxUrl}/nxcloud`,
		dustess: `${sandboxUrl}/dustess`,
	};
	return [nxCloudDemo(), dustessDemo(), thuliumDemo()].map((demo) => ({
		...demo,
		credential: { ...demo.credential, data: { ...demo.credential.data, baseUrl: baseUrls[demo.vendor] } },
	}));
}
