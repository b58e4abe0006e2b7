/**
 * LICENSE, CHANGELOG.md and the README's Compatibility, Releasing, Version history and License
 * sections against package.json and the n8n versions the tests pin (scripts/n8n-runtime.sh).
 */
import { packageJson, readRepoFile } from './packageFiles';

const readme = readRepoFile('README.md');
const changelog = readRepoFile('CHANGELOG.md');
const runtimeScript = readRepoFile('scripts/n8n-runtime.sh');

/** A `## Heading` section of the README, up to the next `## `. */
function section(heading: string): string {
	const start = readme.indexOf(`\n## ${heading}\n`);
	if (start < 0) throw new Error(`README has no "## ${heading}" section`);
	const end = readme.indexOf('\n## ', start + 1);
	return readme.slice(start, end < 0 ? undefined : end);
}

function pinned(name: string): string {
	const value = new RegExp(`^${name}=(\\S+)$`, 'm').exec(runtimeScript)?.[1];
	if (!value) throw new Error(`scripts/n8n-runtime.sh pins no ${name}`);
	return value;
}

/** github.com/owner/repo of package.json's repository.url. */
const repositoryUrl = packageJson.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

describe('package.json', () => {
	it('is what n8n lists as a community package: its name, keyword, node API and MIT licence', () => {
		expect(packageJson.name).toMatch(/^n8n-nodes-/);
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(packageJson.n8n.n8nNodesApiVersion).toBe(1);
		expect(packageJson.license).toBe('MIT');
		expect(packageJson.repository.url).toMatch(/^(git\+)?https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
	});
});

describe('LICENSE', () => {
	const license = readRepoFile('LICENSE');

	it('is the MIT licence package.json names, held by the package author', () => {
		expect(license.split('\n')[0]).toBe('MIT License');
		expect(license).toMatch(new RegExp(`^Copyright \\(c\\) \\d{4} ${packageJson.author.name}$`, 'm'));
		expect(license).toContain('Permission is hereby granted, free of charge, to any person obtaining a copy');
		expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
	});
});

describe('CHANGELOG.md', () => {
	const headings = [...changelog.matchAll(/^## (.*)$/gm)].map((match) => match[1]);

	it('opens with an Unreleased section, then one dated (or not yet released) section per version', () => {
		expect(headings[0]).toBe('[Unreleased]');
		expect(headings.length).toBeGreaterThan(1);
		for (const heading of headings.slice(1)) expect(heading).toMatch(/^\[\d+\.\d+\.\d+\] - (\d{4}-\d{2}-\d{2}|Unreleased)$/);
	});

	it("has package.json's version as its newest entry", () => {
		expect(headings[1]).toMatch(new RegExp(`^\\[${packageJson.version.replace(/\./g, '\\.')}\\] `));
	});

	it('uses only the Keep a Changelog kinds of change', () => {
		for (const [, kind] of changelog.matchAll(/^### (.*)$/gm)) expect(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security']).toContain(kind);
	});

	it("links each version to this repository's tag", () => {
		for (const heading of headings) {
			const version = /^\[([^\]]+)\]/.exec(heading)![1];
			const link = new RegExp(`^\\[${version.replace(/\./g, '\\.')}\\]: (\\S+)$`, 'm').exec(changelog)?.[1];
			expect(link).toBe(version === 'Unreleased' ? `${repositoryUrl}/compare/v${packageJson.version}...HEAD` : `${repositoryUrl}/releases/tag/v${version}`);
		}
	});
});

describe('README', () => {
	it('Compatibility names the tested n8n versions, the minimum, and the Node versions', () => {
		const compatibility = section('Compatibility');
		expect(compatibility).toContain(`**${pinned('N8N_V1')}**`);
		expect(compatibility).toContain(`**${pinned('N8N_V2')}**`);
		expect(compatibility).toContain('**1.85.0**');
		expect(compatibility).toContain(`n8nNodesApiVersion: ${packageJson.n8n.n8nNodesApiVersion}`);
		expect(compatibility).toContain(`Node ${pinned('NODE_V2')}`);
		expect(compatibility).toContain(`${packageJson.engines.node.replace(/^>=\s*/, '')} or later`);
	});

	it('Installing names the tarball of the current version', () => {
		expect(section('Installing the package into your own n8n')).toContain(`${packageJson.name}-${packageJson.version}.tgz`);
	});

	it('Version history points to CHANGELOG.md, License to LICENSE', () => {
		expect(section('Version history')).toContain('[CHANGELOG.md](CHANGELOG.md)');
		expect(section('License')).toContain(`[${packageJson.license}](LICENSE)`);
	});

	it('Releasing names the workflow, the tag scheme and the publish command the workflow runs', () => {
		const releasing = section('Releasing');
		const workflow = readRepoFile('.github/workflows/release.yml');
		expect(releasing).toContain('`.github/workflows/release.yml`');
		expect(releasing).toContain('`release.yml`');
		expect(releasing).toContain('`npm publish --provenance --access public`');
		expect(workflow).toContain('run: npm publish --provenance --access public');
		expect(releasing).toContain('git tag vx.y.z');
		expect(releasing).toContain('`scripts/release-check.sh`');
	});
});
