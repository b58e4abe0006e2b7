#!/usr/bin/env bash
# `npm test`: every check of the project, in the order a failure is cheapest to find.
#   lint → typecheck → build → unit tests → package (workflows, n8n's scanner, tarball)
#   → real n8n 1.x and 2.x → browser
# Installs what it needs on a fresh machine (pinned n8n runtimes, Chromium, Postgres and Redis),
# cached after the first run. N8N_TEST_LINES=1 limits the real-n8n tests to n8n 1.x;
# SKIP_BROWSER=1 skips the browser test (both are for local iterations).
# CI splits the run into parallel jobs that together run every stage
# (.github/workflows/ci.yml): SKIP_UNIT=1 skips the unit and package stages, SKIP_N8N=1 the
# real-n8n and browser stages. TEST_REPORTS_DIR keeps the jest JSON reports in that folder.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -n ${TEST_REPORTS_DIR:-} ]]; then
	results=$TEST_REPORTS_DIR
	mkdir -p "$results"
	rm -f "$results"/*.json
else
	results=$(mktemp -d)
	trap 'rm -rf "$results"' EXIT
fi
step() { printf '\n=== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }
jest_run() {
	local name=$1
	shift
	npx jest --json --outputFile="$results/$name.json" "$@"
}

step lint
npm run lint

step typecheck
npm run typecheck

step build
npm run build

if [[ ${SKIP_UNIT:-0} != 1 ]]; then
	step 'unit and sandbox tests'
	jest_run unit

	# What n8n's verification checks on the published package, on the dist/ just built:
	# actionlint on the workflows, n8n's scanner on the source and the packed tarball, the
	# tarball's file list and size, LICENSE/CHANGELOG/README against package.json.
	step 'package: workflows, n8n scanner, tarball'
	PACKAGE_TESTS=1 jest_run package-checks
fi

lines=${N8N_TEST_LINES:-1,2}
if [[ ${SKIP_N8N:-0} != 1 ]]; then
	step "n8n runtimes (lines $lines)"
	for line in ${lines//,/ }; do bash scripts/n8n-runtime.sh ensure "$line" >/dev/null; done

	# Queue mode (test/n8n/queue.n8n.test.ts) needs Postgres and Redis: installed with apt-get when
	# missing; the test starts and stops its own instances.
	step 'Postgres and Redis for queue mode'
	services_started=$(date +%s)
	bash scripts/queue-services.sh install
	echo "Postgres and Redis ready in $(($(date +%s) - services_started)) s"

	step "real n8n (lines $lines)"
	N8N_TESTS=1 N8N_TEST_LINES=$lines jest_run n8n --runInBand

	if [[ ${SKIP_BROWSER:-0} != 1 ]]; then
		step 'browser'
		bash scripts/ensure-chromium.sh >/dev/null
		BROWSER_TESTS=1 N8N_TEST_LINES=$lines jest_run browser --runInBand
	fi
fi

node -e '
	const fs = require("fs");
	let passed = 0, failed = 0;
	for (const file of fs.readdirSync(process.argv[1]).filter((name) => name.endsWith(".json"))) {
		const report = JSON.parse(fs.readFileSync(`${process.argv[1]}/${file}`, "utf8"));
		passed += report.numPassedTests;
		failed += report.numFailedTests;
	}
	console.log(`\n${passed} passed, ${failed} failed`);
' "$results"
