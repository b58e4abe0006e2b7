import { md5Hex, signatureHeaders, signingText, signRequest } from '../../nodes/NxCloud/sign';

/** The test vector of VENDORS.md §1 (the vendor's common convention page). */
const VECTOR = { accessKey: 'fme2na3kdi3ki', accessSecret: 'abciiiko2k3', ts: 1655710885431, bizType: '1', action: 'send' };

describe('NXCLOUD signature', () => {
	it('builds the documented text: sorted headers, &body=, &accessSecret=', () => {
		const headers = { ts: '1655710885431', bizType: '1', accessKey: 'fme2na3kdi3ki', action: 'send' };
		expect(signingText(headers, '{"name":"牛小信","id":10001}', 'abciiiko2k3')).toBe(
			'accessKey=fme2na3kdi3ki&action=send&bizType=1&ts=1655710885431&body={"name":"牛小信","id":10001}&accessSecret=abciiiko2k3',
		);
	});

	it('reproduces the first test vector (UTF-8 body)', () => {
		expect(md5Hex('accessKey=fme2na3kdi3ki&action=send&bizType=1&ts=1655710885431&body={"name":"牛小信","id":10001}&accessSecret=abciiiko2k3')).toBe(
			'87c3560d3331ae23f1021e2025722354',
		);
		expect(signatureHeaders({ ...VECTOR, body: '{"name":"牛小信","id":10001}' }).sign).toBe('87c3560d3331ae23f1021e2025722354');
	});

	it('reproduces the second test vector (the same body, keys in the other order)', () => {
		expect(signatureHeaders({ ...VECTOR, body: JSON.stringify({ id: 10001, name: '牛小信' }) }).sign).toBe('7750759da06333f20d0640be09355e34');
	});

	it('leaves the body part out without a body, and defaults bizType 2 / action mt', () => {
		const headers = signatureHeaders({ accessKey: 'k', accessSecret: 's', ts: 1 });
		expect(headers).toMatchObject({ accessKey: 'k', action: 'mt', bizType: '2', ts: '1' });
		expect(headers.sign).toBe(md5Hex('accessKey=k&action=mt&bizType=2&ts=1&accessSecret=s'));
	});
});

describe('signRequest (the credential’s authenticate)', () => {
	const credentials = { accessKey: 'key-1', accessSecret: 'secret-1' };

	it('signs a string body exactly as it is and sends it unchanged', async () => {
		const body = '{"b":1, "a":"é"}';
		const signed = await signRequest(credentials, { method: 'POST', url: 'https://x', body, headers: { 'Content-Type': 'application/json' } });
		expect(signed.body).toBe(body);
		const headers = signed.headers as Record<string, string>;
		expect(headers['Content-Type']).toBe('application/json');
		expect(headers.sign).toBe(md5Hex(`accessKey=key-1&action=mt&bizType=2&ts=${headers.ts}&body=${body}&accessSecret=secret-1`));
	});

	it('serialises an object body once and sends that same text', async () => {
		const signed = await signRequest(credentials, { method: 'POST', url: 'https://x', body: { name: '牛小信', id: 1 } });
		expect(signed.body).toBe('{"name":"牛小信","id":1}');
		const headers = signed.headers as Record<string, string>;
		expect(headers.sign).toBe(md5Hex(`accessKey=key-1&action=mt&bizType=2&ts=${headers.ts}&body={"name":"牛小信","id":1}&accessSecret=secret-1`));
	});

	it('signs a GET without a body part, even when n8n hands over an empty body object', async () => {
		const signed = await signRequest(credentials, { url: 'https://x', body: {} });
		const headers = signed.headers as Record<string, string>;
		expect(headers.sign).toBe(md5Hex(`accessKey=key-1&action=mt&bizType=2&ts=${headers.ts}&accessSecret=secret-1`));
	});

	it('gives every attempt a fresh ts and sign, and never sends the secret', async () => {
		const now = jest.spyOn(Date, 'now');
		now.mockReturnValueOnce(1_700_000_000_000).mockReturnValueOnce(1_700_000_000_750);
		const first = (await signRequest(credentials, { method: 'POST', url: 'https://x', body: '{}' })).headers as Record<string, string>;
		const second = (await signRequest(credentials, { method: 'POST', url: 'https://x', body: '{}' })).headers as Record<string, string>;
		now.mockRestore();
		expect([first.ts, second.ts]).toEqual(['1700000000000', '1700000000750']);
		expect(first.sign).not.toBe(second.sign);
		expect(JSON.stringify([first, second])).not.toContain('secret-1');
	});
});
