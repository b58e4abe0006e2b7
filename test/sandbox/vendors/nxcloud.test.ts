import { createHash } from 'node:crypto';

import { startTestSandbox } from '../../helpers/sandboxClient';
import type { SandboxHandle } from '../../helpers/sandboxClient';
import { NXCLOUD_ACCESS_KEY, NXCLOUD_ACCESS_SECRET, NXCLOUD_APP_KEY, NXCLOUD_TENANT_ID } from './nxcloud';

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(async () => sandbox.close());
beforeEach(async () => sandbox.reset());

/** Posts these bytes to the SEA batch_create, signed over `signedText` (UTF-8) as NXCLOUD documents. */
async function post(bytes: Buffer, signedText: string) {
	const headers = { accessKey: NXCLOUD_ACCESS_KEY, action: 'mt', bizType: '2', ts: String(Date.now()) };
	const text = `${Object.entries(headers).map(([name, value]) => `${name}=${value}`).join('&')}&body=${signedText}&accessSecret=${NXCLOUD_ACCESS_SECRET}`;
	const response = await fetch(`${sandbox.url}/nxcloud/saas/sea/cdp/openapi/customers/batch_create`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', ...headers, sign: createHash('md5').update(text, 'utf8').digest('hex') },
		body: bytes,
	});
	return (await response.json()) as { code: number; message: string };
}

describe('NXCLOUD sandbox: the signature covers the body exactly as received', () => {
	it('accepts a body with non-ASCII texts signed over its text, stores them decoded and logs the text', async () => {
		const body = JSON.stringify({ type: 0, tenant_id: NXCLOUD_TENANT_ID, app_key: NXCLOUD_APP_KEY, customers: [{ first_name: 'Paweł', last_name: 'Wiśniewski', country: 'Łódź 四川' }] });
		expect(await post(Buffer.from(body), body)).toMatchObject({ code: 0 });
		const store = await sandbox.store<{ customers: Array<Record<string, unknown>> }>('nxcloud');
		expect(store.customers).toEqual([{ first_name: 'Paweł', last_name: 'Wiśniewski', country: 'Łódź 四川', customer_id: 1, edition: 'sea' }]);
		expect((await sandbox.requests('nxcloud'))[0].rawBody).toBe(body);
	});

	it('refuses a non-ASCII body signed over other bytes', async () => {
		const body = JSON.stringify({ type: 0, tenant_id: NXCLOUD_TENANT_ID, app_key: NXCLOUD_APP_KEY, customers: [{ first_name: 'Paweł', last_name: 'N' }] });
		expect(await post(Buffer.from(body), body.replace('ł', 'l'))).toMatchObject({ code: 1003 });
	});

	it('checks a body that is not valid UTF-8 against its decoded text, as a server decoding it would', async () => {
		const bytes = Buffer.concat([Buffer.from('{"type":0,"customers":"a'), Buffer.from([0xc5]), Buffer.from('"}')]);
		expect(await post(bytes, bytes.toString('utf8'))).toMatchObject({ code: 1002 });
		expect((await sandbox.requests('nxcloud'))[0].rawBody).toBe(bytes.toString('utf8'));
	});
});
