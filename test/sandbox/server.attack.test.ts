/**
 * Attacks on the sandbox's request log keeping bodies as bytes (decoded when the log is read):
 * /__control/requests must give every body as decoding it as UTF-8 gave before, whatever its bytes,
 * however it was uploaded (in one piece or in chunks split inside a character).
 */
import http from 'node:http';

import { startTestSandbox } from '../helpers/sandboxClient';
import type { SandboxHandle } from '../helpers/sandboxClient';

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(async () => sandbox.close());
beforeEach(async () => sandbox.reset());

/** Posts the bytes to a vendor path in the given chunks (chunked transfer encoding when more than one). */
function post(path: string, chunks: Buffer[]): Promise<number> {
	return new Promise((resolve, reject) => {
		const url = new URL(`${sandbox.url}${path}`);
		const headers: Record<string, string> = { 'Content-Type': 'application/json' };
		if (chunks.length === 1) headers['Content-Length'] = String(chunks[0].length);
		const request = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode ?? 0));
		});
		request.on('error', reject);
		for (const chunk of chunks) request.write(chunk);
		request.end();
	});
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const bodies: Record<string, Buffer> = {
	ascii: utf8('{"surname":"Nowak"}'),
	'Polish and emoji': utf8('{"surname":"Wiśniewska 😀","city":"Łódź"}'),
	'a BOM': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{"a":"ł"}')]),
	'invalid UTF-8': Buffer.concat([utf8('{"a":"'), Buffer.from([0xc5, 0xff, 0xed, 0xa0, 0x80]), utf8('"}')]),
	'\\u escapes and an escaped backslash before u': utf8('{"a":"\\u0141","b":"\\\\u0041 ż"}'),
	'not JSON': utf8('surname=Łódź&x=1'),
	'over 64 KB': utf8(JSON.stringify({ customers: Array.from({ length: 1500 }, (_, index) => ({ surname: `Wiśniewska-${index}`, city: 'Łódź' })) })),
};

describe('/__control/requests gives each body as decoding it as UTF-8 did', () => {
	it.each(Object.entries(bodies))('%s, in one piece and in chunks split inside characters', async (_name, bytes) => {
		await post('/thulium/api/customers', [bytes]);
		const cuts = [...new Set([1, 7, Math.floor(bytes.length / 2), bytes.length - 1])].filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b);
		const chunks = [0, ...cuts].map((start, index) => bytes.subarray(start, [...cuts, bytes.length][index]));
		await post('/thulium/api/customers', chunks);
		const logged = await sandbox.requests('thulium');
		expect(logged.map((request) => request.rawBody)).toEqual([bytes.toString('utf8'), bytes.toString('utf8')]);
	});
});
