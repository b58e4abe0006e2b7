import { createHash } from 'node:crypto';

import type { SandboxRequest, SandboxResponse, VendorSandbox } from '../server';
import { StoreIndex } from '../storeIndex';

/**
 * NXCLOUD's CDP API as documented (VENDORS.md §1, vendor-docs/nxcloud-batch-create-customers.txt):
 * both batch_create editions and `GET customers/fields`, every request signed with MD5 over the
 * sorted headers, the raw body and the secret. Answers `{code, message, data, traceId}` with HTTP
 * 200 for every code, and no per-customer result: one bad customer fails the whole batch (1002).
 *
 * Checks run in this order: common headers (1001), access key (1005), timestamp within 60 s
 * (1004), signature over the raw body exactly as received (1003), bizType/action (1002), then the
 * request's parameters (1002; a tenant the key may not use: 1005).
 *
 * Vendor-side rules no client can check: the tenant blocks email addresses at BLOCKED_EMAIL_DOMAIN,
 * and a seat named in belong_seat_user must exist (KNOWN_SEATS).
 */
export const NXCLOUD_ACCESS_KEY = 'sandbox-access-key';
export const NXCLOUD_ACCESS_SECRET = 'sandbox-access-secret-9f3k';
/** A key that exists but may not use the CDP API (1005). */
export const NXCLOUD_FORBIDDEN_ACCESS_KEY = 'sandbox-forbidden-key';
export const NXCLOUD_TENANT_ID = 144;
export const NXCLOUD_APP_KEY = '46oKF=os';
export const NXCLOUD_MAX_BATCH = 100;
export const BLOCKED_EMAIL_DOMAIN = 'blocked.example';
export const KNOWN_SEATS = ['agent01', 'agent02'];
export const NXCLOUD_CUSTOM_FIELDS = [
	{ field_key: 'customize_1_14', field_name: 'Membership Level', type: 'select', required: false, options: ['gold', 'silver'] },
	{ field_key: 'customize_1_15', field_name: 'Source Campaign', type: 'text', required: false, options: [] },
];
const SECRETS: Record<string, string> = { [NXCLOUD_ACCESS_KEY]: NXCLOUD_ACCESS_SECRET, [NXCLOUD_FORBIDDEN_ACCESS_KEY]: 'forbidden-secret' };
const TIMESTAMP_WINDOW_MS = 60_000;

type Edition = 'sea' | 'standard';
type Customer = Record<string, unknown> & { customer_id: number; edition: Edition };

interface FieldRule {
	required?: boolean;
	max?: number;
	digits?: boolean;
	kind?: 'string' | 'date' | 'gender' | 'json';
}

const COMMON: Record<string, FieldRule> = {
	country: { max: 50 },
	email: { max: 50 },
	address: { max: 100 },
	birthday: { kind: 'date' },
	tagStr: {},
	time_zone: {},
	gender: { kind: 'gender' },
	customize_field: { kind: 'json' },
	belong_seat_user: { max: 128 },
};

function rulesFor(edition: Edition, indonesia: boolean): Record<string, FieldRule> {
	if (edition === 'sea') {
		return {
			first_name: { required: true, max: 128 },
			last_name: { required: true, max: 128 },
			sms_phone: { max: 30 },
			whats_app_phone: { max: 30 },
			remark: { max: 100 },
			...COMMON,
		};
	}
	return {
		full_name: { required: true, max: 255 },
		first_name: { max: 128 },
		last_name: { max: 128 },
		sms_phone: { max: 30, digits: true },
		whats_app_phone: { max: 30, digits: true },
		viber_phone: { max: 30, digits: true },
		messenger: { max: 32, digits: true },
		instagram: { max: 32, digits: true },
		zalo: { max: 32, digits: true },
		line: { max: 50 },
		remark: { max: indonesia ? 2000 : 100 },
		...COMMON,
	};
}

function isRealDate(text: string): boolean {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!match) return false;
	const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
	return date.getUTCFullYear() === Number(match[1]) && date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
}

/** Why a customer breaks the documented rules, or undefined. */
function fieldProblem(customer: unknown, rules: Record<string, FieldRule>, position: number): string | undefined {
	const at = (field: string) => `customers[${position}].${field}`;
	if (typeof customer !== 'object' || customer === null || Array.isArray(customer)) return `customers[${position}] must be an object`;
	const record = customer as Record<string, unknown>;
	for (const [field, rule] of Object.entries(rules)) {
		const value = record[field];
		if (value === undefined || value === null || value === '') {
			if (rule.required) return `${at(field)} is required`;
			continue;
		}
		if (rule.kind === 'gender') {
			if (value !== 0 && value !== 1) return `${at(field)} must be 1 (male) or 0 (female)`;
			continue;
		}
		if (typeof value !== 'string') return `${at(field)} must be a string`;
		// Characters, not UTF-16 units; a text no longer than the limit in units is within it.
		if (rule.max !== undefined && value.length > rule.max && [...value].length > rule.max) return `${at(field)} exceeds ${rule.max} characters`;
		if (rule.digits && !/^\d+$/.test(value)) return `${at(field)} must contain digits only`;
		if (rule.kind === 'date' && !isRealDate(value)) return `${at(field)} must be a date as yyyy-MM-dd`;
		if (rule.kind === 'json') {
			let parsed: unknown;
			try {
				parsed = JSON.parse(value);
			} catch {
				return `${at(field)} must be a JSON object text`;
			}
			if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `${at(field)} must be a JSON object text`;
			const unknownKey = Object.keys(parsed).find((key) => !NXCLOUD_CUSTOM_FIELDS.some((known) => known.field_key === key));
			if (unknownKey) return `${at(field)}: unknown custom field ${unknownKey}`;
		}
	}
	if (typeof record.email === 'string' && record.email.toLowerCase().endsWith(`@${BLOCKED_EMAIL_DOMAIN}`)) {
		return `${at('email')}: the tenant does not accept addresses at ${BLOCKED_EMAIL_DOMAIN}`;
	}
	if (typeof record.belong_seat_user === 'string' && !KNOWN_SEATS.includes(record.belong_seat_user)) {
		return `${at('belong_seat_user')}: no seat ${record.belong_seat_user}`;
	}
	return undefined;
}

function header(request: SandboxRequest, name: string): string | undefined {
	const value = request.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** Customers are matched on their first phone or email; `type` says what happens to a match [doc]. */
function identity(customer: Record<string, unknown>): string | undefined {
	return ['sms_phone', 'whats_app_phone', 'email'].map((field) => customer[field]).find((value): value is string => typeof value === 'string' && value !== '');
}

function identityKeys(customer: Record<string, unknown>): string[] {
	const key = identity(customer);
	return key === undefined ? [] : [key];
}

export function createNxCloud(): VendorSandbox {
	let customers: Customer[] = [];
	const byIdentity = new StoreIndex<Customer>(identityKeys, (customer) => customers.indexOf(customer));
	let nextId = 1;
	let traceCounter = 0;
	let clockOffsetMs = 0;
	let indonesia = false;
	let refuseEveryBatch = false;

	const answer = (code: number, message: string, data: unknown = ''): SandboxResponse => ({
		status: 200,
		body: { code, message, data, traceId: `trace-${String(++traceCounter).padStart(6, '0')}` },
	});

	/** The common checks every request goes through; undefined when they pass. */
	const authenticate = (request: SandboxRequest): SandboxResponse | undefined => {
		const names = ['accessKey', 'ts', 'bizType', 'action', 'sign'];
		const values = Object.fromEntries(names.map((name) => [name, header(request, name)]));
		const missing = names.find((name) => !values[name]);
		if (missing) return answer(1001, `missing common header: ${missing}`);
		const secret = SECRETS[values.accessKey!];
		if (secret === undefined) return answer(1005, 'accessKey is invalid');
		const ts = Number(values.ts);
		if (!Number.isFinite(ts) || Math.abs(Date.now() + clockOffsetMs - ts) > TIMESTAMP_WINDOW_MS) return answer(1004, 'timestamp expired');
		const headersText = ['accessKey', 'action', 'bizType', 'ts'].map((name) => `${name}=${values[name]}`).join('&');
		const hash = createHash('md5').update(headersText, 'utf8');
		// The body's bytes as received hash as its text does when they are valid UTF-8 (not decoded, see body.ts).
		if (request.utf8Bytes !== undefined) {
			if (request.utf8Bytes.length > 0) hash.update('&body=', 'utf8').update(request.utf8Bytes);
		} else if (request.rawBody !== '') hash.update(`&body=${request.rawBody}`, 'utf8');
		const expected = hash.update(`&accessSecret=${secret}`, 'utf8').digest('hex');
		if (values.sign !== expected) return answer(1003, 'sign is invalid');
		if (values.bizType !== '2' || values.action !== 'mt') return answer(1002, 'bizType or action is invalid');
		if (values.accessKey === NXCLOUD_FORBIDDEN_ACCESS_KEY) return answer(1005, 'no permission');
		return undefined;
	};

	const tenantProblem = (tenantId: unknown, appKey: unknown): SandboxResponse | undefined => {
		if (tenantId === undefined || tenantId === null || tenantId === '') return answer(1002, 'tenant_id is required');
		if (typeof tenantId !== 'number' || !Number.isInteger(tenantId)) return answer(1002, 'tenant_id must be an integer');
		if (!appKey) return answer(1002, 'app_key is required');
		if (tenantId !== NXCLOUD_TENANT_ID || appKey !== NXCLOUD_APP_KEY) return answer(1005, 'no permission for this tenant');
		return undefined;
	};

	const store = (customer: Record<string, unknown>, type: number, edition: Edition) => {
		const key = identity(customer);
		const existing = key === undefined ? undefined : byIdentity.first(key);
		if (!existing) {
			// The parsed request is the sandbox's own: stored as it is, not copied.
			const stored: Customer = Object.assign(customer, { customer_id: nextId++, edition });
			customers.push(stored);
			byIdentity.add(stored);
			return;
		}
		const keysBefore = identityKeys(existing);
		if (type === 0) {
			for (const field of Object.keys(existing)) if (field !== 'customer_id' && field !== 'edition') delete existing[field];
			Object.assign(existing, customer);
		} else if (type === 1) {
			Object.assign(existing, customer);
		}
		byIdentity.update(existing, keysBefore);
	};

	const batchCreate = (request: SandboxRequest, edition: Edition): SandboxResponse => {
		const body = request.json as Record<string, unknown> | undefined;
		if (typeof body !== 'object' || body === null || Array.isArray(body)) return answer(1002, 'request body must be a JSON object');
		const tenant = tenantProblem(body.tenant_id, body.app_key);
		if (tenant) return tenant;
		if (refuseEveryBatch) return answer(1002, 'app_key is not enabled for the CDP API');
		if (![0, 1, 2].includes(body.type as number)) return answer(1002, 'type must be 0, 1 or 2');
		if (edition === 'standard' && body.strict_binding !== undefined && typeof body.strict_binding !== 'boolean') {
			return answer(1002, 'strict_binding must be a boolean');
		}
		const list = body.customers;
		if (!Array.isArray(list) || list.length === 0) return answer(1002, 'customers is required');
		if (list.length > NXCLOUD_MAX_BATCH) return answer(1002, `customers exceeds the limit of ${NXCLOUD_MAX_BATCH}`);
		const rules = rulesFor(edition, indonesia);
		for (const [position, customer] of list.entries()) {
			const problem = fieldProblem(customer, rules, position);
			if (problem) return answer(1002, problem);
		}
		for (const customer of list) store(customer as Record<string, unknown>, body.type as number, edition);
		return answer(0, '');
	};

	return {
		name: 'nxcloud',
		handle(request) {
			const failed = authenticate(request);
			if (failed) return failed;
			if (request.method === 'POST' && request.path === '/saas/sea/cdp/openapi/customers/batch_create') return batchCreate(request, 'sea');
			if (request.method === 'POST' && request.path === '/saas/cdp/openapi/customers/batch_create') return batchCreate(request, 'standard');
			if (request.method === 'GET' && request.path === '/saas/cdp/openapi/customers/fields') {
				const tenant = tenantProblem(request.query.tenant_id === undefined ? undefined : Number(request.query.tenant_id), request.query.app_key);
				if (tenant) return tenant;
				return answer(0, '', [
					{ field_key: 'first_name', field_name: 'First Name', type: 'text', required: true, options: [] },
					{ field_key: 'email', field_name: 'Email', type: 'text', required: false, options: [] },
					...NXCLOUD_CUSTOM_FIELDS,
				]);
			}
			return { status: 404, body: { code: 404, message: 'Not Found', data: '', traceId: '' } };
		},
		store: () => ({ customers }),
		reset() {
			customers = [];
			byIdentity.clear();
			nextId = 1;
			clockOffsetMs = 0;
			indonesia = false;
			refuseEveryBatch = false;
		},
		/**
		 * `clockOffsetMs`: the server's clock runs ahead by this much; `indonesia`: remarks up to 2000
		 * characters; `refuseEveryBatch`: every batch_create is refused with 1002 whatever its
		 * customers (a request-level refusal that no customer causes).
		 */
		configure(settings) {
			if (typeof settings.refuseEveryBatch === 'boolean') refuseEveryBatch = settings.refuseEveryBatch;
			if (typeof settings.clockOffsetMs === 'number') clockOffsetMs = settings.clockOffsetMs;
			if (typeof settings.indonesia === 'boolean') indonesia = settings.indonesia;
		},
	};
}
