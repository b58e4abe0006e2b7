/**
 * The package as npm and n8n see it: the tarball `npm pack` makes of the built dist/, and the
 * source a commit of this work tree would hold (what a provenance statement points n8n's scanner
 * at). The package checks (test/package/) run on the dist/ of `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface PackageJson {
	name: string;
	version: string;
	license: string;
	author: { name: string };
	repository: { type: string; url: string };
	engines: { node: string };
	files: string[];
	keywords: string[];
	dependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	bundleDependencies?: unknown;
	peerDependencies?: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
}

export const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;

export function readRepoFile(relative: string): string {
	return fs.readFileSync(path.join(REPO_ROOT, relative), 'utf8');
}

/** `npm pack --json` output for the one package. */
export interface PackReport {
	filename: string;
	size: number;
	unpackedSize: number;
	entryCount: number;
	files: { path: string; size: number }[];
}

export function builtDistOrFail(): void {
	for (const file of [...packageJson.n8n.nodes, ...packageJson.n8n.credentials]) {
		if (!fs.existsSync(path.join(REPO_ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first (npm run test:package does)`);
	}
}

function npmPack(args: string[]): PackReport {
	const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', ...args], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const reports = JSON.parse(output) as PackReport[];
	if (reports.length !== 1) throw new Error(`npm pack reported ${reports.length} packages`);
	return reports[0];
}

/** What `npm publish` would upload, without packing it. */
export function packDryRun(): PackReport {
	builtDistOrFail();
	return npmPack(['--dry-run']);
}

/** Packs the tarball into `folder` and unpacks it into `folder/package`, as the scanner does after download. */
export function packAndUnpack(folder: string): { report: PackReport; unpacked: string } {
	builtDistOrFail();
	const report = npmPack(['--pack-destination', folder]);
	const unpacked = path.join(folder, 'package');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', path.join(folder, report.filename), '-C', unpacked, '--strip-components=1']);
	return { report, unpacked };
}

/**
 * Copies into `folder` the files a commit of this work tree would hold: tracked files as they are
 * now and untracked ones git does not ignore (on a fresh clone: exactly the checked-out commit).
 */
export function stageCommittableSource(folder: string): string[] {
	const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
	})
		.split('\0')
		.filter(Boolean);
	const files = [...new Set(listed)].filter((file) => fs.existsSync(path.join(REPO_ROOT, file)));
	for (const file of files) {
		fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
		fs.copyFileSync(path.join(REPO_ROOT, file), path.join(folder, file));
	}
	return files;
}

export interface ScanResult {
	passed: boolean;
	message?: string;
	details?: string;
	files: string[];
	packageDir: string;
}

/** Runs n8n's scanner (test/package/scan.mjs) on a source checkout or an unpacked tarball. */
export function scan(mode: 'source' | 'tarball', folder: string, tmpDir: string): ScanResult {
	const args = mode === 'source' ? [folder, packageJson.name] : [folder];
	// Not jest's NODE_ENV=test: eslint-plugin-n8n-nodes-base then takes every file for "Test.node.ts".
	const { NODE_ENV: _jest, ...env } = process.env;
	const output = execFileSync(process.execPath, [path.join(__dirname, 'scan.mjs'), mode, ...args], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		// The scanner makes a temporary folder when loaded: keep it inside the test's own.
		env: { ...env, TMPDIR: tmpDir },
		stdio: ['ignore', 'pipe', 'pipe'],
		maxBuffer: 16 * 1024 * 1024,
	});
	return JSON.parse(output.trim().split('\n').pop()!) as ScanResult;
}
