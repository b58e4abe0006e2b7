import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { withFieldTables } from './fieldTables';

/** `npm run docs`: regenerates the README's field tables from the vendors' schemas. */
const path = join(__dirname, '..', '..', 'README.md');
writeFileSync(path, withFieldTables(readFileSync(path, 'utf8')));
console.log('README field tables updated');
