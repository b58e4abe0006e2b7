import type { SandboxRequest, SandboxResponse, VendorSandbox } from '../server';

/**
 * Thulium, as documented in shared/vendor-docs/thulium-batch-customers.txt: Basic auth,
 * `POST|PUT /api/batch/customers` answering per position ("0", "1", …), the error envelope
 * `{request_id, errors: [{message, code}]}`. Customer types and groups must exist in the system.
 */
export const THULIUM_USER = { login: 'api_user', password: 'api_pass' };
export const THULIUM_MAX_BATCH = 100;
const KNOWN_TYPES = ['Client', 'Partner', 'Lead'];
const KNOWN_GROUPS = ['VIP', 'Retail', 'Wholesale'];

type Customer = Record<string, unknown> & { customer_id: string };

export function createThulium(): VendorSandbox {
	let customers: Customer[] = [];
	/** customer_id never changes and is never reused. */
	const byId = new Map<string, Customer>();
	let nextId = 1;
	let requestCounter = 0;
	let user = { ...THULIUM_USER };

	const envelope = (status: number, message: string, code: number): SandboxResponse => ({
		status,
		body: { request_id: `req-${++requestCounter}`, errors: [{ message, code }] },
	});

	const authorised = (request: SandboxRequest) => {
		const header = String(request.headers.authorization ?? '');
		const expected = Buffer.from(`${user.login}:${user.password}`).toString('base64');
		return header === `Basic ${expected}`;
	};

	const problem = (customer: Record<string, unknown>, requireSurname: boolean): string | undefined => {
		if (typeof customer !== 'object' || customer === null) return 'Customer must be an object.';
		if (requireSurname && !customer.surname) return 'Surname is required.';
		// email and phone_number: one value, or several as a list [VENDORS.md §3]; each one is checked.
		const entries = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) && value.length > 0 ? value : [value]);
		const isText = (value: unknown) => typeof value === 'string' || typeof value === 'number';
		if (entries(customer.phone_number).some((phone) => !isText(phone) || !/^\+?[0-9 ]+$/.test(String(phone)))) return 'Phone number must be numeric.';
		if (entries(customer.email).some((email) => !isText(email) || !String(email).includes('@'))) return 'E-mail address is invalid.';
		if (customer.type !== undefined && !KNOWN_TYPES.includes(String(customer.type))) return `Customer type "${customer.type}" does not exist.`;
		if (customer.group !== undefined && !KNOWN_GROUPS.includes(String(customer.group))) return `Customer group "${customer.group}" does not exist.`;
		return undefined;
	};

	const batch = (request: SandboxRequest, update: boolean): SandboxResponse => {
		const list = (request.json as { customers?: unknown } | undefined)?.customers;
		if (!Array.isArray(list)) return envelope(400, 'Parameter customers is required and must be a list.', 100001);
		if (list.length === 0) return envelope(400, 'Parameter customers must not be empty.', 100002);
		if (list.length > THULIUM_MAX_BATCH) return envelope(400, `At most ${THULIUM_MAX_BATCH} customers per request.`, 100003);
		const answer: Record<string, unknown> = {};
		list.forEach((customer: Record<string, unknown>, position: number) => {
			const reason = problem(customer, !update);
			if (reason) {
				answer[String(position)] = { http_status: 400, message: reason };
				return;
			}
			if (update) {
				const existing = byId.get(String(customer.customer_id));
				if (!existing) {
					answer[String(position)] = { http_status: 404, message: 'Customer not found.' };
					return;
				}
				Object.assign(existing, customer, { customer_id: existing.customer_id });
				answer[String(position)] = { http_status: 200, customer_id: existing.customer_id };
				return;
			}
			// The parsed request is the sandbox's own: it is stored as it is, not copied (a copy of every
			// customer was most of the sandbox's computing in the benchmark).
			const stored = Object.assign(customer, { customer_id: String(nextId++) });
			customers.push(stored);
			byId.set(stored.customer_id, stored);
			answer[String(position)] = { http_status: 201, customer_id: stored.customer_id };
		});
		return { status: 200, body: answer };
	};

	return {
		name: 'thulium',
		handle(request) {
			if (!request.path.startsWith('/api/')) return envelope(404, 'Not found.', 404);
			if (!authorised(request)) return envelope(401, 'Unauthorized.', 401);
			const path = request.path.slice('/api'.length);
			if (path === '/batch/customers' && request.method === 'POST') return batch(request, false);
			if (path === '/batch/customers' && request.method === 'PUT') return batch(request, true);
			if (path === '/customers' && request.method === 'GET') {
				const limit = Math.min(Number(request.query.limit ?? 100), 1000);
				return { status: 200, body: customers.slice(0, limit) };
			}
			return envelope(404, 'Not found.', 404);
		},
		store: () => ({ customers }),
		reset() {
			customers = [];
			byId.clear();
			nextId = 1;
			user = { ...THULIUM_USER };
		},
		/** `login`, `password`: the API user the sandbox accepts instead of THULIUM_USER (until a reset). */
		configure(settings) {
			if (typeof settings.login === 'string') user.login = settings.login;
			if (typeof settings.password === 'string') user.password = settings.password;
		},
		recordStatus(body, positions, status, message) {
			if (typeof body !== 'object' || body === null) return body;
			const changed: Record<string, unknown> = { ...body };
			for (const position of Object.keys(body)) {
				if (positions && !positions.includes(Number(position))) continue;
				changed[position] = message === undefined ? { http_status: status } : { http_status: status, message };
			}
			return changed;
		},
		omitRecords(body, positions) {
			if (typeof body !== 'object' || body === null) return body;
			const kept: Record<string, unknown> = {};
			for (const [position, entry] of Object.entries(body)) {
				if (!(positions ? positions.includes(Number(position)) : Number(position) % 2 === 1)) kept[position] = entry;
			}
			return kept;
		},
	};
}
