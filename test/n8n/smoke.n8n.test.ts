/**
 * Proves the real-n8n harness: the runtime install, both ways of loading the package, import,
 * `executeAll` and `execute`, output parsing and the error output. Built-in nodes carry the
 * checks; one Thulium workflow only shows that our node loads and runs in each install mode
 * (the vendor behaviour is tested in the vendor files).
 *
 * N8N_TEST_LINES=1,2 also runs it on n8n 2.x (default: line 1 only).
 */
import { THULIUM_USER } from '../sandbox/vendors/thulium';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { buildWorkflow, codeNode, createN8nInstance, itemsNode, manualTrigger, noOp, startSandbox } from './harness';
import type { Execution, InstallMode, N8nInstance, N8nLine } from './harness';

jest.setTimeout(15 * 60_000);

const lines = (process.env.N8N_TEST_LINES ?? '1').split(',').map((line) => Number(line.trim()) as N8nLine);
const installModes: InstallMode[] = ['community', 'custom'];

let sandbox: SandboxHandle;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox?.close();
});

describe.each(lines)('n8n line %i', (line) => {
	describe.each(installModes)('package installed as %s', (install) => {
		let n8n: N8nInstance;
		let ids: Record<'threeItems' | 'errorOutput' | 'failing' | 'thulium', string>;

		beforeAll(async () => {
			n8n = await createN8nInstance({ line, install });
			await n8n.importCredentials([
				{
					id: 'thuliumSandbox1',
					name: 'Thulium sandbox',
					type: 'thuliumApi',
					data: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER },
				},
			]);
			const checkJs = "if (!$json.ok) throw new Error('not ok'); return { json: $json };";
			const [threeItems, errorOutput, failing, thulium] = await n8n.importWorkflows([
				buildWorkflow({
					name: 'three items',
					nodes: [manualTrigger(), itemsNode('Items', [{ i: 1 }, { i: 2 }, { i: 3 }])],
					edges: [['Start', 'Items']],
				}),
				buildWorkflow({
					name: 'error output',
					nodes: [
						manualTrigger(),
						itemsNode('Items', [{ ok: true }, { ok: false }]),
						{
							...codeNode('Check', checkJs),
							parameters: { mode: 'runOnceForEachItem', jsCode: checkJs },
							onError: 'continueErrorOutput',
						},
						noOp('Passed'),
						noOp('Failed'),
					],
					edges: [
						['Start', 'Items'],
						['Items', 'Check'],
						['Check', 'Passed', 0],
						['Check', 'Failed', 1],
					],
				}),
				buildWorkflow({
					name: 'failing',
					nodes: [manualTrigger(), codeNode('Boom', "throw new Error('boom');")],
					edges: [['Start', 'Boom']],
				}),
				buildWorkflow({
					name: 'thulium',
					nodes: [
						manualTrigger(),
						itemsNode('Customers', [{ surname: 'Lee', name: 'Ann' }, { name: 'No surname' }]),
						{
							name: 'Thulium',
							type: n8n.nodeType('thuliumBatchCustomers'),
							parameters: { resource: 'customer', operation: 'create', mappingMode: 'autoMapInputData' },
							credentials: { thuliumApi: { id: 'thuliumSandbox1', name: 'Thulium sandbox' } },
						},
					],
					edges: [
						['Start', 'Customers'],
						['Customers', 'Thulium'],
					],
				}),
			]);
			ids = { threeItems, errorOutput, failing, thulium };
		});

		afterAll(async () => {
			await n8n?.dispose();
		});

		it('runs the pinned n8n version', () => {
			expect(n8n.version).toBe(line === 1 ? '1.123.81' : '2.41.1');
		});

		it('names our node types after the install mode', () => {
			const prefix = install === 'custom' ? 'CUSTOM' : 'n8n-nodes-customer-batch';
			expect(n8n.nodeType('thuliumBatchCustomers')).toBe(`${prefix}.thuliumBatchCustomers`);
		});

		describe('executeAll (one n8n process)', () => {
			let runs: Map<string, Execution>;

			beforeAll(async () => {
				runs = await n8n.executeAll();
			});

			it('returns the items a Code node outputs', () => {
				const run = runs.get(ids.threeItems)!;
				expect(run.ok).toBe(true);
				expect(run.json('Items')).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
			});

			it('routes failing items to the error output with continueErrorOutput', () => {
				const run = runs.get(ids.errorOutput)!;
				expect(run.outputs('Check')).toHaveLength(2);
				expect(run.json('Check', 0)).toEqual([{ ok: true }]);
				expect(run.json('Check', 1)).toEqual([expect.objectContaining({ error: expect.stringContaining('not ok') })]);
				expect(run.json('Passed')).toEqual([{ ok: true }]);
				expect(run.json('Failed')).toHaveLength(1);
			});

			it('reports a failed workflow by its error', () => {
				const run = runs.get(ids.failing)!;
				expect(run.ok).toBe(false);
				expect(run.error).toContain('boom');
			});

			it('loads and runs our Thulium node', () => {
				const run = runs.get(ids.thulium)!;
				expect(run.error).toBeUndefined();
				const [success, failure] = run.outputs('Thulium');
				expect(success).toHaveLength(1);
				expect(failure).toHaveLength(1);
				expect(success.concat(failure).map((item) => item.pairedItem)).toEqual(
					expect.arrayContaining([{ item: 0 }, { item: 1 }]),
				);
			});
		});

		describe('execute (one process per run)', () => {
			it('returns the run data of a successful run', async () => {
				const run = await n8n.execute(ids.threeItems);
				expect(run.ok).toBe(true);
				expect(run.json('Items')).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
			});

			it('returns the run data and the node error of a failed run', async () => {
				const run = await n8n.execute(ids.failing);
				expect(run.ok).toBe(false);
				expect(run.error).toContain('boom');
				expect(run.executedNodes).toEqual(expect.arrayContaining(['Start', 'Boom']));
				expect(run.nodeError('Boom')?.message).toContain('boom');
			});
		});
	});
});
