/**
 * A fault to inject into the next matching requests.
 * - `status`: answer with `status` (default 503) and optional `Retry-After`, without processing.
 * - `drop`: close the connection without processing.
 * - `html`: answer a proxy's HTML error page (default 502) without processing.
 * - `malformed`: process, then answer with broken JSON.
 * - `storeThenFail`: process (store the customers), then answer `status` (default 500).
 * - `storeThenDrop`: process, then close the connection.
 * - `latency`: process normally after `latencyMs`.
 */
export interface Fault {
	vendor: string;
	type: 'status' | 'drop' | 'html' | 'malformed' | 'storeThenFail' | 'storeThenDrop' | 'latency';
	/** Only requests whose path contains this text. */
	path?: string;
	status?: number;
	retryAfter?: number;
	body?: unknown;
	latencyMs?: number;
	/** How many matching requests get the fault (default 1). */
	times?: number;
	/** How many matching requests pass untouched before the fault starts (default 0). */
	skip?: number;
}

export class FaultQueue {
	private faults: Fault[] = [];

	add(fault: Fault) {
		this.faults.push({ times: 1, skip: 0, ...fault });
	}

	clear() {
		this.faults = [];
	}

	pending(): number {
		return this.faults.length;
	}

	/** The fault for this request, if one is due; counts it down. */
	take(vendor: string, path: string): Fault | undefined {
		const fault = this.faults.find((f) => f.vendor === vendor && (f.path === undefined || path.includes(f.path)));
		if (!fault) return undefined;
		if (fault.skip! > 0) {
			fault.skip!--;
			return undefined;
		}
		fault.times!--;
		if (fault.times! <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
		return fault;
	}
}
