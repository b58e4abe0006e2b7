// Preloaded into n8n by test/bench/n8nProfile.ts (NODE_OPTIONS=--require; Node refuses
// --cpu-prof there): profiles the `n8n execute-batch` process with the inspector and writes
// $BENCH_PROFILE_DIR/<pid>.cpuprofile on exit. The in-process session answers synchronously,
// so stopping works inside the exit handler.
//
// Beside it, <pid>.cpu.json: the main thread's CPU time (/proc, in clock ticks of 10 ms) every
// 50 ms against the monotonic clock the profile's timestamps use, so that a stretch of the
// profile can be turned into CPU time even when the machine is busy with other work (samples
// are taken by wall clock).
'use strict';
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

const dir = process.env.BENCH_PROFILE_DIR;
if (dir && process.argv.includes('execute-batch')) {
	const statFile = `/proc/self/task/${process.pid}/stat`;
	const mainThreadTicks = () => {
		try {
			// Fields after "(comm) ": state is the 3rd field of the line, utime the 14th, stime the 15th.
			const fields = fs.readFileSync(statFile, 'utf8').split(') ')[1].split(' ');
			return Number(fields[11]) + Number(fields[12]);
		} catch {
			return NaN;
		}
	};
	const nowUs = () => Number(process.hrtime.bigint() / 1000n);
	const timeline = [];
	const mark = () => timeline.push([nowUs(), mainThreadTicks()]);
	const session = new inspector.Session();
	session.connect();
	session.post('Profiler.enable');
	session.post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US || 500) });
	mark();
	session.post('Profiler.start');
	setInterval(mark, 50).unref();
	process.on('exit', () => {
		mark();
		session.post('Profiler.stop', (error, result) => {
			if (error) return;
			fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
			const usage = process.cpuUsage();
			fs.writeFileSync(
				path.join(dir, `${process.pid}.cpu.json`),
				JSON.stringify({ ticksPerSecond: 100, timeline, processCpuMs: (usage.user + usage.system) / 1000 }),
			);
		});
	});
}
