import { sleep } from 'n8n-workflow';

import type { VendorError } from './adapter';

/** What a run did, for the summary the node shows after it. */
export interface RunStats {
	requests: number;
	retries: number;
	/** Batches the vendor refused as a whole and the engine halved. */
	splits: number;
	/** 429 answers received. */
	rateLimited: number;
	/** Batches refused as a whole whose halves then went through: the batch was too large. */
	acceptedAfterSplit: number;
}

/**
 * Spaces the requests of a run evenly, 1000 / `perSecond` ms apart across every concurrent batch
 * (0: no limit), so that no sliding second holds more than `perSecond` of them, and holds them
 * while a vendor's Retry-After runs. Requests take their turns in the order they asked; a pause
 * moves every later turn back.
 *
 * Even spacing alone counts on every request taking as long to reach the vendor; a slow one (the
 * first of a process, a busy event loop) would arrive close to later ones. So a request also waits
 * until a second has passed since the answer to the request `perSecond` turns before it: the
 * vendor received that one before it answered, so the two never share a second, whatever the
 * delays on the way.
 */
export class Pacer {
	/** Milliseconds between two requests. */
	readonly interval: number;

	/** How many requests a sliding second may hold. */
	private readonly perWindow: number;

	private lastGrant = -Infinity;

	private pausedUntil = 0;

	private lastTurn: Promise<void> = Promise.resolve();

	/** The last `perWindow` requests, oldest first: when each was answered. */
	private recent: Array<{ answeredAt?: number; answered: Promise<void> }> = [];

	constructor(
		perSecond: number,
		private readonly run: RunControl,
	) {
		this.interval = perSecond > 0 ? 1000 / perSecond : 0;
		this.perWindow = perSecond > 0 ? Math.max(1, Math.floor(perSecond)) : 0;
	}

	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
	}

	/**
	 * Waits for this request's turn; returns at once when the run stops. The caller calls the
	 * function it returns when the request is answered (or failed, or was not sent after all).
	 */
	async slot(): Promise<() => void> {
		const previous = this.lastTurn;
		let done!: () => void;
		this.lastTurn = new Promise((resolve) => (done = resolve));
		try {
			await this.run.until(previous);
			for (;;) {
				if (this.run.stopped) return () => {};
				const bound = this.recent.length === this.perWindow ? this.recent[0] : undefined;
				if (bound && bound.answeredAt === undefined) {
					await this.run.until(bound.answered);
					continue;
				}
				// Read anew after each wait: a Retry-After may have come in meanwhile.
				const at = Math.max(this.pausedUntil, this.lastGrant + this.interval, bound ? bound.answeredAt! + 1000 : -Infinity);
				if (at <= Date.now()) break;
				await this.run.sleep(at - Date.now());
			}
			// The time the turn really came, not the planned one: a late timer never shortens a gap.
			this.lastGrant = Date.now();
			if (this.perWindow === 0) return () => {};
			let answer!: () => void;
			const request: (typeof this.recent)[number] = { answered: new Promise((resolve) => (answer = resolve)) };
			this.recent.push(request);
			if (this.recent.length > this.perWindow) this.recent.shift();
			return () => {
				request.answeredAt ??= Date.now();
				answer();
			};
		} finally {
			done();
		}
	}
}

/** State every batch of one run shares: the stop signal, the pacing and the counters. */
export class RunControl {
	stopped = false;

	/** The first fatal error, which stopped the run. */
	fatal?: VendorError;

	readonly stats: RunStats = { requests: 0, retries: 0, splits: 0, rateLimited: 0, acceptedAfterSplit: 0 };

	readonly pacer: Pacer;

	private readonly stopping: Promise<void>;

	private signalStop!: () => void;

	constructor(maxRequestsPerSecond: number) {
		this.stopping = new Promise((resolve) => (this.signalStop = resolve));
		this.pacer = new Pacer(maxRequestsPerSecond, this);
	}

	stop(error: VendorError): void {
		this.fatal ??= error;
		this.stopped = true;
		this.signalStop();
	}

	/** Waits `ms`, or until the run stops, whichever comes first. */
	async sleep(ms: number): Promise<void> {
		const until = Date.now() + ms;
		for (let left = ms; left > 0 && !this.stopped; left = until - Date.now()) {
			// In steps of at most a second, so that no long timer outlives a stopped run.
			await Promise.race([sleep(Math.min(left, 1000)), this.stopping]);
		}
	}

	/** Waits for `promise` (and throws what it throws), or until the run stops, whichever comes first. */
	async until(promise: Promise<unknown>): Promise<void> {
		await Promise.race([promise, this.stopping]);
	}
}
