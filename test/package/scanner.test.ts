/**
 * n8n's verification runs `npx @n8n/scan-community-package n8n-nodes-customer-batch`: after the
 * provenance check it lints the source commit the provenance statement names and the published
 * tarball, with n8n's rule sets. Here the same scanner (the dev dependency, its own rule sets and
 * plugin versions) lints the same two things, offline: the source a commit of this work tree holds
 * and the tarball `npm pack` makes of the built dist/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { packageJson, packAndUnpack, scan, stageCommittableSource } from './packageFiles';
import type { ScanResult } from './packageFiles';

jest.setTimeout(120_000);

let tmp: string;
let unpacked: string;
let source: ScanResult;
let tarball: ScanResult;

beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-batch-scan-'));
	const checkout = path.join(tmp, 'source');
	stageCommittableSource(checkout);
	unpacked = packAndUnpack(tmp).unpacked;
	source = scan('source', checkout, tmp);
	tarball = scan('tarball', unpacked, tmp);
});

afterAll(() => {
	fs.rmSync(tmp, { recursive: true, force: true });
});

/** The scanner's report when it fails: ESLint's findings, file by file. */
const findings = (result: ScanResult) => [result.message, result.details].filter(Boolean).join('\n');

describe("n8n's community-package scanner", () => {
	it('passes the source: package.json and the node and credential sources', () => {
		expect(findings(source)).toBe('');
		expect(source.passed).toBe(true);
		const sourcesOf = (entries: string[]) => entries.map((entry) => entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		expect(source.files).toEqual(expect.arrayContaining(['package.json', ...sourcesOf(packageJson.n8n.nodes), ...sourcesOf(packageJson.n8n.credentials)]));
		expect(source.files.filter((file) => !/^(package\.json|(nodes|credentials)\/.+\.(ts|js|json))$/.test(file))).toEqual([]);
	});

	it('passes the tarball: its compiled JavaScript and package.json', () => {
		expect(findings(tarball)).toBe('');
		expect(tarball.passed).toBe(true);
		expect(tarball.files).toEqual(expect.arrayContaining(['package.json', ...packageJson.n8n.nodes, ...packageJson.n8n.credentials]));
		expect(tarball.files.filter((file) => file !== 'package.json' && !/^dist\/.+\.js$/.test(file))).toEqual([]);
	});

	it('fails a tarball whose node logs to the console (the rules are live)', () => {
		const tampered = path.join(tmp, 'tampered');
		fs.cpSync(unpacked, tampered, { recursive: true });
		fs.appendFileSync(path.join(tampered, packageJson.n8n.nodes[0]), '\nconsole.log("tampered");\n');

		const result = scan('tarball', tampered, tmp);

		expect(result.passed).toBe(false);
		expect(result.details).toContain('no-console');
		expect(result.details).toContain(path.basename(packageJson.n8n.nodes[0]));
	});

	it('fails a source whose package.json declares a runtime dependency (package.json is linted)', () => {
		const tampered = path.join(tmp, 'tampered-source');
		fs.cpSync(source.packageDir, tampered, { recursive: true });
		const manifest = JSON.parse(fs.readFileSync(path.join(tampered, 'package.json'), 'utf8')) as Record<string, unknown>;
		manifest.dependencies = { 'left-pad': '1.3.0' };
		fs.writeFileSync(path.join(tampered, 'package.json'), JSON.stringify(manifest, null, '\t'));

		const result = scan('source', tampered, tmp);

		expect(result.passed).toBe(false);
		expect(result.details).toContain('no-runtime-dependencies');
	});
});
