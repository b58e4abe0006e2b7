// Preloaded into n8n by test/bench/n8nProfile.ts (NODE_OPTIONS=--require; Node refuses
// --cpu-prof there): profiles the `n8n execute-batch` process with the inspector and writes
// $BENCH_PROFILE_DIR/<pid>.cpuprofile on exit. The in-process session answers synchronously,
// so stopping works inside the exit handler.
'use strict';
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

const dir = process.env.BENCH_PROFILE_DIR;
if (dir && process.argv.includes('execute-batch')) {
	const session = new inspector.Session();
	session.connect();
	session.post('Profiler.enable');
	session.post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US || 500) });
	session.post('Profiler.start');
	process.on('exit', () => {
		session.post('Profiler.stop', (error, result) => {
			if (!error) fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
		});
	});
}
