import fs from 'node:fs';

/**
 * Sandbox-wide pace, for benchmarks: every answer delayed by `latencyMs`, and at most
 * `ratePerSecond` requests per second per vendor, beyond which the vendor answers 429 with
 * Retry-After without processing the request. `rateWindow` says how they are counted: 'bucket'
 * (default) is a token bucket holding one second's worth; 'sliding' counts the requests taken in
 * the last 1000 ms, so that no sliding second ever holds more than `ratePerSecond` of them.
 * Set with `POST /__control/pace {latencyMs?, ratePerSecond?, rateWindow?}`; a reset clears it. It also adds up
 * how long each vendor took to compute its answers (`handlingMs`: parsing the request, answering
 * it, writing the answer): a benchmark's vendor time that is not the network. That is the CPU time
 * of the sandbox's thread, so that neither a machine busy with other work nor the process's other
 * threads (garbage collection, compilation, which run beside the benchmark's own work) count.
 */
let threadCpu: (() => number) | null | undefined;

/** CPU milliseconds of this thread (Linux: /proc/…/schedstat, in ns); elsewhere of the whole process. */
export function cpuMs(): number {
	if (threadCpu === undefined) {
		try {
			const fd = fs.openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
			const buffer = Buffer.alloc(64);
			threadCpu = () => Number(buffer.toString('latin1', 0, fs.readSync(fd, buffer, 0, 64, 0)).split(' ')[0]) / 1e6;
			if (!Number.isFinite(threadCpu())) threadCpu = null;
		} catch {
			threadCpu = null;
		}
	}
	if (threadCpu) return threadCpu();
	const { user, system } = process.cpuUsage();
	return (user + system) / 1000;
}

export interface PaceSettings {
	latencyMs: number;
	/** 0 = no limit. */
	ratePerSecond: number;
	rateWindow: 'bucket' | 'sliding';
}

const WINDOW_MS = 1000;

export class Pace {
	latencyMs = 0;
	private ratePerSecond = 0;
	private rateWindow: PaceSettings['rateWindow'] = 'bucket';
	private buckets = new Map<string, { tokens: number; at: number }>();
	/** Per vendor, when each request taken in the last second arrived (sliding window). */
	private taken = new Map<string, number[]>();
	private limited = 0;
	private handling = new Map<string, number>();

	configure(settings: Partial<PaceSettings>) {
		if (settings.latencyMs !== undefined) this.latencyMs = Math.max(0, Number(settings.latencyMs) || 0);
		if (settings.ratePerSecond !== undefined) this.ratePerSecond = Math.max(0, Number(settings.ratePerSecond) || 0);
		if (settings.rateWindow !== undefined) this.rateWindow = settings.rateWindow === 'sliding' ? 'sliding' : 'bucket';
		this.buckets.clear();
		this.taken.clear();
		this.limited = 0;
		this.handling.clear();
	}

	reset() {
		this.configure({ latencyMs: 0, ratePerSecond: 0, rateWindow: 'bucket' });
	}

	settings(): PaceSettings {
		return { latencyMs: this.latencyMs, ratePerSecond: this.ratePerSecond, rateWindow: this.rateWindow };
	}

	/** How many requests were answered 429 since the last configure/reset. */
	rateLimited(): number {
		return this.limited;
	}

	/** CPU milliseconds each vendor spent computing answers since the last configure/reset. */
	handlingMs(): Record<string, number> {
		return Object.fromEntries([...this.handling].map(([vendor, ms]) => [vendor, Math.round(ms)]));
	}

	timed<T>(vendor: string, handle: () => T): T {
		const started = cpuMs();
		try {
			return handle();
		} finally {
			this.addHandling(vendor, cpuMs() - started);
		}
	}

	addHandling(vendor: string, ms: number) {
		this.handling.set(vendor, (this.handling.get(vendor) ?? 0) + ms);
	}

	/** Takes a token for this vendor's request; when none is left, says how long to wait. */
	admit(vendor: string, now = Date.now()): { retryAfterSeconds: number } | undefined {
		if (this.ratePerSecond <= 0) return undefined;
		if (this.rateWindow === 'sliding') return this.admitSliding(vendor, now);
		const bucket = this.buckets.get(vendor) ?? { tokens: this.ratePerSecond, at: now };
		bucket.tokens = Math.min(this.ratePerSecond, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
		bucket.at = now;
		this.buckets.set(vendor, bucket);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return undefined;
		}
		this.limited++;
		return { retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond)) };
	}

	/** A request is taken when fewer than `ratePerSecond` were taken in the 1000 ms before it. */
	private admitSliding(vendor: string, now: number): { retryAfterSeconds: number } | undefined {
		const limit = Math.max(1, Math.floor(this.ratePerSecond));
		const recent = (this.taken.get(vendor) ?? []).filter((at) => at > now - WINDOW_MS);
		this.taken.set(vendor, recent);
		if (recent.length < limit) {
			recent.push(now);
			return undefined;
		}
		this.limited++;
		// Until the oldest of them leaves the window.
		return { retryAfterSeconds: Math.max(1, Math.ceil((recent[0] + WINDOW_MS - now) / 1000)) };
	}
}
