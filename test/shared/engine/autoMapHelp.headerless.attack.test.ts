/**
 * A sheet read without its header row, with Reject Unknown Fields on: the keys of every later row
 * are the first customer's data, and a name ("Anna Nowak") reads like a column name.
 */
import type { IDataObject } from 'n8n-workflow';

import { n8nHarness } from '../../helpers/n8nWorkflow';

const n8n = n8nHarness();

const FIRST_ROW = { name: 'Anna Nowak', city: 'Gdynia', email: 'anna.nowak@example.com' };
const laterRows: IDataObject[] = [
	{ [FIRST_ROW.name]: 'Jan Kowalski', [FIRST_ROW.city]: 'Sopot', [FIRST_ROW.email]: 'jan@example.com' },
	{ [FIRST_ROW.name]: 'Ewa Wójcik', [FIRST_ROW.city]: 'Gdańsk', [FIRST_ROW.email]: 'ewa@example.com' },
];

function runThulium(input: IDataObject[], continueOnFail: boolean) {
	return n8n.run({
		input,
		node: {
			type: 'thuliumBatchCustomers',
			parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { validateOnly: true, rejectUnknownFields: true } },
			onError: continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
		},
		credentials: { thuliumApi: { baseUrl: 'http://127.0.0.1:9/api', login: 'api_user', password: 'api_pass' } },
	});
}

describe('Auto-Map help on a sheet read without its header row, with Reject Unknown Fields', () => {
	it('keeps the first customer out of the node error that stops the run', async () => {
		const result = await runThulium(laterRows, false);
		expect(result.error).toBeDefined();
		const error = result.error as unknown as IDataObject;
		const shown = `${String(error.message)}\n${String(error.description)}`;
		for (const value of Object.values(FIRST_ROW)) expect(shown).not.toContain(value);
	});

	it('keeps an unknown key that is a customer\'s name (beside a real field) out of the run summary hints', async () => {
		const result = await runThulium([{ surname: 'Kowalska', 'Anna Kowalska': 'x' }, { surname: 'Nowak', 'Anna Kowalska': 'y' }], true);
		expect(JSON.stringify(result.hints)).not.toContain('Anna Kowalska');
	});

	it('keeps the first customer out of every Failure item and the run summary', async () => {
		const result = await n8n.run({
			input: laterRows,
			node: {
				type: 'thuliumBatchCustomers',
				parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { validateOnly: true, rejectUnknownFields: true } },
				onError: 'continueRegularOutput',
			},
			credentials: { thuliumApi: { baseUrl: 'http://127.0.0.1:9/api', login: 'api_user', password: 'api_pass' } },
		});
		const [, failure] = result.outputs;
		expect(failure).toHaveLength(laterRows.length);
		const shown = JSON.stringify({ errors: failure.map((item) => item.json.error), hints: result.hints });
		for (const value of Object.values(FIRST_ROW)) expect(shown).not.toContain(value);
	});
});
