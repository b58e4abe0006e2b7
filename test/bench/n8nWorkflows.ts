/**
 * The workflows of the real-n8n benchmark (test/bench/n8n.ts): a Code node that makes N customers
 * as a CRM export would, then the node under test — one of our three nodes (Auto-Map or every
 * field mapped with `{{ $json.… }}`), the HTTP Request node sending one customer per request
 * (what users build instead), or the Edit Fields (Set) node (the memory yardstick).
 *
 * Two kinds of customer: `simple` (five or six fields) and `full` (every field of the vendor's
 * create call that a CRM export fills: for Thulium 23 fields with the three addresses, custom
 * fields and two emails and phone numbers each; for NXCLOUD all 14 fields of the SEA edition;
 * for Dustess 25 fields with two contact methods, three custom fields and tags).
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
export type Records = 'simple' | 'full';

export const NODE_UNDER_TEST = 'Under Test';
export const CUSTOMERS = 'Customers';

const SIMPLE_SHAPES: Record<Shape, string> = {
	export: '({ row: i, lastName, firstName, email, phone, birthday, city })',
	thulium: '({ surname: lastName, name: firstName, email, phone_number: phone, birthdate: birthday, address: { city } })',
	nxcloud: '({ first_name: firstName, last_name: lastName, email, sms_phone: phone, birthday, country: city })',
	dustess: "({ remark: lastName, email, mobiles: [{ tel: phone, type: 'mobile' }], birthday, pool: 'pool-sales' })",
};

/**
 * Full customers. Auto-Map gets the vendor's own shape (nested addresses, custom fields as a map
 * or list, several emails and phones as lists); mapped fields get one export per vendor with the
 * CRM's flat columns (`full-export-<vendor>`), one column per value, as a CSV or CRM export has them.
 */
const FULL_SHAPES: Record<Vendor, string> = {
	thulium: `({
    surname: lastName, name: firstName, email: [email, email2], phone_number: [phone, phone2], company_id: companyId,
    type: TYPES[i % 3], group: GROUPS[i % 3], identifier: crmId, gender: i % 2 ? 'female' : 'male',
    homepage: 'https://example.com/customers/' + i, birthdate: birthday, nip, note, pesel, job: company, job_title: title,
    account_manager: 'agent0' + (1 + (i % 2)),
    custom_fields: { source: 'crm-export', segment, score: String(i % 100), newsletter: i % 2 ? 'yes' : 'no' },
    fill_read_only_custom_fields: false, vip: i % 10 === 0,
    address: { street, building, flat, postcode, city, country: 'PL' },
    invoice_address: { street: street2, building: building2, postcode: postcode2, city: city2, country: 'PL' },
    mail_drop_address: { street: 'skr. poczt. ' + (i % 500), postcode, city, country: 'PL' },
  })`,
	nxcloud: `({
    first_name: firstName, last_name: lastName, sms_phone: phone, whats_app_phone: '86' + phone, country: 'Poland', email,
    address: street + ' ' + building + '/' + flat + ', ' + postcode + ' ' + city, birthday, tagStr: ['crm-import', segment],
    remark: note, time_zone: 'GMT+1', gender: i % 2 ? 'Female' : 'Male',
    customize_field: { customize_1_14: i % 2 ? 'gold' : 'silver', customize_1_15: 'spring-' + segment }, belong_seat_user: 'agent0' + (1 + (i % 2)),
  })`,
	dustess: `({
    external_id: crmId, remark: lastName + ' ' + firstName, category_id: 'cat-0' + (i % 3), corp_id: companyId, corp_full_name: company + ' Sp. z o.o.',
    mobiles: [{ tel: phone, type: 'mobile', display: 'Mobile' }, { tel: landline, type: 'landline', display: 'Office' }],
    position: title, source: 'src-crm', prov_city: '四川省-成都市-武侯区', address: street + ' ' + building + '/' + flat, birthday, email,
    gender: i % 2 ? '女' : '男', description: note,
    custom_fields: [{ id: 'field01', type: 'text', value: segment }, { id: 'field02', type: 'number', value: String(i % 100) }, { id: 'field03', type: 'checkbox', value: 'email,phone' }],
    tags: ['tag-crm', segment], age: 20 + (i % 50), national: '01', nationality: 'CN', education: EDUCATION[i % 4], major: 'Economics',
    id_card: '51010719' + birthday.replace(/-/g, '').slice(0, 6) + String(i).padStart(4, '0'), wx: 'wx_' + i, qq: String(100000 + i), pool: 'pool-sales',
  })`,
};

const FULL_EXPORT_SHAPES: Record<Vendor, string> = {
	thulium: `({
    row: i, lastName, firstName, email, email2, phone, phone2, companyId, customerType: TYPES[i % 3], customerGroup: GROUPS[i % 3], crmId,
    gender: i % 2 ? 'female' : 'male', website: 'https://example.com/customers/' + i, birthday, nip, note, pesel, company, title,
    accountManager: 'agent0' + (1 + (i % 2)), source: 'crm-export', segment, score: String(i % 100), newsletter: i % 2 ? 'yes' : 'no', vip: i % 10 === 0,
    street, building, flat, postcode, city, invoiceStreet: street2, invoiceBuilding: building2, invoicePostcode: postcode2, invoiceCity: city2,
    mailBox: 'skr. poczt. ' + (i % 500), country: 'PL',
  })`,
	nxcloud: `({
    row: i, firstName, lastName, phone, whatsApp: '86' + phone, country: 'Poland', email,
    address: street + ' ' + building + '/' + flat + ', ' + postcode + ' ' + city, birthday, segment, note, timeZone: 'GMT+1',
    gender: i % 2 ? 'Female' : 'Male', membership: i % 2 ? 'gold' : 'silver', campaign: 'spring-' + segment, seat: 'agent0' + (1 + (i % 2)),
  })`,
	dustess: `({
    row: i, crmId, fullName: lastName + ' ' + firstName, category: 'cat-0' + (i % 3), companyId, companyName: company + ' Sp. z o.o.',
    phone, landline, title, region: '四川省-成都市-武侯区', address: street + ' ' + building + '/' + flat, birthday, email,
    gender: i % 2 ? '女' : '男', note, segment, score: String(i % 100), channels: 'email,phone', age: 20 + (i % 50),
    education: EDUCATION[i % 4], idCard: '51010719' + birthday.replace(/-/g, '').slice(0, 6) + String(i).padStart(4, '0'), wechat: 'wx_' + i, qq: String(100000 + i),
  })`,
};

/**
 * The Code node's JavaScript: N customers in the shape asked for. Simple customers have the six
 * fields of a short CRM export (last and first name, email, phone, birthday, city); full ones
 * every field listed above. Deterministic; every email and phone number is unique within a run.
 */
export function customersCode(count: number, shape: Shape, records: Records = 'simple', vendor: Vendor = 'thulium'): string {
	const make = records === 'simple' ? SIMPLE_SHAPES[shape] : shape === 'export' ? FULL_EXPORT_SHAPES[vendor] : FULL_SHAPES[shape];
	const full =
		records === 'simple'
			? ''
			: `
  const email2 = 'work.' + email, phone2 = '22' + String(i).padStart(7, '0'), landline = '010' + String(i).padStart(8, '0');
  const street = STREETS[i % 5], building = String(1 + (i % 120)), flat = String(1 + (i % 40));
  const postcode = String(10 + (i % 90)) + '-' + String(100 + (i % 900)), city2 = CITIES[(i + 1) % 6];
  const street2 = STREETS[(i + 2) % 5], building2 = String(1 + (i % 60)), postcode2 = String(10 + ((i + 7) % 90)) + '-' + String(100 + ((i + 3) % 900));
  const company = COMPANIES[i % 5], companyId = String(1000 + (i % 500)), title = TITLES[i % 4], segment = SEGMENTS[i % 4], crmId = 'CRM-' + i;
  const nip = String(5260000000 + i), pesel = String(80051700000 + i), note = 'Imported from the CRM export, row ' + i;`;
	return `const FIRST = ['Anna', 'Jan', 'Ewa', 'Piotr', 'Zofia', 'Tomasz', 'Maria', 'Paweł'];
const LAST = ['Nowak', 'Kowalski', 'Wiśniewska', 'Wójcik', 'Kamiński', 'Lewandowska'];
const CITIES = ['Warszawa', 'Kraków', 'Łódź', 'Wrocław', 'Poznań', 'Gdańsk'];
const STREETS = ['Długa', 'Marszałkowska', 'Piotrkowska', 'Floriańska', 'Świdnicka'];
const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'];
const TITLES = ['Buyer', 'Manager', 'Engineer', 'Director'];
const SEGMENTS = ['retail', 'wholesale', 'online', 'partner'];
const TYPES = ['Client', 'Partner', 'Lead'];
const GROUPS = ['VIP', 'Retail', 'Wholesale'];
const EDUCATION = ['03', '04', '05', '06'];
const out = new Array(${count});
for (let i = 0; i < ${count}; i++) {
  const firstName = FIRST[i % 8], lastName = LAST[i % 6], city = CITIES[i % 5 + (i % 2)];
  const email = 'c' + i + '@example.com';
  const phone = '13' + String(i).padStart(9, '0');
  const birthday = (1950 + (i % 50)) + '-0' + (1 + (i % 9)) + '-1' + (i % 10);${full}
  out[i] = { json: ${make} };
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

const address = (values: Record<string, string>) => ({ values: Object.fromEntries(Object.entries(values).map(([key, column]) => [key, expression(column)])) });

/** Every field of the full customers mapped by expression from the vendor's full export. */
const MAPPED_FULL: Record<Vendor, IDataObject> = {
	thulium: {
		surname: expression('lastName'),
		additionalFields: {
			name: expression('firstName'),
			email: [expression('email'), expression('email2')],
			phone_number: [expression('phone'), expression('phone2')],
			company_id: expression('companyId'),
			type: expression('customerType'),
			group: expression('customerGroup'),
			identifier: expression('crmId'),
			gender: expression('gender'),
			homepage: expression('website'),
			birthdate: expression('birthday'),
			nip: expression('nip'),
			note: expression('note'),
			pesel: expression('pesel'),
			job: expression('company'),
			job_title: expression('title'),
			account_manager: expression('accountManager'),
			custom_fields: {
				entries: ['source', 'segment', 'score', 'newsletter'].map((name) => ({ name, value: expression(name) })),
			},
			fill_read_only_custom_fields: false,
			vip: expression('vip'),
			address: address({ street: 'street', building: 'building', flat: 'flat', postcode: 'postcode', city: 'city', country: 'country' }),
			invoice_address: address({ street: 'invoiceStreet', building: 'invoiceBuilding', postcode: 'invoicePostcode', city: 'invoiceCity', country: 'country' }),
			mail_drop_address: address({ street: 'mailBox', postcode: 'postcode', city: 'city', country: 'country' }),
		},
	},
	nxcloud: {
		first_name: expression('firstName'),
		last_name: expression('lastName'),
		additionalFields: {
			sms_phone: expression('phone'),
			whats_app_phone: expression('whatsApp'),
			country: expression('country'),
			email: expression('email'),
			address: expression('address'),
			birthday: expression('birthday'),
			tagStr: ['crm-import', expression('segment')],
			remark: expression('note'),
			time_zone: expression('timeZone'),
			gender: expression('gender'),
			customize_field: {
				entries: [
					{ name: 'customize_1_14', value: expression('membership') },
					{ name: 'customize_1_15', value: expression('campaign') },
				],
			},
			belong_seat_user: expression('seat'),
		},
	},
	dustess: {
		additionalFields: {
			external_id: expression('crmId'),
			remark: expression('fullName'),
			category_id: expression('category'),
			corp_id: expression('companyId'),
			corp_full_name: expression('companyName'),
			mobiles: {
				values: [
					{ tel: expression('phone'), type: 'mobile', display: 'Mobile' },
					{ tel: expression('landline'), type: 'landline', display: 'Office' },
				],
			},
			position: expression('title'),
			source: 'src-crm',
			prov_city: expression('region'),
			address: expression('address'),
			birthday: expression('birthday'),
			email: expression('email'),
			gender: expression('gender'),
			description: expression('note'),
			custom_fields: {
				values: [
					{ id: 'field01', type: 'text', value: expression('segment') },
					{ id: 'field02', type: 'number', value: expression('score') },
					{ id: 'field03', type: 'checkbox', value: expression('channels') },
				],
			},
			tags: ['tag-crm', expression('segment')],
			age: expression('age'),
			national: '01',
			nationality: 'CN',
			education: expression('education'),
			major: 'Economics',
			id_card: expression('idCard'),
			wx: expression('wechat'),
			qq: expression('qq'),
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

function workflow(
	id: string,
	name: string,
	count: number,
	shape: Shape,
	node: NodeSpec | undefined,
	records: Records = 'simple',
	vendor: Vendor = 'thulium',
): WorkflowInput {
	const customers: NodeSpec = { name: CUSTOMERS, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: customersCode(count, shape, records, vendor) } };
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
	options: {
		vendor: Vendor;
		mapping: Mapping;
		concurrency: number;
		count: number;
		nodeType: (name: string) => string;
		records?: Records;
		extraOptions?: IDataObject;
	},
): WorkflowInput {
	const { vendor, mapping, concurrency, count } = options;
	const records = options.records ?? 'simple';
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
			...(mapping === 'mapped' ? (records === 'full' ? MAPPED_FULL : MAPPED)[vendor] : {}),
			options: { batchSize: 100, concurrency, ...options.extraOptions },
		},
		credentials: { [type.credential]: { id: CREDENTIAL_IDS[vendor], name: CREDENTIAL_IDS[vendor] } },
	};
	return workflow(id, `bench ${vendor} ${mapping} ${records} C${concurrency} ${count}`, count, mapping === 'auto' ? vendor : 'export', node, records, vendor);
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
export function fixedCostWorkflow(id: string, count: number, shape: Shape = 'thulium', records: Records = 'simple'): WorkflowInput {
	return workflow(id, `bench fixed ${shape} ${records} ${count}`, count, shape, undefined, records);
}
