/**
 * `npm run bench:profile`: where our node's time goes inside a real n8n. Runs one workflow
 * (default: Thulium, Auto-Map, Concurrent Batches 4, 100,000 customers, sandbox answering at once)
 * with the V8 CPU profiler on the n8n process (test/bench/cpuProfile.js: `--cpu-prof` itself is not
 * allowed in NODE_OPTIONS) and prints, for the stretch in which our node runs
 * (from the node's first sample to the last with a frame of this package), the CPU time by package/file and the
 * heaviest functions by self and by total time.
 *
 *   BENCH_PROFILE_CUSTOMERS=100000  BENCH_PROFILE_MAPPING=auto|mapped  BENCH_PROFILE_VENDOR=thulium  BENCH_PROFILE_RECORDS=simple|full
 *   BENCH_PROFILE_CONCURRENCY=4  BENCH_PROFILE_LATENCY_MS=0  BENCH_PROFILE_TOP=40
 *   BENCH_PROFILE_KEEP=<dir>  keep the .cpuprofile there (open it in Chrome DevTools), with its .cpu.json
 *   BENCH_PROFILE_ANALYSE=<file.cpuprofile>  only analyse a kept profile (BENCH_PROFILE_CUSTOMERS: its customers)
 *
 * After the tables by area and function it prints where each microsecond per customer goes
 * (test/bench/profileBreakdown.ts): every sample of the window given to one cost, in CPU time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createN8nInstance, startSandbox } from '../n8n/harness';
import { executeMeasured } from './n8nRun';
import { NODE_UNDER_TEST, credentials, ourNodeWorkflow } from './n8nWorkflows';
import { area, breakdown, renderBreakdown } from './profileBreakdown';
import type { CpuProfile, CpuTimeline, ProfileNode } from './profileBreakdown';
import type { Mapping, Records, Vendor } from './n8nWorkflows';

const OUR_CODE = /custom-extensions\/n8n-nodes-customer-batch\/dist\//;

export function analyse(profile: CpuProfile, top: number): string {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const isOurs = new Map<number, boolean>();
	const ours = (id: number): boolean => {
		if (isOurs.has(id)) return isOurs.get(id)!;
		const node = byId.get(id)!;
		const result = OUR_CODE.test(node.callFrame.url) || (parent.has(id) && ours(parent.get(id)!));
		isOurs.set(id, result);
		return result;
	};

	// Sample times; the window = first to last sample with our code on the stack.
	let time = profile.startTime;
	const times = profile.timeDeltas.map((delta) => (time += delta));
	const withOurs = profile.samples.map((id) => ours(id));
	// Our modules load at start-up: the window opens with the node's run, not with its require.
	const running = (id: number): boolean => {
		for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
			const frame = byId.get(current)!.callFrame;
			if (frame.functionName === 'runBatchOperation' && OUR_CODE.test(frame.url)) return true;
		}
		return false;
	};
	const first = profile.samples.findIndex(running);
	const last = withOurs.lastIndexOf(true);
	if (first < 0) return 'no sample with our code: is the package loaded from a custom-extensions folder?';

	const self = new Map<number, number>();
	for (let index = first; index <= last; index++) {
		const duration = (times[index + 1] ?? times[index]) - times[index];
		self.set(profile.samples[index], (self.get(profile.samples[index]) ?? 0) + duration);
	}
	const windowUs = times[last] - times[first];
	const key = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${area(node.callFrame.url, node.callFrame.functionName)}:${node.callFrame.lineNumber + 1}`;

	const byArea = new Map<string, number>();
	const selfByFunction = new Map<string, number>();
	const totalByFunction = new Map<string, number>();
	let underOurs = 0;
	for (const [id, duration] of self) {
		const node = byId.get(id)!;
		const where = area(node.callFrame.url, node.callFrame.functionName);
		byArea.set(where, (byArea.get(where) ?? 0) + duration);
		selfByFunction.set(key(node), (selfByFunction.get(key(node)) ?? 0) + duration);
		if (ours(id)) underOurs += duration;
		const seen = new Set<string>();
		for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
			const name = key(byId.get(current)!);
			if (seen.has(name)) continue;
			seen.add(name);
			totalByFunction.set(name, (totalByFunction.get(name) ?? 0) + duration);
		}
	}
	const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
	const pct = (us: number) => `${((100 * us) / windowUs).toFixed(1).padStart(5)} %`;
	const table = (title: string, entries: Map<string, number>, count: number) =>
		[
			`\n${title}`,
			...[...entries]
				.sort((a, b) => b[1] - a[1])
				.slice(0, count)
				.map(([name, us]) => `${ms(us)} ${pct(us)}  ${name}`),
		].join('\n');
	return [
		`window (from the first sample in runBatchOperation to the last with our code on the stack): ${ms(windowUs)}`,
		`samples with our code on the stack (synchronous work our code started): ${ms(underOurs)} ${pct(underOurs)}`,
		table('self time by area', byArea, 25),
		table('self time by function', selfByFunction, top),
		table('total time by function (self + callees, each function once per stack)', totalByFunction, top),
	].join('\n');
}

function report(profileFile: string, count: number, top: number): string {
	const profile = JSON.parse(fs.readFileSync(profileFile, 'utf8')) as CpuProfile;
	const cpuFile = profileFile.replace(/\.cpuprofile$/, '.cpu.json');
	const cpu = fs.existsSync(cpuFile) ? (JSON.parse(fs.readFileSync(cpuFile, 'utf8')) as CpuTimeline) : undefined;
	const costs = breakdown(profile, count, cpu);
	return [analyse(profile, top), '', 'where each microsecond per customer goes', '', costs ? renderBreakdown(costs, count) : 'no window'].join('\n');
}

async function main() {
	const count = Number(process.env.BENCH_PROFILE_CUSTOMERS ?? 100_000);
	if (process.env.BENCH_PROFILE_ANALYSE) {
		console.log(report(process.env.BENCH_PROFILE_ANALYSE, count, Number(process.env.BENCH_PROFILE_TOP ?? 40)));
		return;
	}
	const mapping = (process.env.BENCH_PROFILE_MAPPING ?? 'auto') as Mapping;
	const vendor = (process.env.BENCH_PROFILE_VENDOR ?? 'thulium') as Vendor;
	const records = (process.env.BENCH_PROFILE_RECORDS ?? 'simple') as Records;
	const concurrency = Number(process.env.BENCH_PROFILE_CONCURRENCY ?? 4);
	const latencyMs = Number(process.env.BENCH_PROFILE_LATENCY_MS ?? 0);
	const top = Number(process.env.BENCH_PROFILE_TOP ?? 40);
	const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-profile-'));

	const sandbox = await startSandbox();
	const n8n = await createN8nInstance({
		line: 1,
		install: 'custom',
		env: { NODE_OPTIONS: `--require ${path.join(__dirname, 'cpuProfile.js')}`, BENCH_PROFILE_DIR: profileDir, N8N_RUNNERS_ENABLED: process.env.BENCH_RUNNERS ?? 'true' },
		commandTimeoutMs: 15 * 60_000,
	});
	try {
		await n8n.importCredentials(credentials(sandbox.url));
		const [id] = await n8n.importWorkflows([ourNodeWorkflow('profile0001', { vendor, mapping, concurrency, count, records, nodeType: n8n.nodeType })]);
		for (const file of fs.readdirSync(profileDir)) fs.rmSync(path.join(profileDir, file));
		const call = (body: unknown, pathname: string) =>
			fetch(`${sandbox.url}${pathname}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
		await call({}, '/__control/reset');
		await call({ maxBatch: 100 }, '/__control/configure/dustess');
		await call({ latencyMs }, '/__control/pace');
		const { run, wallMs } = await executeMeasured(n8n, id);
		const task = run.data.resultData.runData[NODE_UNDER_TEST]?.[0];
		if (!task) throw new Error('the node did not run');
		const outputs = (task.data?.main ?? []).map((items) => items?.length ?? 0);
		console.log(`${vendor} ${records} ${mapping} C${concurrency}, ${count} customers, latency ${latencyMs} ms: node ${task.executionTime} ms, wall ${wallMs} ms, outputs ${outputs.join('/')}`);

		const profiles = fs
			.readdirSync(profileDir)
			.filter((file) => file.endsWith('.cpuprofile'))
			.map((file) => path.join(profileDir, file))
			.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
		if (!profiles.length) throw new Error('no .cpuprofile written');
		console.log(report(profiles[0], count, top));
		if (process.env.BENCH_PROFILE_KEEP) {
			fs.mkdirSync(process.env.BENCH_PROFILE_KEEP, { recursive: true });
			const kept = path.join(process.env.BENCH_PROFILE_KEEP, `${vendor}-${records}-${mapping}-c${concurrency}-${count}.cpuprofile`);
			fs.copyFileSync(profiles[0], kept);
			const cpu = profiles[0].replace(/\.cpuprofile$/, '.cpu.json');
			if (fs.existsSync(cpu)) fs.copyFileSync(cpu, kept.replace(/\.cpuprofile$/, '.cpu.json'));
			console.log(`\nprofile kept in ${kept}`);
		}
	} finally {
		await n8n.dispose();
		await sandbox.close();
		fs.rmSync(profileDir, { recursive: true, force: true });
	}
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
