/**
 * Unit tests run by default; real-n8n tests (`*.n8n.test.ts`) when N8N_TESTS=1, browser tests
 * (`*.browser.test.ts`, `npm run test:browser`) when BROWSER_TESTS=1, package checks
 * (`test/package/`, `npm run test:package`, on the built dist/) when PACKAGE_TESTS=1
 * (see test/run-all.sh).
 */
// test/tsconfig.json sets isolatedModules, so ts-jest transpiles each file on its own (no type
// program per worker); `npm run typecheck` does the type checking.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json', diagnostics: false }] };

const unit = {
	displayName: 'unit',
	testEnvironment: 'node',
	transform,
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	testPathIgnorePatterns: ['\\.n8n\\.test\\.ts$', '\\.browser\\.test\\.ts$', '<rootDir>/test/package/'],
};

const n8n = {
	displayName: 'n8n',
	testEnvironment: 'node',
	transform,
	testMatch: ['<rootDir>/test/**/*.n8n.test.ts'],
};

const browser = {
	displayName: 'browser',
	testEnvironment: 'node',
	transform,
	testMatch: ['<rootDir>/test/**/*.browser.test.ts'],
};

const pkg = {
	displayName: 'package',
	testEnvironment: 'node',
	transform,
	testMatch: ['<rootDir>/test/package/**/*.test.ts'],
};

function projects() {
	if (process.env.BROWSER_TESTS === '1') return [browser];
	if (process.env.N8N_TESTS === '1') return [n8n];
	if (process.env.PACKAGE_TESTS === '1') return [pkg];
	return [unit];
}

module.exports = { projects: projects() };
