/**
 * A fault to inject into the next matching requests.
 * - `status`: answer with `status` (default 503) and optional `Retry-After`, without processing.
 * - `drop`: close the connection without processing.
 * - `html`: answer a proxy's HTML error page (default 502) without processing.
 * - `malformed`: process, then answer with broken JSON.
 * - `storeThenFail`: process (store the customers), then answer `status` (default 500) with
 *   `body` (default an error object): `status: 200` with a body such as Dustess's
 *   `{code: 4126, data: null}` or Thulium's `{}` is "a 200 without per-record entries".
 * - `storeThenDrop`: process, then close the connection.
 * - `omitRecords`: process, then answer without the per-record entries at the 0-based `positions`
 *   (default: every other one) — for vendors that answer per record (Thulium, Dustess).
 * - `recordStatus`: process (store the customers), then answer the per-record entries at the
 *   0-based `positions` (default: all) with `status` (default 500) and `body` as their message —
 *   for vendors whose answer carries a status per record (Thulium).
 * - `latency`: process normally after `latencyMs` (a client with a shorter timeout gives up
 *   first; the customers are stored all the same).
 *
 * With `echoRequest`, the text `{{request}}` anywhere in `body` is replaced by the request's
 * URL, headers and body, as a careless vendor error page would quote them (to prove masking).
 */
export interface Fault {
	vendor: string;
	type: 'status' | 'drop' | 'html' | 'malformed' | 'storeThenFail' | 'storeThenDrop' | 'omitRecords' | 'recordStatus' | 'latency';
	/** Only requests whose path contains this text. */
	path?: string;
	status?: number;
	retryAfter?: number;
	body?: unknown;
	latencyMs?: number;
	/** For `omitRecords` and `recordStatus`: the positions (0-based, in the request) whose entries are changed. */
	positions?: number[];
	/** Replace `{{request}}` in `body` with the request's URL, headers and body. */
	echoRequest?: boolean;
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
