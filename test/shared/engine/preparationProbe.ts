import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import { fakeApiCredential, fakeNodeType, fakeOperation, fakeVendor } from './fakeOperation';
import type { FakeServer } from './fakeOperation';

const n8n = n8nHarness([fakeApiCredential]);

/** A CPU cost per record, so that preparing the input takes many of the engine's slices. */
function busy(microseconds: number): void {
	const until = process.hrtime.bigint() + BigInt(microseconds * 1000);
	while (process.hrtime.bigint() < until);
}

/**
 * The fake vendor whose natural keys (read for every valid record while items are prepared, with
 * Skip Duplicate Rows on) cost `cost` µs each and, given `events`, say which item was read when.
 */
export function costlyOperation(cost: number, events?: string[]): BatchOperation {
	return {
		...fakeOperation,
		naturalKeys: (record) => {
			busy(cost);
			events?.push(`read ${record.name as string}`);
			return [`name:${record.name as string}`];
		},
	};
}

/** The fake node with Skip Duplicate Rows on, in n8n's engine, against `server` over HTTP. */
export async function runPrepared(items: Array<IDataObject | INodeExecutionData>, server: FakeServer, operation: BatchOperation, options: IDataObject = {}, continueOnFail = false) {
	const http = await fakeVendor(server);
	const result = await n8n
		.run({
			input: items,
			node: {
				type: 'fakeBatchCustomers',
				parameters: { mappingMode: 'autoMapInputData', options: { skipDuplicateRows: true, ...options } },
				onError: continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
			},
			credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: http.url } },
			nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
		})
		.finally(http.close);
	return { http, result };
}
