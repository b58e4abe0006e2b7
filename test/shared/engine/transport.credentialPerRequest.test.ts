/**
 * Attacks a review tried that held, kept as regressions: the run's decrypted credential, handed to
 * every request (`credentialsDecrypted`), surfaces nowhere — not in outputs, hints, the node's
 * error or the execution data — when a request fails: refused connection, a TLS handshake on a
 * plain-HTTP port, a reset, and 4xx/5xx bodies quoting the request's headers.
 */
import type { IDataObject } from 'n8n-workflow';

import { n8nHarness } from '../../helpers/n8nWorkflow';
import { startFakeServer } from '../../helpers/fakeServer';
import type { Answer, FakeServer } from '../../helpers/fakeServer';
import { freePorts } from '../../helpers/ports';
import { runExposures, secretLeaks } from '../../helpers/secretsScan';

jest.setTimeout(60_000);

const n8n = n8nHarness();
const LOGIN = 'api_user_2';
const PASSWORD = 'Zażółć-gęślą:jaźń "7"';
const BASIC = Buffer.from(`${LOGIN}:${PASSWORD}`).toString('base64');

let server: FakeServer;
let answer: (headers: IDataObject, body: string) => Answer = () => ({ statusCode: 200, body: {} });
beforeAll(async () => (server = await startFakeServer((request) => answer(request.headers as IDataObject, request.rawBody))));
afterAll(async () => server.close());

async function runThulium(baseUrl: string, continueOnFail: boolean) {
	return n8n.run({
		input: [{ surname: 'Nowak' }, { surname: 'Kowalski' }],
		node: {
			type: 'thuliumBatchCustomers',
			parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 0, batchSize: 1 } },
			onError: continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
		},
		credentials: { thuliumApi: { baseUrl, login: LOGIN, password: PASSWORD } },
	});
}

describe("the run's credential handed to each request", () => {
	const cases: Array<[string, () => Promise<string>]> = [
		['a refused connection', async () => `http://127.0.0.1:${(await freePorts(1))[0]}/api`],
		['https:// on a plain-HTTP port (TLS handshake fails)', async () => `${server.url.replace('http://', 'https://')}/api`],
		['a reset connection', async () => ((answer = () => 'reset'), `${server.url}/api`)],
		['a 401 quoting the Authorization header', async () => ((answer = (headers) => ({ statusCode: 401, body: { message: `bad credentials: ${String(headers.authorization)}` } })), `${server.url}/api`)],
		['a 500 page quoting headers and body', async () => ((answer = (headers, body) => ({ statusCode: 500, body: `<pre>${JSON.stringify(headers)}\n${body}</pre>`, headers: { 'Content-Type': 'text/html' } })), `${server.url}/api`)],
		['a 400 quoting the headers as JSON', async () => ((answer = (headers) => ({ statusCode: 400, body: { errors: [{ message: JSON.stringify(headers) }] } })), `${server.url}/api`)],
	];
	it.each(cases)('%s: no password, no Basic token anywhere, continuing or stopping', async (_, baseUrlOf) => {
		for (const continueOnFail of [true, false]) {
			const run = await runThulium(await baseUrlOf(), continueOnFail);
			expect(run.outputs.flat().length + (run.error ? 1 : 0)).toBeGreaterThan(0);
			expect(secretLeaks(runExposures(run), [PASSWORD, BASIC, JSON.stringify(PASSWORD).slice(1, -1)])).toEqual([]);
		}
	});

	it('did send the credential (the quoted headers held the real Basic token)', () => {
		expect(server.requests.filter((request) => request.headers.authorization === `Basic ${BASIC}`).length).toBeGreaterThanOrEqual(8);
	});
});
