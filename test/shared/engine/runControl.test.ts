import { Pacer, RunControl } from '../../../nodes/shared/engine/runControl';

describe('pacing the requests of a run', () => {
	it('spaces requests to the rate across concurrent callers', async () => {
		const pacer = new Pacer(20);
		const started: number[] = [];
		const begin = Date.now();
		await Promise.all(Array.from({ length: 6 }, async () => {
			await pacer.slot(() => false);
			started.push(Date.now() - begin);
		}));
		started.sort((a, b) => a - b);
		// Six slots at 20 per second: the last one starts no sooner than 5 × 50 ms after the first.
		expect(started[5] - started[0]).toBeGreaterThanOrEqual(240);
	});

	it('holds every caller while a Retry-After runs, and lets a stopping run go at once', async () => {
		const pacer = new Pacer(0);
		pacer.pause(150);
		const begin = Date.now();
		await pacer.slot(() => false);
		expect(Date.now() - begin).toBeGreaterThanOrEqual(140);

		pacer.pause(60000);
		const control = new RunControl(0);
		control.stop({ message: 'stop' });
		const stoppedAt = Date.now();
		await pacer.slot(() => control.stopped);
		expect(Date.now() - stoppedAt).toBeLessThan(1000);
	});

	it('has no limit at 0', async () => {
		const pacer = new Pacer(0);
		const begin = Date.now();
		for (let index = 0; index < 100; index++) await pacer.slot(() => false);
		expect(Date.now() - begin).toBeLessThan(500);
	});

	it('keeps the first fatal error', () => {
		const control = new RunControl(0);
		control.stop({ message: 'first' });
		control.stop({ message: 'second' });
		expect(control.fatal?.message).toBe('first');
		expect(control.stopped).toBe(true);
	});
});
