import fs from 'node:fs';

/**
 * Sandbox-wide pace, for benchmarks: every answer delayed by `latencyMs`, and at most
 * `ratePerSecond` requests per second per vendor (a token bucket holding one second's worth),
 * beyond which the vendor answers 429 with Retry-After without processing the request.
 * Set with `POST /__control/pace {latencyMs?, ratePerSecond?}`; a reset clears it. It also adds up
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
}

export class Pace {
	latencyMs = 0;
	private ratePerSecond = 0;
	private buckets = new Map<string, { tokens: number; at: number }>();
	private limited = 0;
	private handling = new Map<string, number>();

	configure(settings: Partial<PaceSettings>) {
		if (settings.latencyMs !== undefined) this.latencyMs = Math.max(0, Number(settings.latencyMs) || 0);
		if (settings.ratePerSecond !== undefined) this.ratePerSecond = Math.max(0, Number(settings.ratePerSecond) || 0);
		this.buckets.clear();
		this.limited = 0;
		this.handling.clear();
	}

	reset() {
		this.configure({ latencyMs: 0, ratePerSecond: 0 });
	}

	settings(): PaceSettings {
		return { latencyMs: this.latencyMs, ratePerSecond: this.ratePerSecond };
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
}
