import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { documentedSchemas, withFieldTables } from './fieldTables';

describe('README field tables', () => {
	const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

	it('are the ones the schemas generate (run `npm run docs` after changing a schema)', () => {
		expect(withFieldTables(readme)).toBe(readme);
	});

	it('cover every documented schema', () => {
		for (const name of Object.keys(documentedSchemas)) expect(readme).toContain(`<!-- fields:${name} -->`);
	});
});
