// n8n's community-package scanner, run as `npx @n8n/scan-community-package <name>` runs it
// (analyzePackageByName in @n8n/scan-community-package/scanner/scanner.mjs), minus the downloads:
// the caller hands over the folders that function would have downloaded.
//
//   node test/package/scan.mjs source <checkout> <package name>
//       the provenance-attested source: the package's folder in the checkout (findPackageRoot),
//       linted with the scanner's SOURCE_FILE_PATTERNS (package.json, nodes/, credentials/)
//   node test/package/scan.mjs tarball <unpacked tarball>
//       the published tarball: its compiled **/*.js and package.json
//
// Prints one JSON line: { passed, message, details, files } (files: those linted, relative).
// An ES module because the scanner is one (jest's CommonJS runtime cannot load it).
import { createRequire } from 'node:module';
import path from 'node:path';

const SCANNER = '@n8n/scan-community-package/scanner/scanner.mjs';
const { analyzePackage, findPackageRoot, SOURCE_FILE_PATTERNS } = await import(SCANNER);
// The scanner's own fast-glob, with the options analyzePackage passes it.
const glob = createRequire(import.meta.resolve(SCANNER))('fast-glob');

// analyzePackageByName's tarball patterns (not exported by the scanner).
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

const [mode, folder, packageName] = process.argv.slice(2);
let packageDir;
let patterns;
if (mode === 'source' && folder && packageName) {
	packageDir = findPackageRoot(folder, packageName);
	if (!packageDir) throw new Error(`no package.json named ${packageName} in ${folder}`);
	patterns = SOURCE_FILE_PATTERNS;
} else if (mode === 'tarball' && folder) {
	packageDir = folder;
	patterns = TARBALL_FILE_PATTERNS;
} else {
	throw new Error('usage: scan.mjs source <checkout> <package name> | tarball <unpacked tarball>');
}

const files = glob
	.sync(patterns, { cwd: packageDir, ignore: ['node_modules/**', '**/package-lock.json'] })
	.sort();
const { passed, message, details } = await analyzePackage(packageDir, patterns);
process.stdout.write(
	`${JSON.stringify({ passed, message, details, files, packageDir: path.resolve(packageDir) })}\n`,
);
