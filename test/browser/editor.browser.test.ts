/**
 * The demo as a user meets it, in a real browser: `npm start` (on free ports), then Chromium
 * driven by playwright-core logs in, opens each demo workflow and its vendor node's panel, runs
 * each credential's test against the sandbox, executes each demo from the editor and reads the
 * item counts on the Success and Failure connections and that no parameter shows an issue; then
 * builds and runs a spreadsheet-shaped workflow (sheet headers mapped with expressions); finally
 * Ctrl-C must stop everything.
 *
 *   npm run test:browser                       line 1 (N8N_TEST_LINES=1,2 for both)
 *   UPDATE_SCREENSHOTS=1 npm run test:browser  also copies line 1's screenshots into docs/
 *
 * Screenshots of every panel and executed workflow go to test/.artifacts/browser/line-<N>/.
 * Selectors are n8n's data-test-id attributes and visible texts, the same in n8n 1.123 and 2.41.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { BrowserContext, Page } from 'playwright-core';

import { generateCustomers } from '../demo/customers';
import { CUSTOMERS_NODE, FAILURE_NODE, SUCCESS_NODE, TRIGGER_NODE, demoSetup } from '../demo/workflows';
import type { Demo } from '../demo/workflows';
import {
	closeNodePanel,
	createWorkflow,
	edgeItemCount,
	expectText,
	expectValue,
	launchChromium,
	nodeOnCanvas,
	openNodePanel,
	parameterIssueCount,
	screenshotParameters,
	settleToasts,
	signIn,
} from './editor';
import { portFree } from '../helpers/ports';
import { ensureChromium, startDemoInstance } from './instance';
import type { DemoInstance } from './instance';
import { SHEET_NODES, SHEET_OUTCOME, sheetWorkflow } from './sheetWorkflow';

jest.setTimeout(20 * 60_000);

const REPO_ROOT = path.resolve(__dirname, '../..');
const lines = (process.env.N8N_TEST_LINES ?? '1').split(',').map((line) => Number(line.trim()) as 1 | 2);
// The demos as the instance has them (the sandbox address in their credentials does not matter here).
const demos: Demo[] = demoSetup('http://sandbox');
/** Screenshots the README shows, taken on line 1. */
const DOCS = new Set(['nxcloud-node', 'dustess-node', 'thulium-node', 'thulium-executed', 'thulium-summary', 'thulium-failures']);

describe.each(lines)('the demo editor on n8n line %i', (line) => {
	let instance: DemoInstance;
	let context: BrowserContext;
	let page: Page;
	const artifacts = path.join(REPO_ROOT, 'test/.artifacts/browser', `line-${line}`);

	const screenshot = async (name: string, take: (file: string) => Promise<unknown> = (file) => page.screenshot({ path: file })) => {
		const file = path.join(artifacts, `${name}.png`);
		await take(file);
		if (line === 1 && process.env.UPDATE_SCREENSHOTS === '1' && DOCS.has(name)) {
			fs.mkdirSync(path.join(REPO_ROOT, 'docs'), { recursive: true });
			fs.copyFileSync(file, path.join(REPO_ROOT, 'docs', `${name}.png`));
		}
	};

	beforeAll(async () => {
		fs.rmSync(artifacts, { recursive: true, force: true });
		fs.mkdirSync(artifacts, { recursive: true });
		const chromium = ensureChromium();
		instance = await startDemoInstance(line);
		context = await launchChromium(chromium);
		page = context.pages()[0] ?? (await context.newPage());
	});

	afterAll(async () => {
		await context?.close().catch(() => undefined);
		instance?.kill();
	});

	it('logs in and lists the three demo workflows', async () => {
		await signIn(page, instance);
		for (const demo of demos) await page.getByTestId('workflow-card-name').filter({ hasText: demo.workflow.name }).waitFor();
	});

	describe.each(demos.map((demo) => [demo.label, demo] as const))('the %s demo', (_label, demo) => {
		const vendorNode = demo.workflow.nodes.find((node) => node.name === demo.vendorNode)!;

		it('opens the workflow with every node in place', async () => {
			await page.goto(`${instance.url}/workflow/${demo.workflow.id}`);
			for (const name of [TRIGGER_NODE, CUSTOMERS_NODE, demo.vendorNode, SUCCESS_NODE, FAILURE_NODE]) {
				await nodeOnCanvas(page, name).waitFor();
			}
			const node = nodeOnCanvas(page, demo.vendorNode);
			expect(await node.getAttribute('data-node-type')).toBe(vendorNode.type);
			// A required parameter left empty, or a missing credential, shows as an issue on the node.
			expect(await node.getByTestId('node-issues').count()).toBe(0);
		});

		it("renders the vendor node's panel: credential, required fields, a nested collection, the options", async () => {
			const panel = await openNodePanel(page, demo.vendorNode);
			await expectValue(panel.getByTestId('node-credentials-select'), demo.credential.name);
			await expectValue(panel.getByTestId('parameter-input-operation'), 'Create Many');
			await expectValue(panel.getByTestId('parameter-input-mappingMode'), 'Map Each Field Below');
			for (const field of demo.requiredFields) {
				await panel.getByTestId(`parameter-input-${field.name}`).waitFor();
				await expectText(panel.locator(`label[for="${field.name}"]`).first(), field.label);
			}
			if (demo.notice) await expectText(panel.getByTestId('node-parameters'), demo.notice);

			const collection = panel.getByTestId(`fixed-collection-${demo.nestedCollection.name}`);
			await collection.scrollIntoViewIfNeeded();
			await expectText(panel.locator(`label[for="${demo.nestedCollection.name}"]`).first(), demo.nestedCollection.label);
			expect(await collection.locator('[data-test-id^="parameter-input-"]').count()).toBeGreaterThan(0);

			const options = vendorNode.parameters.options as Record<string, number>;
			for (const option of demo.options) {
				const input = panel.getByTestId(`parameter-input-${option.name}`);
				await input.scrollIntoViewIfNeeded();
				await expectValue(input, String(options[option.name]));
				await expectText(panel.locator(`label[for="${option.name}"]`).first(), option.label);
			}
			await screenshot(`${demo.vendor}-node`, (file) => screenshotParameters(page, file));
			await closeNodePanel(page);
		});

		it("passes its credential's connection test against the sandbox", async () => {
			await page.goto(`${instance.url}/home/credentials`);
			await page.getByText(demo.credential.name, { exact: true }).first().click();
			const modal = page.getByTestId('editCredential-modal');
			await modal.waitFor();
			// Opening a saved credential tests it; Retry tests it once more, and we watch that call.
			const retry = modal.getByRole('button', { name: 'Retry' });
			await retry.waitFor();
			const tested = page.waitForResponse((response) => response.url().includes('/rest/credentials/test') && response.request().method() === 'POST');
			await retry.click();
			const response = await tested;
			expect(response.status()).toBe(200);
			expect(((await response.json()) as { data: unknown }).data).toMatchObject({ status: 'OK' });
			await expectText(modal.getByTestId('credentials-config-container-test-success'), 'Connection tested successfully');
			await screenshot(`${demo.vendor}-credential`);
			await page.keyboard.press('Escape');
			await modal.waitFor({ state: 'hidden' });
		});

		it('executes from the editor: items on both Success and Failure', async () => {
			await page.goto(`${instance.url}/workflow/${demo.workflow.id}`);
			await nodeOnCanvas(page, demo.vendorNode).waitFor();
			await page.getByTestId('execute-workflow-button').click();

			const customers = generateCustomers(demo.vendor);
			const failed = customers.filter((customer) => customer.plantedMistake).length;
			expect(await edgeItemCount(page, CUSTOMERS_NODE, demo.vendorNode)).toBe(customers.length);
			expect(await edgeItemCount(page, demo.vendorNode, SUCCESS_NODE)).toBe(customers.length - failed);
			expect(await edgeItemCount(page, demo.vendorNode, FAILURE_NODE)).toBe(failed);
			await page.mouse.move(0, 0);
			await settleToasts(page);
			await screenshot(`${demo.vendor}-executed`);

			// The failures, as a user reads them.
			const panel = await openNodePanel(page, FAILURE_NODE);
			const output = panel.getByTestId('output-panel');
			await expectText(output, `${failed} item`);
			await expectText(output, 'INVALID_RECORD');
			await expectText(output, 'VENDOR_REJECTED');
			await screenshot(`${demo.vendor}-failures`);
			await closeNodePanel(page);
		});

		it('shows no parameter warning once its expressions are evaluated: option names from the data (Male, 本科) are accepted', async () => {
			const mapped = Object.keys(vendorNode.parameters.additionalFields as object).filter((name) => ['gender', 'education'].includes(name));
			const panel = await openNodePanel(page, demo.vendorNode);
			expect(await parameterIssueCount(panel, mapped)).toBe(0);
			// The run summary names the leading causes with what to do.
			await expectText(panel.getByTestId('output-panel'), 'rows:');
			await screenshot(`${demo.vendor}-summary`);
			await closeNodePanel(page);
		});
	});

	describe("a spreadsheet's rows, with the sheet's headers mapped field by field", () => {
		it('runs from the editor: rows on Success and Failure, messages that name the field and the item, no parameter warning', async () => {
			const credential = demos.find((demo) => demo.vendor === 'thulium')!.credential;
			const id = await createWorkflow(page, sheetWorkflow(credential));
			await page.goto(`${instance.url}/workflow/${id}`);
			await nodeOnCanvas(page, SHEET_NODES.vendor).waitFor();
			await page.getByTestId('execute-workflow-button').click();
			expect(await edgeItemCount(page, SHEET_NODES.vendor, SHEET_NODES.created)).toBe(SHEET_OUTCOME.created);
			expect(await edgeItemCount(page, SHEET_NODES.vendor, SHEET_NODES.failed)).toBe(SHEET_OUTCOME.failed);

			const failures = await openNodePanel(page, SHEET_NODES.failed);
			const output = failures.getByTestId('output-panel');
			await expectText(output, "'Surname' (surname) is required");
			await expectText(output, 'input item 0 (counted from 0, as n8n counts items) has the same phone number');
			await screenshot('sheet-failures');
			await closeNodePanel(page);

			const vendor = await openNodePanel(page, SHEET_NODES.vendor);
			expect(await parameterIssueCount(vendor, ['surname'])).toBe(0);
			await expectText(vendor.getByTestId('output-panel'), '3 created, 2 failed');
			await expectText(vendor.getByTestId('output-panel'), "1 row: 'Surname' (surname) is required — fix the data");
			await screenshot('sheet-thulium', (file) => screenshotParameters(page, file));
			await closeNodePanel(page);
		});
	});

	it('stops n8n and the sandbox on Ctrl-C', async () => {
		await context.close();
		const exit = await instance.interrupt();
		expect(exit).toBeDefined();
		// npm ends by the SIGINT itself, as in a terminal, or with the start script's exit code.
		expect(exit!.signal === 'SIGINT' || exit!.code === 0).toBe(true);
		expect(instance.output()).toContain('Stopped.');
		for (const port of Object.values(instance.ports)) expect(await portFree(port)).toBe(true);
	});
});
