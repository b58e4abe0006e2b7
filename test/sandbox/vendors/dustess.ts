import { randomBytes } from 'node:crypto';

import type { SandboxRequest, SandboxResponse, VendorSandbox } from '../server';
import { StoreIndex } from '../storeIndex';

/**
 * Dustess (尘锋 SCRM), as VENDORS.md §2 and shared/vendor-docs/dustess-batch-edit-customer.txt
 * describe it, with the sandbox's own choices where the vendor publishes nothing (marked ASSUMED):
 *
 * - `POST /auth/v1/access_token/token` `{clientId, clientSecret}` → `{code: 0, success: true,
 *   data: {accessToken, expiresIn}}`; wrong credentials → 200 `{success: false, code: 10003}` (ASSUMED).
 * - `POST /customer/v1/batchAddCustomer` and `/customer/v1/batchEditCustomer?accessToken=…` with
 *   `{customer_list: [...]}` → `{success, code, msg, data: {success, fail}}`, entries
 *   `{code, index, id, msg}` with 1-based `index`; top-level code 4126 when any contact failed.
 *   Per-contact codes (meanings ASSUMED): 13000 duplicate contact (same mobile), 13001 invalid
 *   or unknown contact. Like the vendor's examples, a 13000 entry has an empty msg.
 * - An invalid or expired token: 200 `{success: false, code: 40001}` (ASSUMED), or HTTP 401 when
 *   configured with `expiredTokenAnswer: 'http401'`, or — `expiredTokenAnswer: 'undocumented'` —
 *   200 `{success: false, code: 40014, data: null}`, a code the node cannot know for a token
 *   refusal (Dustess publishes none), nothing stored.
 * - More than `maxBatch` contacts (ASSUMED 50): 200 `{success: false, code: 10002}`, nothing stored.
 *
 * Valid clients: DUSTESS_CLIENT, and any client ID starting with `test-` whose secret is
 * `<client ID>-secret` (so that tests against one long-lived n8n can each get a fresh token cache).
 */
export const DUSTESS_CLIENT = { clientId: 'dustess-client', clientSecret: 'dustess-client-secret-value' };
export const DUSTESS_TOKEN_REJECTED_CODE = 40001;
export const DUSTESS_BAD_CLIENT_CODE = 10003;
export const DUSTESS_TOO_MANY_CODE = 10002;
/** The token refusal of `expiredTokenAnswer: 'undocumented'`: no node can know this code. */
export const DUSTESS_UNDOCUMENTED_TOKEN_CODE = 40014;

export interface DustessSettings {
	/** Token lifetime in seconds, enforced and reported as `expiresIn` (default 7200). */
	tokenLifetimeSeconds: number;
	/** Whether the token answer carries `expiresIn` (default true). */
	reportExpiresIn: boolean;
	/**
	 * How an invalid or expired token is answered (default 'body': HTTP 200 with code 40001;
	 * 'undocumented': HTTP 200 with code 40014 and no entries, as if the vendor's code were unknown).
	 */
	expiredTokenAnswer: 'body' | 'http401' | 'undocumented';
	/** The most contacts one call may carry (default 50). */
	maxBatch: number;
	/** After this many more customer calls, every token issued so far stops working (once). */
	revokeTokensAfterCalls?: number;
	/** Every customer call is answered as if the token had expired. */
	rejectAllTokens: boolean;
	/**
	 * Issuing a token revokes the ones issued before to the same client, as many token APIs do
	 * (Dustess documents neither this nor the opposite). Default false: tokens live side by side.
	 */
	revokeOnNewToken: boolean;
	/** Error messages quote the request URL, token included (to test that nodes mask it). */
	echoUrlInErrors: boolean;
}
// `configure({ revokeTokens: true })` also makes every token issued so far stop working at once.

const DEFAULTS: DustessSettings = {
	tokenLifetimeSeconds: 7200,
	reportExpiresIn: true,
	expiredTokenAnswer: 'body',
	maxBatch: 50,
	rejectAllTokens: false,
	revokeOnNewToken: false,
	echoUrlInErrors: false,
};

type Contact = Record<string, unknown> & { id: string };
interface Token {
	value: string;
	clientId: string;
	expiresAt: number;
	revoked: boolean;
}
interface Entry {
	code: number;
	index: number;
	id: string;
	msg: string;
}

const GENDERS = [0, 1, 2];
const EDUCATION = ['01', '02', '03', '04', '05', '06', '07'];

const telsOf = (contact: Record<string, unknown>): string[] =>
	Array.isArray(contact.mobiles) ? (contact.mobiles as Array<Record<string, unknown>>).map((mobile) => String(mobile.tel)) : [];
const externalIdOf = (contact: Record<string, unknown>): unknown[] => (contact.external_id === undefined ? [] : [contact.external_id]);

/**
 * The part of contact ids after their count: a UUID version 1's, as in the vendor's examples
 * (`ad14ce98-ee88-11ea-9926-acde48001122`), random per store so that ids stay unique across resets.
 */
function idTail(): string {
	const random = randomBytes(12).toString('hex');
	return `-${random.slice(0, 4)}-1${random.slice(4, 7)}-9${random.slice(7, 10)}-${random.slice(10, 22)}`;
}

function validClient(clientId: unknown, clientSecret: unknown): boolean {
	if (clientId === DUSTESS_CLIENT.clientId && clientSecret === DUSTESS_CLIENT.clientSecret) return true;
	return typeof clientId === 'string' && clientId.startsWith('test-') && clientSecret === `${clientId}-secret`;
}

export function createDustess(): VendorSandbox {
	let settings: DustessSettings = { ...DEFAULTS };
	let contacts: Contact[] = [];
	const age = (contact: Contact) => contacts.indexOf(contact);
	const byTel = new StoreIndex<Contact>(telsOf, age);
	const byExternalId = new StoreIndex<Contact>(externalIdOf, age);
	/** A contact's id never changes. */
	const byId = new Map<string, Contact>();
	let tokens: Token[] = [];
	let customerCalls = 0;
	// A count and a random tail, not a random UUID per contact (2 µs each: about 0.2 ms of a batch of 100).
	let contactCount = 0;
	let contactIdTail = idTail();
	const newContactId = () => `${(++contactCount).toString(16).padStart(8, '0')}${contactIdTail}`;

	const answer = (body: Record<string, unknown>, status = 200): SandboxResponse => ({ status, body: { msg: '', ...body } });

	const issueToken = (request: SandboxRequest): SandboxResponse => {
		const body = (request.json ?? {}) as Record<string, unknown>;
		if (!validClient(body.clientId, body.clientSecret)) {
			return answer({ success: false, code: DUSTESS_BAD_CLIENT_CODE, msg: 'clientId 或 clientSecret 错误', data: null });
		}
		const token: Token = {
			value: `dtk_${randomBytes(20).toString('hex')}`,
			clientId: String(body.clientId),
			expiresAt: Date.now() + settings.tokenLifetimeSeconds * 1000,
			revoked: false,
		};
		if (settings.revokeOnNewToken) tokens.filter((earlier) => earlier.clientId === token.clientId).forEach((earlier) => (earlier.revoked = true));
		tokens.push(token);
		const data: Record<string, unknown> = { accessToken: token.value };
		if (settings.reportExpiresIn) data.expiresIn = settings.tokenLifetimeSeconds;
		return answer({ success: true, code: 0, data });
	};

	const tokenValid = (value: string | undefined): boolean => {
		if (settings.rejectAllTokens) return false;
		const token = tokens.find((candidate) => candidate.value === value);
		return !!token && !token.revoked && token.expiresAt > Date.now();
	};

	const tokenRejected = (request: SandboxRequest): SandboxResponse => {
		const where = settings.echoUrlInErrors ? ` (${request.path}?accessToken=${request.query.accessToken ?? ''})` : '';
		if (settings.expiredTokenAnswer === 'http401') {
			return answer({ success: false, code: 401, msg: `unauthorized${where}`, data: null }, 401);
		}
		if (settings.expiredTokenAnswer === 'undocumented') {
			return answer({ success: false, code: DUSTESS_UNDOCUMENTED_TOKEN_CODE, msg: `invalid credential${where}`, data: null });
		}
		return answer({ success: false, code: DUSTESS_TOKEN_REJECTED_CODE, msg: `accessToken 无效或已过期${where}`, data: null });
	};

	/** Why a contact cannot be stored, as a per-entry code and message; undefined when it can. */
	const problem = (contact: Record<string, unknown>, create: boolean): [number, string] | undefined => {
		if (typeof contact !== 'object' || contact === null || Array.isArray(contact)) return [13001, '联系人格式错误'];
		if (create && contact.id !== undefined) return [13001, '新增联系人不能传 id'];
		if (create && !contact.owner && !contact.pool) return [13001, 'owner 和 pool 二选一必填'];
		if (contact.gender !== undefined && !GENDERS.includes(contact.gender as number)) return [13001, 'gender 参数错误'];
		if (contact.education !== undefined && !EDUCATION.includes(contact.education as string)) return [13001, 'education 参数错误'];
		if (contact.mobiles !== undefined) {
			if (!Array.isArray(contact.mobiles)) return [13001, 'mobiles 参数错误'];
			for (const mobile of contact.mobiles as Array<Record<string, unknown>>) {
				if (!mobile || typeof mobile.tel !== 'string' || mobile.tel === '') return [13001, 'mobiles.tel 必填'];
				if (mobile.type === 'mobile' && !/^\+?\d{5,20}$/.test(mobile.tel)) return [13001, '手机号格式错误'];
			}
		}
		if (contact.custom_fields !== undefined) {
			if (!Array.isArray(contact.custom_fields)) return [13001, 'custom_fields 参数错误'];
			for (const field of contact.custom_fields as Array<Record<string, unknown>>) {
				if (!field || typeof field.id !== 'string') return [13001, 'custom_fields.id 必填'];
				if (field.float_value !== undefined && typeof field.float_value !== 'number') return [13001, 'float_value 必须是数字'];
				if (field.array_value !== undefined && !Array.isArray(field.array_value)) return [13001, 'array_value 必须是数组'];
				if (field.string_value !== undefined && typeof field.string_value !== 'string') return [13001, 'string_value 必须是字符串'];
				if (Array.isArray(field.files_value) && field.files_value.length > 5) return [13001, '附件最多 5 个'];
			}
		}
		return undefined;
	};

	const batch = (request: SandboxRequest, create: boolean): SandboxResponse => {
		customerCalls++;
		if (settings.revokeTokensAfterCalls !== undefined) {
			if (settings.revokeTokensAfterCalls <= 0) {
				tokens.forEach((token) => (token.revoked = true));
				settings.revokeTokensAfterCalls = undefined;
			} else settings.revokeTokensAfterCalls--;
		}
		if (!tokenValid(request.query.accessToken)) return tokenRejected(request);

		const list = (request.json as { customer_list?: unknown } | undefined)?.customer_list;
		if (!Array.isArray(list) || list.length === 0) return answer({ success: false, code: 10001, msg: 'customer_list 不能为空', data: null });
		if (list.length > settings.maxBatch) {
			return answer({ success: false, code: DUSTESS_TOO_MANY_CODE, msg: `customer_list 最多 ${settings.maxBatch} 个`, data: null });
		}

		const success: Entry[] = [];
		const fail: Entry[] = [];
		const where = settings.echoUrlInErrors ? ` (${request.path}?accessToken=${request.query.accessToken})` : '';
		list.forEach((contact: Record<string, unknown>, position: number) => {
			const index = position + 1;
			const reason = problem(contact, create);
			if (reason) {
				fail.push({ code: reason[0], index, id: '', msg: `${reason[1]}${where}` });
				return;
			}
			if (create) {
				const tels = telsOf(contact);
				if (tels.some((tel) => byTel.has(tel))) {
					fail.push({ code: 13000, index, id: '0', msg: '' });
					return;
				}
				// The parsed request is the sandbox's own: stored as it is, not copied.
				const stored: Contact = Object.assign(contact, { id: newContactId() });
				contacts.push(stored);
				byTel.add(stored);
				byExternalId.add(stored);
				byId.set(stored.id, stored);
				success.push({ code: 0, index, id: stored.id, msg: '' });
				return;
			}
			const existing =
				contact.id !== undefined ? byId.get(contact.id as string) : contact.external_id !== undefined ? byExternalId.first(contact.external_id) : undefined;
			if (!existing) {
				fail.push({ code: 13001, index, id: '0', msg: `联系人不存在${where}` });
				return;
			}
			const [telsBefore, externalIdBefore] = [telsOf(existing), externalIdOf(existing)];
			Object.assign(existing, contact, { id: existing.id });
			byTel.update(existing, telsBefore);
			byExternalId.update(existing, externalIdBefore);
			success.push({ code: 0, index, id: existing.id, msg: '' });
		});
		if (fail.length === 0) return answer({ success: true, code: 0, data: { fail: null, success } });
		return answer({ success: false, code: 4126, data: { fail, success: success.length ? success : null } });
	};

	return {
		name: 'dustess',
		handle(request) {
			if (request.method !== 'POST') return answer({ success: false, code: 404, msg: 'not found' }, 404);
			if (request.path === '/auth/v1/access_token/token') return issueToken(request);
			if (request.path === '/customer/v1/batchAddCustomer') return batch(request, true);
			if (request.path === '/customer/v1/batchEditCustomer') return batch(request, false);
			return answer({ success: false, code: 404, msg: 'not found' }, 404);
		},
		store: () => ({
			contacts,
			tokensIssued: tokens.length,
			tokens: tokens.map((token) => token.value),
			tokensByClient: tokens.reduce<Record<string, number>>((counts, token) => ({ ...counts, [token.clientId]: (counts[token.clientId] ?? 0) + 1 }), {}),
			customerCalls,
		}),
		reset() {
			settings = { ...DEFAULTS };
			contacts = [];
			byTel.clear();
			byExternalId.clear();
			byId.clear();
			tokens = [];
			customerCalls = 0;
			contactCount = 0;
			contactIdTail = idTail();
		},
		omitRecords(body, positions) {
			const data = (body as { data?: { success?: Entry[] | null; fail?: Entry[] | null } })?.data;
			if (!data) return body;
			const keep = (entries: Entry[] | null | undefined) => {
				if (!entries) return entries;
				const kept = entries.filter((entry) => !(positions ? positions.includes(entry.index - 1) : (entry.index - 1) % 2 === 1));
				return kept.length ? kept : null;
			};
			return { ...(body as object), data: { ...data, success: keep(data.success), fail: keep(data.fail) } };
		},
		configure(changes) {
			const { revokeTokens, ...rest } = changes;
			settings = { ...settings, ...(rest as Partial<DustessSettings>) };
			if (revokeTokens === true) tokens.forEach((token) => (token.revoked = true));
		},
	};
}
