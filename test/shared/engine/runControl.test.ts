import type { IDataObject } from 'n8n-workflow';

import { RunControl } from '../../../nodes/shared/engine/runControl';
import { mostInWindow } from '../../helpers/arrivals';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import { useTestSandbox } from '../../helpers/sandboxClient';
import { DUSTESS_CLIENT } from '../../sandbox/vendors/dustess';
import { THULIUM_USER } from '../../sandbox/vendors/thulium';

/**
 * `count` callers asking the pacer for a turn at once, each request answered `answerMs` after its
 * turn; the time each got its turn, in the order granted.
 */
async function turns(run: RunControl, count: number, answerMs = 0): Promise<number[]> {
	const granted: number[] = [];
	await Promise.all(Array.from({ length: count }, async () => {
		const answered = await run.pacer.slot();
		granted.push(Date.now());
		await new Promise((resolve) => setTimeout(resolve, answerMs));
		answered();
	}));
	return granted;
}

jest.setTimeout(60_000);

const gaps = (times: number[]) => times.slice(1).map((time, index) => time - times[index]);

describe('pacing the requests of a run', () => {
	it('spaces requests evenly across concurrent callers, 1000 / limit ms apart', async () => {
		const run = new RunControl(20);
		expect(run.pacer.interval).toBe(50);
		const granted = await turns(run, 6);
		// Timers fire late, never early: every gap is at least the interval (1 ms of clock rounding).
		for (const gap of gaps(granted)) expect(gap).toBeGreaterThanOrEqual(49);
	});

	it('never lets limit + 1 requests into one sliding second', async () => {
		const run = new RunControl(10);
		const granted = await turns(run, 12);
		expect(granted[10] - granted[0]).toBeGreaterThanOrEqual(1000);
		expect(mostInWindow(granted)).toBeLessThanOrEqual(10);
	});

	it('starts request limit + 1 no sooner than a second after the answer to the first: a slow request cannot share a second with later ones', async () => {
		const run = new RunControl(2);
		const first = await run.pacer.slot();
		const second = await run.pacer.slot();
		second();
		// The first request takes 700 ms to be answered: the vendor may have received it just before answering.
		setTimeout(first, 700);
		const begin = Date.now();
		await run.pacer.slot();
		expect(Date.now() - begin).toBeGreaterThanOrEqual(1699);
	});

	it('moves the whole schedule back for a Retry-After instead of releasing every waiter at once', async () => {
		const run = new RunControl(4);
		await run.pacer.slot();
		const pausedAt = Date.now();
		run.pacer.pause(400);
		const granted = await turns(run, 3);
		expect(granted[0] - pausedAt).toBeGreaterThanOrEqual(399);
		for (const gap of gaps(granted)) expect(gap).toBeGreaterThanOrEqual(run.pacer.interval - 1);
	});

	it('holds every caller while a Retry-After runs, without a limit too, and lets a stopping run go at once', async () => {
		const run = new RunControl(0);
		run.pacer.pause(150);
		const begin = Date.now();
		await run.pacer.slot();
		expect(Date.now() - begin).toBeGreaterThanOrEqual(140);

		run.pacer.pause(60000);
		const waiting = turns(run, 3);
		setTimeout(() => run.stop({ message: 'stop' }), 50);
		const stoppedAt = Date.now();
		await waiting;
		expect(Date.now() - stoppedAt).toBeLessThan(1000);
	});

	it('has no limit at 0', async () => {
		const run = new RunControl(0);
		const begin = Date.now();
		for (let index = 0; index < 100; index++) await run.pacer.slot();
		expect(Date.now() - begin).toBeLessThan(500);
	});
});

describe('the run control', () => {
	it('keeps the first fatal error', () => {
		const control = new RunControl(0);
		control.stop({ message: 'first' });
		control.stop({ message: 'second' });
		expect(control.fatal?.message).toBe('first');
		expect(control.stopped).toBe(true);
	});

	it('ends a wait, and a wait for something else, as soon as the run stops', async () => {
		const control = new RunControl(0);
		const begin = Date.now();
		setTimeout(() => control.stop({ message: 'stop' }), 50);
		await Promise.all([control.sleep(60_000), control.until(new Promise(() => undefined))]);
		expect(Date.now() - begin).toBeLessThan(1000);
		// Once stopped, a wait does not even start.
		const after = Date.now();
		await control.sleep(60_000);
		expect(Date.now() - after).toBeLessThan(50);
	});

	it('waits the full time while the run goes on', async () => {
		const control = new RunControl(0);
		const begin = Date.now();
		await control.sleep(120);
		expect(Date.now() - begin).toBeGreaterThanOrEqual(119);
	});
});

describe('pacing a run at the vendor\'s limit, in n8n\'s engine', () => {
	const sandbox = useTestSandbox();
	const n8n = n8nHarness();
	const contacts = (count: number) =>
		Array.from({ length: count }, (_, index) => ({ remark: `C${index}`, pool: 'pool-1', mobiles: [{ tel: `1390000${String(index).padStart(4, '0')}`, type: 'mobile' }] }));

	it('Dustess at the vendor\'s 3/s sliding limit, Concurrent Batches 4: a token revoked mid-run (renewal and resends) draws no 429', async () => {
		await sandbox.pace({ ratePerSecond: 3, rateWindow: 'sliding', latencyMs: 30 });
		await sandbox.configure('dustess', { revokeTokensAfterCalls: 3 });
		const run = await n8n.run({
			input: contacts(40),
			node: { type: 'dustessBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { batchSize: 5, concurrency: 4, maxRequestsPerSecond: 3 } } },
			credentials: { dustessApi: { baseUrl: `${sandbox.url}/dustess`, ...DUSTESS_CLIENT } },
		});
		expect(run.error).toBeUndefined();
		const { rateLimited } = await sandbox.pace();
		expect(rateLimited ?? 0).toBe(0);
		expect(run.outputs[0]).toHaveLength(40);
		const store = await sandbox.store<{ contacts: IDataObject[]; tokensIssued: number }>('dustess');
		expect(store.contacts).toHaveLength(40);
		// The revocation happened: the token was renewed during the run.
		expect(store.tokensIssued).toBe(2);
	});

	it('Thulium at the vendor\'s 2/s sliding limit, Concurrent Batches 6: after a 429 with Retry-After the waiting batches do not burst', async () => {
		await sandbox.pace({ ratePerSecond: 2, rateWindow: 'sliding' });
		await sandbox.inject({ vendor: 'thulium', type: 'status', status: 429, retryAfter: 1 });
		const run = await n8n.run({
			input: Array.from({ length: 12 }, (_, index) => ({ surname: `S${index}` })),
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { batchSize: 1, concurrency: 6, maxRequestsPerSecond: 2 } } },
			credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
		});
		expect(run.error).toBeUndefined();
		const { rateLimited } = await sandbox.pace();
		expect(rateLimited ?? 0).toBe(0);
		expect(run.outputs[0]).toHaveLength(12);
	});
});
