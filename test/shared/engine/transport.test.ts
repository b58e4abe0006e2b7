import type { BatchOperation, BatchReading } from '../../../nodes/shared/engine/adapter';
import { backoffMs, connectionErrorCode, connectionWords, requestWithRetries, retryAfterMs, trustedReading } from '../../../nodes/shared/engine/transport';

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
