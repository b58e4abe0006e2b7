import { startSandbox } from './server';
import type { Sandbox } from './server';
import { THULIUM_USER } from './vendors/thulium';
import { Pace, cpuMs } from './pace';

describe('Pace: the sandbox-wide latency and rate limit', () => {
	it('admits a full second of requests per vendor, then says how long to wait', () => {
		const pace = new Pace();
		pace.configure({ ratePerSecond: 3 });
		const at = 1_000_000;
		expect([1, 2, 3].map(() => pace.admit('thulium', at))).toEqual([undefined, undefined, undefined]);
		expect(pace.admit('thulium', at)).toEqual({ retryAfterSeconds: 1 });
		expect(pace.admit('nxcloud', at)).toBeUndefined();
		expect(pace.rateLimited()).toBe(1);
	});

	it('refills at the configured rate', () => {
		const pace = new Pace();
		pace.configure({ ratePerSecond: 2 });
		const at = 5_000;
		pace.admit('thulium', at);
		pace.admit('thulium', at);
		expect(pace.admit('thulium', at + 400)).toBeDefined();
		expect(pace.admit('thulium', at + 1000)).toBeUndefined();
	});

	it('with a sliding window, refuses a request when the 1000 ms before it already hold the limit', () => {
		const pace = new Pace();
		pace.configure({ ratePerSecond: 2, rateWindow: 'sliding' });
		// A token bucket would take these three (it refills 0.6 of a request in 300 ms): a sliding second does not.
		expect(pace.admit('thulium', 0)).toBeUndefined();
		expect(pace.admit('thulium', 700)).toBeUndefined();
		expect(pace.admit('thulium', 999)).toEqual({ retryAfterSeconds: 1 });
		expect(pace.admit('nxcloud', 999)).toBeUndefined();
		// The first left the window at 1000 ms; a refused request took no place in it.
		expect(pace.admit('thulium', 1000)).toBeUndefined();
		expect(pace.admit('thulium', 1500)).toBeDefined();
		expect(pace.admit('thulium', 1700)).toBeUndefined();
		expect(pace.rateLimited()).toBe(2);
		expect(pace.settings()).toEqual({ latencyMs: 0, ratePerSecond: 2, rateWindow: 'sliding' });
	});

	it('adds up how long each vendor took to answer', () => {
		const pace = new Pace();
		expect(pace.timed('thulium', () => 'answer')).toBe('answer');
		expect(() => pace.timed('nxcloud', () => { throw new Error('boom'); })).toThrow('boom');
		expect(Object.keys(pace.handlingMs()).sort()).toEqual(['nxcloud', 'thulium']);
		pace.reset();
		expect(pace.handlingMs()).toEqual({});
	});

	it("counts the thread's CPU time: it moves with work, not with waiting", async () => {
		const idleFrom = cpuMs();
		// A second of waiting: well under half of it in CPU, even on a busy machine (seen: 127 ms of 300).
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(cpuMs() - idleFrom).toBeLessThan(500);
		const busyFrom = cpuMs();
		let spins = 0;
		while (cpuMs() - busyFrom < 20) spins++;
		expect(spins).toBeGreaterThan(0);
	});

	it('limits nothing without a rate, and a reset clears rate, latency and count', () => {
		const pace = new Pace();
		expect(Array.from({ length: 100 }, () => pace.admit('thulium'))).toEqual(Array(100).fill(undefined));
		pace.configure({ ratePerSecond: 1, latencyMs: 30 });
		pace.admit('thulium', 0);
		pace.admit('thulium', 0);
		pace.reset();
		expect(pace.settings()).toEqual({ latencyMs: 0, ratePerSecond: 0, rateWindow: 'bucket' });
		expect(pace.rateLimited()).toBe(0);
	});
});

describe('the sandbox with a pace', () => {
	let sandbox: Sandbox;
	beforeAll(async () => (sandbox = await startSandbox(0)));
	afterAll(() => sandbox.close());

	const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
		fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
	const auth = { Authorization: `Basic ${Buffer.from(`${THULIUM_USER.login}:${THULIUM_USER.password}`).toString('base64')}` };

	it('answers 429 with Retry-After beyond the rate, stores nothing for it, and counts it', async () => {
		await post('/__control/reset', {});
		await post('/__control/pace', { ratePerSecond: 1 });
		const first = await post('/thulium/api/batch/customers', { customers: [{ surname: 'A' }] }, auth);
		const second = await post('/thulium/api/batch/customers', { customers: [{ surname: 'B' }] }, auth);
		expect(first.status).toBe(200);
		expect(second.status).toBe(429);
		expect(second.headers.get('retry-after')).toBe('1');
		const store = (await (await fetch(`${sandbox.url}/__control/store/thulium`)).json()) as { customers: Array<{ surname: string }> };
		expect(store.customers.map((customer) => customer.surname)).toEqual(['A']);
		expect(await (await fetch(`${sandbox.url}/__control/pace`)).json()).toEqual({
			latencyMs: 0,
			ratePerSecond: 1,
			rateWindow: 'bucket',
			rateLimited: 1,
			handlingMs: { thulium: expect.any(Number) },
		});
	});

	it("counts reading a request as the vendor's computing, also when the vendor never answers it", async () => {
		await post('/__control/reset', {});
		await post('/__control/faults', { vendor: 'nxcloud', type: 'status', status: 503 });
		const refused = await post('/nxcloud/saas/sea/cdp/openapi/customers/batch_create', { customers: Array(1000).fill({ first_name: 'A' }) });
		expect(refused.status).toBe(503);
		const pace = (await (await fetch(`${sandbox.url}/__control/pace`)).json()) as { handlingMs: Record<string, number> };
		expect(Object.keys(pace.handlingMs)).toEqual(['nxcloud']);
	});

	it('delays every answer by the latency', async () => {
		await post('/__control/reset', {});
		await post('/__control/pace', { latencyMs: 120 });
		const started = Date.now();
		const answer = await post('/thulium/api/batch/customers', { customers: [{ surname: 'A' }] }, auth);
		expect(answer.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(115);
		await post('/__control/reset', {});
	});
});
