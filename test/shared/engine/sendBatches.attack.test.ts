/** Attacks on "an adapter exception is named by its kind, never its words": they may quote a record. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import { allOk, fakeApiCredential, fakeNodeType, fakeOperation, fakeVendor } from './fakeOperation';

const n8n = n8nHarness([fakeApiCredential]);

async function runWith(operation: BatchOperation, input: IDataObject[], continueOnFail: boolean) {
	const http = await fakeVendor(allOk);
	return n8n
		.run({
			input,
			node: { type: 'fakeBatchCustomers', parameters: { mappingMode: 'autoMapInputData', options: { batchSize: 2, concurrency: 1 } }, onError: continueOnFail ? 'continueRegularOutput' : 'stopWorkflow' },
			credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: http.url } },
			nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
		})
		.finally(http.close);
}

/** An adapter bug in buildRequest whose words quote the record it choked on. */
const buildThrows: BatchOperation = {
	...fakeOperation,
	buildRequest: (records) => {
		throw new TypeError(`cannot build a request for ${String(records[0].name)}`);
	},
};

describe('adapter exceptions outside readResponse', () => {
	it('keeps the words of a buildRequest exception (they quote a record) out of the Failure items and hints', async () => {
		const result = await runWith(buildThrows, [{ name: 'Anna' }, { name: 'Ewa' }], true);
		const failure = (result.outputs[1] ?? []) as INodeExecutionData[];
		expect(failure.length).toBeGreaterThan(0);
		// Each item keeps its own input; only Ewa's error and the run's hints must not name Anna.
		expect(JSON.stringify({ ewasError: failure[1].json.error, hints: result.hints })).not.toContain('Anna');
	});

	it('keeps the words of a buildRequest exception out of the error that stops the run', async () => {
		const result = await runWith(buildThrows, [{ name: 'Anna' }, { name: 'Ewa' }], false);
		expect(result.error).toBeDefined();
		const error = result.error as unknown as IDataObject;
		expect(`${String(error.message)}\n${String(error.description)}`).not.toContain('Anna');
	});
});
