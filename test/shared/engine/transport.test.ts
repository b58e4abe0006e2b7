import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { clearTokenCache } from '../../../nodes/Dustess/accessToken';
import type { BatchOperation, BatchReading } from '../../../nodes/shared/engine/adapter';
import { SessionError } from '../../../nodes/shared/engine/adapter';
import { backoffMs, connectionErrorCode, connectionWords, isTlsFailure, requestWithRetries, retryAfterMs, thrownStop, trustedReading } from '../../../nodes/shared/engine/transport';
import { startFakeServer } from '../../helpers/fakeServer';
import type { FakeServer } from '../../helpers/fakeServer';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import type { WorkflowRun } from '../../helpers/n8nWorkflow';
import { useTestSandbox } from '../../helpers/sandboxClient';
import { DUSTESS_BAD_CLIENT_CODE, DUSTESS_CLIENT } from '../../sandbox/vendors/dustess';
import { THULIUM_USER } from '../../sandbox/vendors/thulium';

jest.setTimeout(60_000);

describe('retry timing', () => {
	it('reads Retry-After in seconds or as an HTTP date, case-insensitively', () => {
		expect(retryAfterMs({ 'Retry-After': '3' })).toBe(3000);
		expect(retryAfterMs({ 'retry-after': ['0'] })).toBe(0);
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }, now)).toBe(10000);
		expect(retryAfterMs({})).toBeUndefined();
		expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
	});

	it('caps a very long Retry-After at ten minutes', () => {
		expect(retryAfterMs({ 'retry-after': '86400' })).toBe(600000);
	});

	it('backs off exponentially with jitter, within [half, full] of the step', () => {
		for (let attempt = 0; attempt < 8; attempt++) {
			const step = Math.min(500 * 2 ** attempt, 30000);
			const wait = backoffMs(attempt);
			expect(wait).toBeGreaterThanOrEqual(step / 2);
			expect(wait).toBeLessThanOrEqual(step);
		}
	});
});

describe('which answers may be split or resent', () => {
	const operation = { refusalCodes: [1002] } as unknown as BatchOperation;
	const refused: BatchReading = { kind: 'rejected', error: { message: 'bad', vendorCode: 1002 } };
	const response = (statusCode: number) => ({ statusCode, headers: {}, body: {} });

	it('believes a refusal from an HTTP 4xx, or from a documented refusal code', () => {
		expect(trustedReading({ kind: 'rejected', error: { message: 'bad' } }, response(400), operation).kind).toBe('rejected');
		expect(trustedReading(refused, response(200), operation).kind).toBe('rejected');
		expect(trustedReading({ kind: 'fatal', error: { message: 'no', vendorCode: '1002' } }, response(200), operation).kind).toBe('fatal');
	});

	it('reads a claimed refusal in a 2xx or 5xx answer without a documented code as an unknown outcome', () => {
		for (const kind of ['rejected', 'resend', 'fatal'] as const) {
			const reading = trustedReading({ kind, error: { message: 'said no', vendorCode: 4126 } } as BatchReading, response(200), operation);
			expect(reading).toEqual({ kind: 'unknown', error: { message: 'said no; the answer does not prove that nothing was stored', vendorCode: 4126 } });
			expect(trustedReading({ kind, error: { message: 'x' } } as BatchReading, response(500), operation).kind).toBe('unknown');
		}
	});

	it('leaves per-record answers and unknown outcomes as they are', () => {
		const perRecord: BatchReading = { kind: 'perRecord', results: [] };
		expect(trustedReading(perRecord, response(200), operation)).toBe(perRecord);
	});
});

describe('calls that create nothing (a token request)', () => {
	const answers = (...statuses: Array<number | Error>) => {
		const calls: number[] = [];
		const attempt = async () => {
			const next = statuses[calls.length];
			calls.push(calls.length);
			if (next instanceof Error) throw next;
			return { statusCode: next, headers: { 'retry-after': '0' }, body: {} };
		};
		return { calls, attempt };
	};

	it('repeats 429, 502, 503, 504 and refused connections up to Max Retries', async () => {
		const refused = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
		const { calls, attempt } = answers(429, 502, refused, 504, 200);
		const result = await requestWithRetries({ maxRetries: 4, backoffBase: 1 }, attempt);
		expect(result).toEqual({ response: expect.objectContaining({ statusCode: 200 }) });
		expect(calls).toHaveLength(5);
	});

	it('hands back the last answer or error once retries are spent, and never retries a wrong address', async () => {
		const busy = answers(503, 503, 503);
		expect(await requestWithRetries({ maxRetries: 1, backoffBase: 1 }, busy.attempt)).toEqual({ response: expect.objectContaining({ statusCode: 503 }) });
		expect(busy.calls).toHaveLength(2);
		const unknownHost = Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' });
		const wrong = answers(unknownHost, 200);
		expect(await requestWithRetries({ maxRetries: 3, backoffBase: 1 }, wrong.attempt)).toEqual({ failed: unknownHost });
		expect(wrong.calls).toHaveLength(1);
	});

	it('does not repeat an answer that is final (a 400 refusal, a 500)', async () => {
		for (const status of [400, 500]) {
			const { calls, attempt } = answers(status, 200);
			await requestWithRetries({ maxRetries: 3, backoffBase: 1 }, attempt);
			expect(calls).toHaveLength(1);
		}
	});
});

describe('connection errors in words', () => {
	it('names connection errors without the codes n8n would replace with its own text', () => {
		for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'EAI_AGAIN']) {
			expect(connectionWords(code)).not.toMatch(/^E[A-Z]/);
			expect(connectionWords(code)).not.toContain(code);
		}
		expect(connectionWords(undefined)).toBe('no response');
	});
});

describe('reading a connection error as n8n hands it over', () => {
	it('finds the code on the error or its cause (n8n 2.x)', () => {
		expect(connectionErrorCode(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
		expect(connectionErrorCode({ message: 'wrapped', cause: { code: 'ENOTFOUND' } })).toBe('ENOTFOUND');
	});

	it("finds it in a NodeApiError of n8n 1.x, which keeps only the original message and n8n's own text", () => {
		const wrapped = { message: 'The service refused the connection - perhaps it is offline', messages: ['connect ECONNREFUSED 127.0.0.1:9'] };
		expect(connectionErrorCode(wrapped)).toBe('ECONNREFUSED');
		expect(connectionErrorCode({ message: 'The service refused the connection - perhaps it is offline', messages: [] })).toBe('ECONNREFUSED');
		expect(connectionErrorCode({ message: 'The connection cannot be established, this usually occurs due to an incorrect host (domain) value' })).toBe('ENOTFOUND');
		expect(connectionErrorCode({ message: 'timeout of 1000ms exceeded' })).toBe('ETIMEDOUT');
		expect(connectionErrorCode({ message: 'something else entirely' })).toBeUndefined();
	});
});

describe('a failed TLS handshake', () => {
	it('is known by the codes Node gives, and by the words n8n 1.x keeps', () => {
		for (const code of ['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
			expect(isTlsFailure(code)).toBe(true);
		}
		// A record that fails on an established connection: the request may have gone out.
		for (const code of ['ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', 'ECONNRESET', 'ETIMEDOUT', undefined]) expect(isTlsFailure(code)).toBe(false);
		// n8n 1.x: the code as the NodeApiError's httpCode, the original message in `messages` (seen on n8n 1.123).
		expect(connectionErrorCode({ httpCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate', messages: ['self-signed certificate'] })).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
		expect(connectionErrorCode({ httpCode: 'EPROTO', messages: ['write EPROTO 803C:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'] })).toBe('EPROTO');
		// n8n 2.x: the code on the cause.
		expect(connectionErrorCode({ message: 'wrapped', cause: { code: 'CERT_HAS_EXPIRED' } })).toBe('CERT_HAS_EXPIRED');
		expect(isTlsFailure(connectionErrorCode({ message: 'certificate has expired' }))).toBe(true);
		expect(connectionWords('CERT_HAS_EXPIRED')).toBe('TLS handshake failed');
	});

	it('is not retried by a call that creates nothing: no retry will mend the address or the certificate', async () => {
		let calls = 0;
		const selfSigned = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
		const result = await requestWithRetries({ maxRetries: 3, backoffBase: 1 }, async () => {
			calls++;
			throw selfSigned;
		});
		expect({ calls, result }).toEqual({ calls: 1, result: { failed: selfSigned } });
	});
});

describe('why a thrown error stopped the run', () => {
	const node = { name: 'Node', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} } as INode;

	it('keeps what openSession said, the HTTP status n8n kept, or the settings as the cause of a bad address', () => {
		const reason = { message: 'refused', httpStatus: 400, runCause: 'refused (HTTP 400)' };
		expect(thrownStop(new SessionError(node, reason))).toEqual(reason);
		expect(thrownStop(new NodeApiError(node, { message: 'denied', httpCode: '403' }, { message: 'denied', httpCode: '403' }))).toEqual({ message: 'denied', httpStatus: 403 });
		expect(thrownStop(Object.assign(new Error('no such host'), { code: 'ENOTFOUND' }))).toEqual({ message: 'no such host', cause: 'settings' });
		expect(thrownStop(Object.assign(new Error('handshake'), { httpCode: 'EPROTO' }))).toEqual({ message: 'handshake', cause: 'settings' });
		expect(thrownStop(new NodeOperationError(node, 'something else'))).toEqual({ message: 'something else' });
		// A bug's words may quote a record: only its kind is named.
		expect(thrownStop(new TypeError('cannot read Anna'))).toEqual({ message: 'The node failed: an unexpected TypeError' });
	});
});

const n8n = n8nHarness();
let server: FakeServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('a TLS handshake failure', () => {
	it('is reported as OUTCOME_UNKNOWN (mayBeStored, checkVendorFirst) for every batch, and the run goes on sending, though no request reached the vendor', async () => {
		server = await startFakeServer(() => ({ statusCode: 201, body: {} }));
		const httpsToHttpPort = server.url.replace('http://', 'https://');
		const run = await n8n.run({
			input: Array.from({ length: 6 }, (_, index) => ({ surname: `S${index}` })),
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { batchSize: 2, maxRetries: 0 } }, onError: 'continueRegularOutput' },
			credentials: { thuliumApi: { baseUrl: `${httpsToHttpPort}/api`, ...THULIUM_USER } },
		});
		// No HTTP request arrived: the handshake failed before anything was sent.
		expect(server.requests).toHaveLength(0);
		const failure = run.outputs[1] ?? [];
		const outcomes = failure.map((item) => {
			const error = item.json.error as IDataObject;
			return `${error.code === 'NOT_DELIVERED' ? 'NOT_SENT' : error.code} mayBeStored=${error.mayBeStored} ${error.nextStep}`;
		});
		// Like a host that is not found: NOT_DELIVERED for the batch that met it, NOT_SENT for the rest, fix the settings.
		expect(outcomes).toEqual(Array(6).fill('NOT_SENT mayBeStored=false fixSettings'));
	});
});

describe('nextStep after a run stopped on its session', () => {
	const sandbox = useTestSandbox();

	const contacts = (count: number) =>
		Array.from({ length: count }, (_, index) => ({ remark: `C${index}`, pool: 'pool-1', mobiles: [{ tel: `1390000${String(index).padStart(4, '0')}`, type: 'mobile' }] }));
	const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;
	const customerRequests = async () => (await sandbox.requests('dustess')).filter((request) => request.path.startsWith('/customer/'));

	function runDustess(input: IDataObject[], options: IDataObject): Promise<WorkflowRun> {
		return n8n.run({
			input,
			node: { type: 'dustessBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options }, onError: 'continueRegularOutput' },
			credentials: { dustessApi: { baseUrl: `${sandbox.url}/dustess`, ...DUSTESS_CLIENT } },
		});
	}

	it('rows not sent after a renewed session was refused the same way ("a configuration problem") are told sendAgainLater, and the recipe then burns them as mayBeStored', async () => {
		await sandbox.configure('dustess', { expiredTokenAnswer: 'undocumented', rejectAllTokens: true });
		const first = await runDustess(contacts(30), { batchSize: 10, maxRetries: 3 });
		const failure = first.outputs[1];
		const stop = first.hints.find((hint) => hint.message.startsWith('The run stopped'));
		expect(stop?.message).toMatch(/configuration problem/);
		const notSent = failure.filter((item) => errorOf(item).code === 'NOT_SENT');
		expect(notSent).toHaveLength(10);

		// What the recipe's Filter keeps: `{{ $json.error.nextStep }}` is `sendAgainLater`.
		const resent = failure.map((item) => item.json).filter((json) => (json.error as IDataObject).nextStep === 'sendAgainLater');
		const second = resent.length ? await runDustess(resent, { batchSize: 10, maxRetries: 3 }) : undefined;
		const newlyMayBeStored = second ? second.outputs[1].filter((item) => errorOf(item).mayBeStored === true).length : 0;

		// The README: the run "stops as a configuration problem (check the credential …)": fix the settings first.
		expect({ nextSteps: [...new Set(notSent.map((item) => errorOf(item).nextStep))], rowsResentByTheRecipe: resent.length, newlyMayBeStored }).toEqual({
			nextSteps: ['fixSettings'],
			rowsResentByTheRecipe: 0,
			newlyMayBeStored: 0,
		});
	});

	it('rows not sent because the token could not be renewed mid-run (client secret refused) are told sendAgainLater, while the same refusal at the start says fixSettings', async () => {
		const refusal = { vendor: 'dustess', type: 'status' as const, path: '/auth/v1/access_token/token', status: 200, body: { success: false, code: DUSTESS_BAD_CLIENT_CODE, msg: 'clientId 或 clientSecret 错误', data: null } };

		// At the start of a run.
		await sandbox.inject(refusal);
		const atStart = await runDustess(contacts(20), { batchSize: 10, maxRetries: 0 });
		expect(atStart.outputs[1].map((item) => errorOf(item).code)).toEqual(Array(20).fill('NOT_SENT'));
		const startSteps = [...new Set(atStart.outputs[1].map((item) => errorOf(item).nextStep))];

		// Mid-run: batch 1 is stored, then the token is revoked and its renewal is refused the same way.
		await sandbox.reset();
		clearTokenCache();
		await sandbox.configure('dustess', { revokeTokensAfterCalls: 1 });
		await sandbox.inject({ ...refusal, skip: 1 });
		const midRun = await runDustess(contacts(20), { batchSize: 10, maxRetries: 0 });
		expect(midRun.outputs[0]).toHaveLength(10);
		expect(await customerRequests()).toHaveLength(2);
		const unsent = midRun.outputs[1].filter((item) => errorOf(item).code === 'NOT_SENT');
		expect(unsent).toHaveLength(10);
		expect(errorOf(unsent[0]).message).toMatch(/refused the client ID or secret/);
		const midRunSteps = [...new Set(unsent.map((item) => errorOf(item).nextStep))];

		expect({ startSteps, midRunSteps }).toEqual({ startSteps: ['fixSettings'], midRunSteps: ['fixSettings'] });
	});
});
