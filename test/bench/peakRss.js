// Preloaded into the n8n processes of the real-n8n benchmark (NODE_OPTIONS=--require): on exit,
// writes the process's peak resident set size (getrusage maxrss, exact, not sampled) and its
// command line to $BENCH_RSS_DIR/<pid>.json.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_RSS_DIR;
if (dir) {
	process.on('exit', () => {
		try {
			const report = { pid: process.pid, argv: process.argv.slice(1), maxRssKb: process.resourceUsage().maxRSS };
			fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(report));
		} catch {
			// nothing to report to
		}
	});
}
