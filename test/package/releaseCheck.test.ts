/**
 * scripts/release-check.sh: what the release workflow checks before it tests and publishes, run on
 * small package folders made here.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { REPO_ROOT } from './packageFiles';

const SCRIPT = path.join(REPO_ROOT, 'scripts/release-check.sh');
const REPOSITORY = 'git+https://github.com/example-owner/n8n-nodes-example.git';

let tmp: string;
beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-batch-release-'));
});
afterAll(() => {
	fs.rmSync(tmp, { recursive: true, force: true });
});

function packageFolder(changelog: string, repository = REPOSITORY): string {
	const folder = fs.mkdtempSync(path.join(tmp, 'package-'));
	fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'n8n-nodes-example', version: '1.2.3', repository: { type: 'git', url: repository } }));
	fs.writeFileSync(path.join(folder, 'CHANGELOG.md'), changelog);
	return folder;
}

const DATED = '# Changelog\n\n## [Unreleased]\n\n## [1.2.3] - 2026-12-01\n\n### Fixed\n\n- Something.\n';

/** Runs the check outside GitHub Actions unless `github` names the run's ref and repository. */
function check(tag: string, folder: string, github: Record<string, string> = {}) {
	const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GITHUB_')));
	const result = spawnSync('bash', [SCRIPT, tag, folder], { env: { ...env, ...github }, encoding: 'utf8' });
	return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

const onTag = { GITHUB_REF_TYPE: 'tag', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'example-owner/n8n-nodes-example' };

describe('scripts/release-check.sh', () => {
	it('accepts the tag v<version> with a dated changelog entry, in the repository package.json names', () => {
		const result = check('v1.2.3', packageFolder(DATED), onTag);
		expect(result.output).toContain('v1.2.3 is ready to publish');
		expect(result.ok).toBe(true);
	});

	it('refuses a tag that is not the version in package.json', () => {
		const result = check('v1.2.4', packageFolder(DATED), onTag);
		expect(result.ok).toBe(false);
		expect(result.output).toContain("the tag 'v1.2.4' is not v1.2.3");
	});

	it('refuses a run on a branch (workflow_dispatch from a branch)', () => {
		const result = check('main', packageFolder(DATED), { ...onTag, GITHUB_REF_TYPE: 'branch' });
		expect(result.ok).toBe(false);
		expect(result.output).toContain("not on the branch 'main'");
	});

	it('refuses a version whose changelog entry is missing or not dated', () => {
		for (const changelog of ['# Changelog\n\n## [Unreleased]\n', '# Changelog\n\n## [1.2.3] - Unreleased\n', '# Changelog\n\n## [1.2.30] - 2026-12-01\n']) {
			const result = check('v1.2.3', packageFolder(changelog), onTag);
			expect(result.ok).toBe(false);
			expect(result.output).toContain("its heading must read '## [1.2.3] - YYYY-MM-DD'");
		}
	});

	it('refuses a package.json whose repository is not the one the workflow runs in (provenance would be refused)', () => {
		const result = check('v1.2.3', packageFolder(DATED, 'git+https://github.com/someone-else/n8n-nodes-example.git'), onTag);
		expect(result.ok).toBe(false);
		expect(result.output).toContain('repository.url');
		expect(check('v1.2.3', packageFolder(DATED, 'https://github.com/Example-Owner/n8n-nodes-example'), onTag).ok).toBe(true);
	});
});
