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
 * Spaces the requests of a run to at most `perSecond` (0: no limit), across every concurrent
 * batch, and holds them all while a vendor's Retry-After runs.
 */
export class Pacer {
	private nextSlot = 0;

	private pausedUntil = 0;

	constructor(private readonly perSecond: number) {}

	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
	}

	/** Waits for this request's turn; gives up waiting once `stopping()` says so. */
	async slot(stopping: () => boolean): Promise<void> {
		let now = Date.now();
		let at = Math.max(now, this.pausedUntil);
		if (this.perSecond > 0) {
			at = Math.max(at, this.nextSlot);
			this.nextSlot = at + 1000 / this.perSecond;
		}
		while (at > now && !stopping()) {
			await sleep(Math.min(at - now, 1000));
			now = Date.now();
			at = Math.max(at, this.pausedUntil);
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

	constructor(maxRequestsPerSecond: number) {
		this.pacer = new Pacer(maxRequestsPerSecond);
	}

	stop(error: VendorError): void {
		this.fatal ??= error;
		this.stopped = true;
	}
}
