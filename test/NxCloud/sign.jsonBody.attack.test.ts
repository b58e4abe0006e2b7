/**
 * signRequest (the NXCLOUD credential's authenticate) supports an object body: it serialises it
 * once, signs that text and sends it (test/NxCloud/sign.test.ts). Since jsonBody, the engine
 * hands the credential every plain-object body as a Buffer instead; a Buffer is an object, so it
 * was serialised as Node serialises a Buffer (fixed: bytes are signed as their text and sent as
 * they are). Not reached by the NXCLOUD adapter, which builds its body as a string.
 */
import { jsonBody } from '../../nodes/shared/engine/jsonBody';
import { md5Hex, signRequest } from '../../nodes/NxCloud/sign';

describe('signRequest with the body the engine now hands it', () => {
	const credentials = { accessKey: 'key-1', accessSecret: 'secret-1' };

	it('signs and sends the JSON text of an object body that the engine turned into bytes', async () => {
		const body = { name: '牛小信', id: 1 };
		const signed = await signRequest(credentials, { method: 'POST', url: 'https://x', body: jsonBody(body) });
		const sent = Buffer.isBuffer(signed.body) ? signed.body.toString('utf8') : signed.body;
		expect(sent).toBe('{"name":"牛小信","id":1}');
		const headers = signed.headers as Record<string, string>;
		expect(headers.sign).toBe(md5Hex(`accessKey=key-1&action=mt&bizType=2&ts=${headers.ts}&body={"name":"牛小信","id":1}&accessSecret=secret-1`));
	});
});
