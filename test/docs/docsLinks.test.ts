/**
 * The *Docs* links of the nodes and credentials: n8n appends `?utm_source=…` to a node's
 * documentation URL (the editor's docs link, n8n 1.123 and 2.41), which breaks an `#anchor`, so
 * each link opens a page of its own in the repository, and the links on that page lead on.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { DustessApi } from '../../credentials/DustessApi.credentials';
import { NxCloudApi } from '../../credentials/NxCloudApi.credentials';
import { ThuliumApi } from '../../credentials/ThuliumApi.credentials';

const ROOT = path.resolve(__dirname, '../..');
const REPOSITORY = 'https://github.com/n8n-nodes-customer-batch/n8n-nodes-customer-batch/blob/main/';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
const anchor = (heading: string) => heading.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');

describe('the Docs links of the nodes and credentials', () => {
	const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	const anchors = new Set([...readme.matchAll(/^#{2,4} (.+)$/gm)].map((match) => anchor(match[1])));
	const links = [
		...['NxCloud', 'Dustess', 'Thulium'].flatMap((folder) => {
			const codex = JSON.parse(readFileSync(path.join(ROOT, `nodes/${folder}/${folder}BatchCustomers.node.json`), 'utf8'));
			return [...codex.resources.primaryDocumentation, ...codex.resources.credentialDocumentation].map((entry: { url: string }) => entry.url);
		}),
		...[new NxCloudApi(), new DustessApi(), new ThuliumApi()].map((credential) => credential.documentationUrl),
	];

	it.each(links)('%s opens a page of the repository without an anchor', (url) => {
		expect(url.startsWith(REPOSITORY)).toBe(true);
		expect(url).not.toContain('#');
		expect(existsSync(path.join(ROOT, url.slice(REPOSITORY.length)))).toBe(true);
	});

	it.each(['nxcloud', 'dustess', 'thulium'])("docs/%s.md links to README sections that exist", (vendor) => {
		const page = readFileSync(path.join(ROOT, `docs/${vendor}.md`), 'utf8');
		const targets = [...page.matchAll(/\]\(\.\.\/README\.md#([^)]+)\)/g)].map((match) => match[1]);
		expect(targets).toContain(vendor);
		for (const target of targets) expect(anchors).toContain(target);
	});
});
