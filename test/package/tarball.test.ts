/**
 * What `npm publish` uploads (`npm pack --dry-run --json` of the built dist/): what n8n needs to
 * load the nodes and users need to read, nothing else, and no runtime dependency.
 */
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

import { packageJson, packDryRun, REPO_ROOT } from './packageFiles';
import type { PackReport } from './packageFiles';

/** Every file below `folder` (relative to the repository), recursively. */
function filesBelow(folder: string): string[] {
	return fs
		.readdirSync(path.join(REPO_ROOT, folder), { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name)));
}

/**
 * The files `npm run build` makes of nodes/ and credentials/: per TypeScript file its .js, .d.ts
 * and .js.map (tsconfig: declaration, sourceMap), the codex .json files (tsc), the icons (gulp).
 */
function expectedDistFiles(): string[] {
	const sources = [...filesBelow('nodes'), ...filesBelow('credentials')];
	return sources.flatMap((file) => {
		if (file.endsWith('.ts')) {
			const base = `dist/${file.slice(0, -'.ts'.length)}`;
			return [`${base}.js`, `${base}.d.ts`, `${base}.js.map`];
		}
		if (/\.(json|svg|png)$/.test(file)) return [`dist/${file}`];
		return [];
	});
}

let packed: PackReport;
let paths: string[];

beforeAll(() => {
	packed = packDryRun();
	paths = packed.files.map((file) => file.path);
});

describe('the npm tarball', () => {
	it('holds the built nodes and credentials, README.md, LICENSE and package.json, and nothing else', () => {
		expect([...paths].sort()).toEqual(['LICENSE', 'README.md', 'package.json', ...expectedDistFiles()].sort());
	});

	it('holds every node and credential package.json registers with n8n, and their icons', () => {
		expect(paths).toEqual(expect.arrayContaining([...packageJson.n8n.nodes, ...packageJson.n8n.credentials]));
		for (const registered of [...packageJson.n8n.nodes, ...packageJson.n8n.credentials]) {
			const compiled = fs.readFileSync(path.join(REPO_ROOT, registered), 'utf8');
			for (const [, icon] of compiled.matchAll(/'file:([^']+)'/g)) expect(paths).toContain(path.posix.join(path.posix.dirname(registered), icon));
		}
	});

	it('holds no build info, tests, sandbox, benchmarks, docs or TypeScript sources', () => {
		expect(paths.filter((file) => /tsbuildinfo|(^|\/)(test|sandbox|bench|demo|docs)\//.test(file))).toEqual([]);
		expect(paths.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
	});

	it('stays small: under 150 kB packed, 600 kB unpacked', () => {
		expect(packed.size).toBeLessThan(150_000);
		expect(packed.unpackedSize).toBeLessThan(600_000);
	});

	it('needs nothing at run time but n8n-workflow and Node built-ins', () => {
		expect(packageJson.dependencies ?? {}).toEqual({});
		expect(packageJson.optionalDependencies ?? {}).toEqual({});
		expect(packageJson.bundleDependencies).toBeUndefined();
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });

		const builtins = new Set(builtinModules);
		const required = paths
			.filter((file) => file.endsWith('.js'))
			.flatMap((file) => [...fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]));
		expect(required.length).toBeGreaterThan(0);
		const external = required.filter((name) => !name.startsWith('.') && !builtins.has(name.replace(/^node:/, '')));
		expect([...new Set(external)]).toEqual(['n8n-workflow']);
	});
});
