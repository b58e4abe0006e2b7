/**
 * The demo workflows `npm start` installs, run in a real n8n against the sandbox: every row the
 * Code node marks with a planted mistake ends on Failure with the expected kind of error, every
 * other row on Success, in order, on each n8n line of N8N_TEST_LINES (default 1).
 */
import type { IDataObject } from 'n8n-workflow';

import { createN8nInstance, startSandbox } from '../n8n/harness';
import type { Execution, N8nInstance, N8nLine } from '../n8n/harness';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { generateCustomers } from './customers';
import type { DemoVendor } from './customers';
import { FAILURE_NODE, SUCCESS_NODE, demoSetup } from './workflows';
import type { Demo } from './workflows';

jest.setTimeout(15 * 60_000);

const lines = (process.env.N8N_TEST_LINES ?? '1').split(',').map((line) => Number(line.trim()) as N8nLine);

/** Planted mistakes the node catches itself; the others are the vendor's refusals. */
const LOCAL = /before sending/;
const DUPLICATE = /duplicate row/;

describe.each(lines)('demo workflows on n8n line %i', (line) => {
	let sandbox: SandboxHandle;
	let n8n: N8nInstance;
	let demos: Demo[];
	let runs: Map<string, Execution>;

	beforeAll(async () => {
		sandbox = await startSandbox();
		n8n = await createN8nInstance({ line, install: 'community' });
		demos = demoSetup(sandbox.url);
		await n8n.importCredentials(demos.map((demo) => demo.credential));
		await n8n.importWorkflows(demos.map((demo) => demo.workflow));
		runs = await n8n.executeAll(demos.map((demo) => demo.workflow.id));
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sandbox?.close();
	});

	it.each<DemoVendor>(['thulium', 'nxcloud', 'dustess'])('%s: planted mistakes on Failure, every other row on Success', (vendor) => {
		const demo = demos.find((candidate) => candidate.vendor === vendor)!;
		const run = runs.get(demo.workflow.id)!;
		expect(run.error).toBeUndefined();
		const customers = generateCustomers(vendor);
		const rows = (items: IDataObject[]) => items.map((item) => Number(String(item.crmId).split('-')[1]));

		const [success, failure] = run.outputs(demo.vendorNode);
		expect(success.length + failure.length).toBe(customers.length);
		expect(rows(run.json(SUCCESS_NODE))).toEqual(customers.filter((customer) => !customer.plantedMistake).map((customer) => customer.row));
		expect(rows(run.json(FAILURE_NODE))).toEqual(customers.filter((customer) => customer.plantedMistake).map((customer) => customer.row));
		for (const item of run.json(FAILURE_NODE)) {
			const mistake = String(item.plantedMistake);
			expect(item.code).toBe(LOCAL.test(mistake) ? 'INVALID_RECORD' : DUPLICATE.test(mistake) ? 'DUPLICATE_IN_INPUT' : 'VENDOR_REJECTED');
			expect(item.message).toEqual(expect.any(String));
			expect(item.field).toEqual(expect.any(String));
			expect(item.nextStep).toBe(DUPLICATE.test(mistake) ? 'none' : 'fixData');
			if (DUPLICATE.test(mistake)) expect(item.message).toMatch(/^Not sent: input item 0 \(counted from 0, as n8n counts items\) has the same phone number/);
			// NXCLOUD names the customer by its place in the request; the message names the input row instead.
			if (vendor === 'nxcloud' && item.code === 'VENDOR_REJECTED') expect(item.message).toMatch(/^input item \d+, '[\w ]+' \(\w+\): /);
		}
		for (const item of run.json(SUCCESS_NODE)) {
			expect(Object.values(item).every((value) => value !== '' && value !== undefined)).toBe(true);
		}
	});
});
