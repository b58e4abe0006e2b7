// Preloaded into the n8n processes of the real-n8n benchmark (NODE_OPTIONS=--require): on exit,
// writes the process's peak resident set size (getrusage maxrss, exact, not sampled) and its
// command line to $BENCH_RSS_DIR/<pid>.json.
//
// Also the peak up to the moment `n8n execute-batch` starts writing the benchmark's snapshot
// (`maxRssBeforeSnapshotKb`): the run, n8n's save of the execution and everything before it, but
// not the snapshot, which the benchmark asks for only to read the outputs (a pretty-printed
// JSON.stringify of the whole run: 400–550 MB of RSS with 100,000 customers, for every workflow,
// the No-Op's included; docs/benchmarks-profile.md, "Where the peak RSS happens"). execute-batch
// serialises the snapshot with JSON.stringify(data, null, 2) (formatJsonOutput); n8n's own save
// uses flatted, so the first such call on an execution is where the snapshot starts.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_RSS_DIR;
if (dir) {
	let maxRssBeforeSnapshotKb;
	const stringify = JSON.stringify;
	JSON.stringify = function (value, replacer, space) {
		if (maxRssBeforeSnapshotKb === undefined && space === 2 && value && typeof value === 'object' && value.data && value.data.resultData) {
			maxRssBeforeSnapshotKb = process.resourceUsage().maxRSS;
		}
		return stringify.apply(this, arguments);
	};
	process.on('exit', () => {
		try {
			const report = { pid: process.pid, argv: process.argv.slice(1), maxRssKb: process.resourceUsage().maxRSS, maxRssBeforeSnapshotKb };
			fs.writeFileSync(path.join(dir, `${process.pid}.json`), stringify(report));
		} catch {
			// nothing to report to
		}
	});
}
