/**
 * Where each microsecond of a node run goes, from a V8 CPU profile of the n8n process
 * (test/bench/cpuProfile.js): every sample of the node's window is given to one cost. First the
 * innermost *boundary* on its stack (an n8n entry point our code calls, such as getNodeParameter
 * or the credential's authenticate, with everything it calls); else the innermost frame an area
 * rule names (so validateRecord's helpers count as validation, a JSON.stringify as the code that
 * called it). Samples no rule names count by the area of their leaf frame ("other: …"), so
 * nothing is hidden.
 *
 * Samples are taken by wall clock; on a machine busy with other work a sample also covers time
 * the thread waited for a core. The main thread's CPU time over the window (from /proc, beside
 * the profile) turns the busy samples' share into CPU microseconds per customer.
 */

export interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

export interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

/** test/bench/cpuProfile.js: [monotonic µs, main-thread CPU ticks] every 50 ms. */
export interface CpuTimeline {
	ticksPerSecond: number;
	timeline: Array<[number, number]>;
}

const OUR_CODE = /custom-extensions\/n8n-nodes-customer-batch\/dist\//;

/** Where a frame's code lives, short: `ours:engine/transport.js`, `n8n-core`, `axios`, `node:internal`, … */
export function area(url: string, functionName: string): string {
	if (!url) return functionName.startsWith('(') ? functionName : '(native)';
	const ours = /dist\/(.*)$/.exec(url);
	if (OUR_CODE.test(url) && ours) return `ours:${ours[1].replace(/^nodes\/(shared\/)?/, '')}`;
	const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/g;
	let last: string | undefined;
	for (let match = pkg.exec(url); match; match = pkg.exec(url)) last = match[1];
	if (last) return last;
	if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
	return url;
}

interface Frame {
	fn: string;
	area: string;
}

/** [cost, rule]: boundaries, each with everything it calls; checked from the leaf up before the area rules. */
export const BOUNDARY_RULES: Array<[string, (frame: Frame) => boolean]> = [
	['(garbage collector)', (frame) => frame.fn === '(garbage collector)'],
	['(idle)', (frame) => frame.fn === '(idle)'],
	[
		'n8n: credential loading for every request (getCredentials: database, decryption, defaults)',
		(frame) => /^(getDecrypted|getCredentials)$/.test(frame.fn) && /^(n8n|n8n-core)$/.test(frame.area),
	],
	['n8n: credential authenticate (a generic authenticate\'s expressions)', (frame) => frame.fn === 'authenticate' && frame.area === 'n8n'],
	['n8n: getNodeParameter (parameters, expressions)', (frame) => /(^|\.)_?getNodeParameter$/.test(frame.fn) && frame.area === 'n8n-core'],
];

/** [cost, rule]: the first rule that names a frame gives the sample to that cost. Checked from the leaf up. */
export const COST_RULES: Array<[string, (frame: Frame) => boolean]> = [
	// Our code, by module.
	['ours: validateRecord (schema check, normalising values and dates)', (frame) => /^ours:schema\/(validateRecord|values|dates)\.js$/.test(frame.area)],
	['ours: mapped reads (mappedParameters fast path)', (frame) => frame.area === 'ours:engine/mappedParameters.js'],
	['ours: record from mapped parameters (fromParameterGroup)', (frame) => frame.area === 'ours:schema/fromParameters.js'],
	['ours: toRecords (the loop, Auto-Map input)', (frame) => frame.area === 'ours:engine/toRecords.js'],
	['ours: Skip Duplicate Rows (natural keys)', (frame) => frame.area === 'ours:engine/naturalKeys.js' || frame.fn === 'skipDuplicates'],
	['ours: batching (toBatches)', (frame) => frame.fn === 'toBatches' || frame.fn === 'chunk'],
	['ours: output items (routeOutcomes)', (frame) => frame.area === 'ours:engine/routeOutcomes.js'],
	['ours: redaction of messages (secretRedactor)', (frame) => frame.area === 'ours:engine/redactSecrets.js'],
	['ours: run summary (execution hints)', (frame) => frame.area === 'ours:engine/runSummary.js'],
	[
		'ours: vendor adapter and credential (request body, signature, token, reading the answer)',
		(frame) => /^ours:(Thulium|NxCloud|Dustess|credentials)\//.test(frame.area) || frame.area === 'ours:engine/defaultReading.js',
	],
	[
		'ours: delivery (deliver, sendBatches, pacing, outcomes)',
		(frame) => /^ours:engine\/(transport|sendBatches|runControl|outcomes)\.js$/.test(frame.area),
	],
	['ours: runBatchOperation and the other engine modules (prepareRecords, request parameters, options)', (frame) => frame.area.startsWith('ours:')],
	// n8n, called by our code or running on its own.
	['n8n: database (outside credential loading)', (frame) => /^(@n8n\/typeorm|sqlite3|typeorm)$/.test(frame.area)],
	['n8n: expression engine (outside getNodeParameter)', (frame) => /^(n8n-workflow|@n8n\/tournament|recast|ast-types|esprima-next|luxon)$/.test(frame.area)],
	['HTTP: n8n httpRequest and axios (options, JSON, response)', (frame) => /^(axios|follow-redirects|form-data|proxy-from-env)$/.test(frame.area) || frame.fn === 'httpRequest'],
	['HTTP: Node sockets and http parser', (frame) => /^node:(net|_http_client|_http_common|_http_incoming|_http_outgoing|internal\/streams|stream|events|internal\/net|internal\/dns|dns|internal\/stream_base_commons|_http_agent|zlib|internal\/url|url|internal\/timers|timers)$/.test(frame.area)],
	['n8n: engine (items, paired items, run data)', (frame) => /^(n8n-core|n8n|@n8n\/[^/]+)$/.test(frame.area)],
];

export interface Breakdown {
	windowMs: number;
	busyMs: number;
	/** Main-thread CPU over the window (undefined without a timeline). */
	cpuMs?: number;
	/** CPU per busy wall ms (1 on an idle machine). */
	cpuPerBusyMs: number;
	costs: Array<{ cost: string; ms: number; share: number; usPerCustomer: number }>;
}

/** The window of our node's run: the first sample inside runBatchOperation to the last with our code on the stack. */
export function breakdown(profile: CpuProfile, customers: number, cpu?: CpuTimeline): Breakdown | undefined {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const stack = (id: number) => {
		const frames: Frame[] = [];
		for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
			const { functionName, url } = byId.get(current)!.callFrame;
			frames.push({ fn: functionName, area: area(url, functionName) });
		}
		return frames;
	};
	const stacks = new Map<number, Frame[]>();
	const framesOf = (id: number) => {
		if (!stacks.has(id)) stacks.set(id, stack(id));
		return stacks.get(id)!;
	};
	let time = profile.startTime;
	const times = profile.timeDeltas.map((delta) => (time += delta));
	const first = profile.samples.findIndex((id) => framesOf(id).some((frame) => frame.fn === 'runBatchOperation' && frame.area.startsWith('ours:')));
	let last = -1;
	profile.samples.forEach((id, index) => {
		if (framesOf(id).some((frame) => frame.area.startsWith('ours:'))) last = index;
	});
	if (first < 0 || last < first) return undefined;

	const costOf = new Map<number, string>();
	const cost = (id: number) => {
		if (costOf.has(id)) return costOf.get(id)!;
		const frames = framesOf(id);
		let found: string | undefined;
		for (const rules of [BOUNDARY_RULES, COST_RULES]) {
			for (const frame of frames) {
				found = rules.find(([, rule]) => rule(frame))?.[0];
				if (found) break;
			}
			if (found) break;
		}
		const named = found ?? `other: ${frames[0].area === '(native)' || frames[0].area === '(program)' ? frames[0].fn || frames[0].area : frames[0].area}`;
		costOf.set(id, named);
		return named;
	};
	const wall = new Map<string, number>();
	for (let index = first; index <= last; index++) {
		const duration = (times[index + 1] ?? times[index]) - times[index];
		const name = cost(profile.samples[index]);
		wall.set(name, (wall.get(name) ?? 0) + duration);
	}
	// Each sample lasts until the next one.
	const windowEnd = times[last + 1] ?? times[last];
	const windowUs = windowEnd - times[first];
	const busyUs = windowUs - (wall.get('(idle)') ?? 0);
	let cpuMs: number | undefined;
	if (cpu && cpu.timeline.length > 1) {
		const ticksAt = (us: number) => {
			const line = cpu.timeline;
			let after = line.findIndex(([at]) => at >= us);
			if (after < 0) after = line.length - 1;
			if (after === 0) return line[0][1];
			const [t0, c0] = line[after - 1];
			const [t1, c1] = line[after];
			return t1 === t0 ? c1 : c0 + ((c1 - c0) * (us - t0)) / (t1 - t0);
		};
		cpuMs = ((ticksAt(windowEnd) - ticksAt(times[first])) * 1000) / cpu.ticksPerSecond;
	}
	// Without a timeline, or with a CPU count that could not be right (ticks are 10 ms), count wall time.
	const cpuPerBusyMs = cpuMs !== undefined && cpuMs > 0 && busyUs > 0 ? Math.min(cpuMs / (busyUs / 1000), 1) : 1;
	const costs = [...wall]
		.map(([name, us]) => ({
			cost: name,
			ms: us / 1000,
			share: us / windowUs,
			usPerCustomer: name === '(idle)' ? NaN : (us * cpuPerBusyMs) / customers,
		}))
		.sort((a, b) => b.ms - a.ms);
	return { windowMs: windowUs / 1000, busyMs: busyUs / 1000, cpuMs, cpuPerBusyMs, costs };
}

export function renderBreakdown(result: Breakdown, customers: number): string {
	const lines = [
		`window ${result.windowMs.toFixed(0)} ms, of which busy (not idle) ${result.busyMs.toFixed(0)} ms; main-thread CPU in the window ` +
			`${result.cpuMs === undefined ? 'unknown' : `${result.cpuMs.toFixed(0)} ms`} (${result.cpuPerBusyMs.toFixed(2)} CPU ms per busy ms);` +
			` busy CPU per customer ${((result.busyMs * 1000 * result.cpuPerBusyMs) / customers).toFixed(1)} µs`,
		'',
		'| cost | samples (wall) | share of the window | CPU µs per customer |',
		'| --- | --- | --- | --- |',
		...result.costs.map(
			(entry) => `| ${entry.cost} | ${entry.ms.toFixed(0)} ms | ${(100 * entry.share).toFixed(1)} % | ${Number.isNaN(entry.usPerCustomer) ? '–' : entry.usPerCustomer.toFixed(1)} |`,
		),
	];
	return lines.join('\n');
}
