import { area, breakdown } from './profileBreakdown';
import type { CpuProfile } from './profileBreakdown';

const OURS = 'file:///tmp/n8n/custom-extensions/n8n-nodes-customer-batch/dist/nodes/shared';
const N8N = 'file:///root/.cache/n8n/node_modules';

/** A profile from stacks (root first) and how many 1 ms samples each one gets, in order. */
function profile(samples: Array<[string[], number]>): CpuProfile {
	const nodes: CpuProfile['nodes'] = [{ id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: 0 }, children: [] }];
	const idOf = new Map<string, number>();
	const frame = (spec: string) => {
		const [functionName, url = ''] = spec.split('@');
		return { functionName, url, lineNumber: 0 };
	};
	const leafOf = (stack: string[]) => {
		let parent = 1;
		stack.forEach((_, depth) => {
			const key = stack.slice(0, depth + 1).join(' > ');
			if (!idOf.has(key)) {
				const id = nodes.length + 1;
				nodes.push({ id, callFrame: frame(stack[depth]), children: [] });
				nodes[parent - 1].children!.push(id);
				idOf.set(key, id);
			}
			parent = idOf.get(key)!;
		});
		return parent;
	};
	const ids = samples.flatMap(([stack, count]) => Array<number>(count).fill(leafOf(stack)));
	return { nodes, samples: ids, timeDeltas: ids.map(() => 1000), startTime: 0, endTime: ids.length * 1000 };
}

const RUN = `runBatchOperation@${OURS}/engine/runBatchOperation.js`;

describe('where each microsecond per customer goes', () => {
	it('names where a frame lives: our modules, packages, Node internals', () => {
		expect(area(`${OURS}/schema/validateRecord.js`, 'object')).toBe('ours:schema/validateRecord.js');
		expect(area(`${N8N}/n8n-core/dist/x.js`, 'getNodeParameter')).toBe('n8n-core');
		expect(area(`${N8N}/@n8n/typeorm/index.js`, 'execute')).toBe('@n8n/typeorm');
		expect(area('node:internal/streams/readable', 'push')).toBe('node:internal/streams');
		expect(area('', '(garbage collector)')).toBe('(garbage collector)');
	});

	it('gives each sample of the window to one cost: a boundary with all it calls, else the innermost named module', () => {
		const result = breakdown(
			profile([
				[['(idle)'], 3],
				[[RUN, `validateRecord@${OURS}/schema/validateRecord.js`, `readDate@${OURS}/schema/dates.js`], 4],
				[[RUN, `read@${OURS}/engine/mappedParameters.js`, `ExecuteContext.getNodeParameter@${N8N}/n8n-core/dist/a.js`, `evaluate@${N8N}/n8n-workflow/dist/b.js`], 2],
				[['(garbage collector)'], 1],
				[[RUN, `routeOutcomes@${OURS}/engine/routeOutcomes.js`, 'stringify'], 2],
				[['(idle)'], 5],
			]),
			2,
		)!;
		const ms = Object.fromEntries(result.costs.map((cost) => [cost.cost, cost.ms]));
		// The window runs from the first sample in runBatchOperation to the end of the last with our code: 4 + 2 + 1 + 2 samples of 1 ms.
		expect(result.windowMs).toBe(9);
		expect(ms).toEqual({
			'ours: validateRecord (schema check, normalising values and dates)': 4,
			'n8n: getNodeParameter (parameters, expressions)': 2,
			'(garbage collector)': 1,
			'ours: output items (routeOutcomes)': 2,
		});
	});

	it('turns busy samples into CPU time with the main thread timeline, so that a busy machine does not count', () => {
		const samples = profile([
			[[RUN, `validateRecord@${OURS}/schema/validateRecord.js`], 10],
			[['(idle)'], 1],
		]);
		// 10 samples of 1 ms (from 1 ms to 11 ms), in which the thread had 0.5 ticks of 10 ms: 5 ms of CPU.
		const result = breakdown(samples, 1, { ticksPerSecond: 100, timeline: [[1000, 10], [11_000, 10.5]] })!;
		expect(result.cpuMs).toBeCloseTo(5);
		expect(result.cpuPerBusyMs).toBeCloseTo(0.5);
		expect(result.costs[0].usPerCustomer).toBeCloseTo(5000);
	});

	it('finds no window in a profile without our node', () => {
		expect(breakdown(profile([[['(idle)'], 3]]), 1)).toBeUndefined();
	});
});
