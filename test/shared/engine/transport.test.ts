import { backoffMs, retryAfterMs } from '../../../nodes/shared/engine/transport';

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
