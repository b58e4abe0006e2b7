/**
 * Auto-Map's help names no input key that is not a likely match: a sheet read without a header row
 * (n8n's Google Sheets and Spreadsheet File nodes take the first row as the column names) or a JSON
 * object keyed by phone or e-mail makes those keys the first customer's data, which would land in
 * every item's error.message and in the node's error.
 */
import type { IDataObject } from 'n8n-workflow';

import { n8nHarness } from '../../helpers/n8nWorkflow';

const n8n = n8nHarness();

/** The first customer's row, taken by the sheet node as the column names of every later row. */
const FIRST_ROW = { name: 'Anna Nowak', email: 'anna.nowak@example.com', phone: '48600100200' };
const laterRows: IDataObject[] = [
	{ [FIRST_ROW.name]: 'Jan Kowalski', [FIRST_ROW.email]: 'jan@example.com', [FIRST_ROW.phone]: '48600100201' },
	{ [FIRST_ROW.name]: 'Ewa Wójcik', [FIRST_ROW.email]: 'ewa@example.com', [FIRST_ROW.phone]: '48600100202' },
];

async function run(continueOnFail: boolean) {
	return n8n.run({
		input: laterRows,
		node: {
			type: 'thuliumBatchCustomers',
			parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { validateOnly: true } },
			onError: continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
		},
		credentials: { thuliumApi: { baseUrl: 'http://127.0.0.1:9/api', login: 'api_user', password: 'api_pass' } },
	});
}

function expectNoFirstRowData(text: string) {
	for (const value of Object.values(FIRST_ROW)) expect(text).not.toContain(value);
}

describe('Auto-Map help on a sheet read without its header row', () => {
	it('keeps the first customer (the sheet\'s column names) out of the node error that stops the run', async () => {
		const result = await run(false);
		expect(result.error).toBeDefined();
		const error = result.error as unknown as IDataObject;
		expectNoFirstRowData(`${String(error.message)}\n${String(error.description)}`);
	});

	it('keeps the first customer out of every Failure item and the run summary', async () => {
		const result = await run(true);
		const [, failure] = result.outputs;
		expect(failure).toHaveLength(laterRows.length);
		for (const item of failure) expectNoFirstRowData(JSON.stringify(item.json.error));
		expectNoFirstRowData(JSON.stringify(result.hints));
	});
});
