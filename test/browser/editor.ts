/**
 * What the browser test does in n8n's editor, by n8n's own data-test-id attributes and visible
 * texts (the same in n8n 1.123 and 2.41), with Debian's Chromium driven by playwright-core.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium, selectors } from 'playwright-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';

// n8n marks its elements with data-test-id, not Playwright's default data-testid.
selectors.setTestIdAttribute('data-test-id');

/**
 * Headless Chromium with a fresh profile. Without the background-networking flags Chromium keeps
 * reaching for Google's hosts, which a closed network refuses many at a time.
 */
export async function launchChromium(executablePath: string): Promise<BrowserContext> {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
		viewport: { width: 1600, height: 1000 },
	});
	context.setDefaultTimeout(30_000);
	context.once('close', () => {
		try {
			fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
		} catch {
			// Chromium may still be writing its profile; it is a temporary folder.
		}
	});
	return context;
}

export async function signIn(page: Page, login: { url: string; email: string; password: string }): Promise<void> {
	await page.goto(`${login.url}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"]').fill(login.email);
	await page.locator('input[name="password"]').fill(login.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

export function nodeOnCanvas(page: Page, name: string): Locator {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
}

/** Opens a node's panel (NDV) from the canvas and returns it. */
export async function openNodePanel(page: Page, name: string): Promise<Locator> {
	await nodeOnCanvas(page, name).dblclick();
	const panel = page.getByTestId('ndv');
	await panel.getByTestId('node-parameters').waitFor();
	return panel;
}

/**
 * A picture of an open panel's parameter column, all of it: the page is made tall enough first,
 * then cut to the column's content.
 */
export async function screenshotParameters(page: Page, file: string): Promise<void> {
	const parameters = page.getByTestId('ndv').getByTestId('node-parameters');
	const column = parameters.locator('xpath=..');
	const viewport = page.viewportSize()!;
	try {
		await page.setViewportSize({ width: viewport.width, height: 2400 });
		await page.mouse.move(0, 0);
		await page.waitForTimeout(500);
		const box = (await column.boundingBox())!;
		const contentBottom = await parameters.evaluate((element) =>
			Math.max(...[...element.querySelectorAll('*')].map((child) => child.getBoundingClientRect().bottom)),
		);
		await page.screenshot({ path: file, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, contentBottom - box.y + 16) } });
	} finally {
		await page.setViewportSize(viewport);
	}
}

export async function closeNodePanel(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
	await page.getByTestId('node-parameters').waitFor({ state: 'hidden' });
}

/** Lets a toast ("Workflow executed successfully") finish sliding in, so a screenshot shows it whole. */
export async function settleToasts(page: Page): Promise<void> {
	const toast = page.locator('.el-notification').first();
	if (await toast.waitFor({ timeout: 3000 }).then(() => true, () => false)) await page.waitForTimeout(1000);
}

/** The item count the canvas shows on the connection between two nodes once they ran. */
export async function edgeItemCount(page: Page, from: string, to: string, timeoutMs = 120_000): Promise<number> {
	const label = page.locator(`[data-test-id="edge-label"][data-source-node-name="${from}"][data-target-node-name="${to}"]`);
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const text = (await label.first().textContent().catch(() => '')) ?? '';
		const match = /(\d+)\s+items?/.exec(text);
		if (match) return Number(match[1]);
		await page.waitForTimeout(250);
	}
	throw new Error(`no item count on the connection ${from} → ${to} after ${timeoutMs / 1000} s`);
}

/** Waits until the locator's text contains `text` (jest has no locator matchers). */
export async function expectText(locator: Locator, text: string, timeoutMs = 30_000): Promise<void> {
	await poll(
		async () => (await locator.innerText()).includes(text),
		async () => `expected ${locator} to contain "${text}"; it shows: ${(await locator.innerText().catch(() => '(nothing)')).slice(0, 800)}`,
		timeoutMs,
	);
}

/** Waits until an input inside the locator has the value. */
export async function expectValue(locator: Locator, value: string, timeoutMs = 30_000): Promise<void> {
	const input = locator.locator('input, textarea').first();
	await poll(
		async () => (await input.inputValue()) === value,
		async () => `expected ${locator} to hold "${value}"; it holds "${await input.inputValue().catch(() => '(no input)')}"`,
		timeoutMs,
	);
}

async function poll(check: () => Promise<boolean>, failure: () => Promise<string>, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check().catch(() => false)) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(await failure());
}

/**
 * Creates a workflow through n8n's REST API from inside the signed-in page, as the editor does
 * (its session cookie and the browser id n8n binds it to). Returns the new workflow's id.
 */
export async function createWorkflow(page: Page, workflow: { name: string; nodes: unknown[]; connections: object; settings: object }): Promise<string> {
	const body = { name: workflow.name, nodes: workflow.nodes, connections: workflow.connections, settings: workflow.settings, active: false };
	return await page.evaluate(async (payload) => {
		const browser = globalThis as unknown as { localStorage: { getItem(key: string): string | null }; fetch: typeof fetch };
		const response = await browser.fetch('/rest/workflows', {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'browser-id': browser.localStorage.getItem('n8n-browserId') ?? '' },
			credentials: 'include',
			body: JSON.stringify(payload),
		});
		if (!response.ok) throw new Error(`n8n did not create the workflow: HTTP ${response.status} ${await response.text()}`);
		return ((await response.json()) as { data: { id: string } }).data.id;
	}, body);
}

/**
 * The parameters of an open panel that n8n marks with an issue (a required value missing, "The
 * value … is not supported!"), once n8n has evaluated their expressions against the input: it
 * waits for the expression previews of `evaluated` (parameter names) first, since n8n checks an
 * option parameter's evaluated value only then.
 */
export async function parameterIssueCount(panel: Locator, evaluated: string[]): Promise<number> {
	await panel.locator('[data-test-id^="parameter-expression-preview-"]').first().waitFor();
	for (const name of evaluated) {
		const preview = panel.getByTestId(`parameter-expression-preview-${name}`).first();
		await poll(
			async () => (await preview.innerText()).trim() !== '',
			async () => `n8n showed no evaluated value for the parameter ${name}`,
			30_000,
		);
	}
	await panel.page().waitForTimeout(1000);
	return await panel.getByTestId('parameter-issues').count();
}
