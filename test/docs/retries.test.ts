/**
 * What the README says is retried, checked against what the nodes do on n8n's engine: each
 * statement's HTTP statuses are read from the README, and each status is answered once by the
 * sandbox to see whether the node sends the request again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { clearTokenCache, GRANT_PATH } from '../../nodes/Dustess/accessToken';
import { n8nHarness } from '../helpers/n8nWorkflow';
import { startTestSandbox } from '../helpers/sandboxClient';
import type { SandboxHandle } from '../helpers/sandboxClient';
import type { Fault } from '../sandbox/faults';
import { DUSTESS_CLIENT } from '../sandbox/vendors/dustess';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from '../sandbox/vendors/nxcloud';
import { THULIUM_USER } from '../sandbox/vendors/thulium';

jest.setTimeout(60_000);

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The text of a `## ` section of the README. */
function section(heading: string): string {
	const start = readme.indexOf(`\n## ${heading}\n`);
	if (start < 0) throw new Error(`README has no section "${heading}"`);
	const end = readme.indexOf('\n## ', start + 1);
	return readme.slice(start, end < 0 ? undefined : end);
}

/** The first match of `pattern` in `text`: its first group, with line breaks as spaces. */
function claim(text: string, pattern: RegExp): string {
	const match = pattern.exec(text.replace(/\s+/g, ' '));
	if (!match) throw new Error(`README states nothing matching ${pattern}`);
	return match[1];
}

const statusesIn = (text: string) => [...text.matchAll(/\b([1-5]\d\d)\b/g)].map((match) => Number(match[1])).sort();
/** "429 and 503 are retried", "429/502/503/504 are retried": the statuses before the verb. */
const STATUSES_RETRIED = /((?:\d{3}(?:\/| and |, ))*\d{3}) (?:are|is) retried/;
const PROBED = [429, 500, 502, 503, 504];

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(async () => sandbox.close());

const n8n = n8nHarness();

type Vendor = 'thulium' | 'nxcloud' | 'dustess';
const NODES: Record<Vendor, { type: string; parameters: IDataObject; credentials(): Record<string, IDataObject>; customer: IDataObject; path: string }> = {
	thulium: {
		type: 'thuliumBatchCustomers',
		parameters: { operation: 'create', mappingMode: 'autoMapInputData' },
		credentials: () => ({ thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } }),
		customer: { surname: 'S' },
		path: '/batch/customers',
	},
	nxcloud: {
		type: 'nxCloudBatchCustomers',
		parameters: { edition: 'sea', tenantId: String(NXCLOUD_TENANT_ID), mode: 1, mappingMode: 'autoMapInputData' },
		credentials: () => ({ nxCloudApi: { accessKey: NXCLOUD_ACCESS_KEY, accessSecret: NXCLOUD_ACCESS_SECRET, appSecretKey: NXCLOUD_APP_KEY, region: 'custom', baseUrl: `${sandbox.url}/nxcloud` } }),
		customer: { first_name: 'Ann', last_name: 'L' },
		path: '/batch_create',
	},
	dustess: {
		type: 'dustessBatchCustomers',
		parameters: { operation: 'create', mappingMode: 'autoMapInputData' },
		credentials: () => ({ dustessApi: { baseUrl: `${sandbox.url}/dustess`, ...DUSTESS_CLIENT } }),
		customer: { remark: 'R', pool: 'pool-1' },
		path: '/customer/v1/batchAddCustomer',
	},
};

/** How many requests to `path` one create run makes when the first of them meets `fault` (Max Retries 1). */
async function requestsAfter(vendor: Vendor, path: string, fault: Omit<Fault, 'vendor' | 'path'>): Promise<number> {
	await sandbox.reset();
	clearTokenCache();
	await sandbox.inject({ vendor, path, ...fault });
	const node = NODES[vendor];
	await n8n.run({
		input: [node.customer],
		node: { type: node.type, parameters: { ...node.parameters, options: { maxRetries: 1 } }, onError: 'continueRegularOutput' },
		credentials: node.credentials(),
	});
	return (await sandbox.requests(vendor)).filter((request) => request.path.endsWith(path)).length;
}

/** The statuses among PROBED after which the node sends a create request (or Dustess's token request) again. */
async function statusesResent(vendor: Vendor, path: string): Promise<number[]> {
	const resent: number[] = [];
	for (const status of PROBED) if ((await requestsAfter(vendor, path, { type: 'status', status, retryAfter: 0 })) === 2) resent.push(status);
	return resent;
}

describe("the README's statements on retries match what the nodes do", () => {
	it('creates: 429 and 503 are resent, 500, 502 and 504 never (Options, Delivery guarantees, each vendor section)', async () => {
		const options = claim(readme, /\| Max Retries \| 3 \| Resends of a request the vendor did \*\*not\*\* process: HTTP ([^.]*)\./);
		const never = claim(readme, /\(0\.5 s, 1 s, 2 s … ≤ 30 s\)\. ([\d, ]+) and timeouts are never resent for a create/);
		const guarantees = claim(section('Delivery guarantees'), /process the request: HTTP (\d{3} and \d{3})/);
		for (const vendor of ['nxcloud', 'thulium', 'dustess'] as const) {
			const resent = await statusesResent(vendor, NODES[vendor].path);
			expect([vendor, resent]).toEqual([vendor, [429, 503]]);
			expect([vendor, statusesIn(claim(section(vendor === 'nxcloud' ? 'NXCLOUD' : vendor === 'dustess' ? 'Dustess' : 'Thulium'), STATUSES_RETRIED))]).toEqual([vendor, resent]);
			expect(statusesIn(options)).toEqual(resent);
			expect(statusesIn(guarantees)).toEqual(resent);
			expect(statusesIn(never).filter((status) => resent.includes(status))).toEqual([]);
		}
		// NXCLOUD publishes no rate limit: the README names what is not retried as well.
		expect(statusesIn(claim(section('NXCLOUD'), /are retried as \*Retry-After\* or backoff says, ((?:\d{3}(?:\/| and ))*\d{3}) are not/))).toEqual([502, 504]);
	});

	it("Dustess's token request: retried after what the README lists, and nowhere said not to be retried", async () => {
		expect(readme.replace(/\s+/g, ' ').match(/[^.]*token request itself is not retried[^.]*/g)).toBeNull();
		const tokenResent = await statusesResent('dustess', GRANT_PATH);
		expect(tokenResent).toEqual([429, 502, 503, 504]);
		const dustess = claim(section('Dustess'), /The token request itself creates nothing, so it is retried, up to Max Retries times, after ([^;]*);/);
		expect(statusesIn(dustess)).toEqual(tokenResent);
		const assumed = claim(section('Dustess'), /429 and 503 are retried \(the token request also after ([^)]*)\)/);
		const guarantees = claim(section('Delivery guarantees'), /A Dustess token request creates nothing, so it is also retried after ([^(]*)\(/);
		for (const statement of [assumed, guarantees]) expect(statusesIn(statement).filter((status) => !tokenResent.includes(status))).toEqual([]);
		// A dropped connection, which every statement names, is retried too.
		for (const statement of [dustess, assumed, guarantees]) expect(statement).toMatch(/dropped connection/);
		expect(await requestsAfter('dustess', GRANT_PATH, { type: 'drop' })).toBe(2);
		// A refusal of the client ID or secret is not retried, as the section says.
		expect(section('Dustess').replace(/\s+/g, ' ')).toMatch(/a refused client ID or secret is not retried/);
		expect(await requestsAfter('dustess', GRANT_PATH, { type: 'status', status: 200, body: { success: false, code: 10003, msg: 'clientSecret error', data: null } })).toBe(1);
	});
});
