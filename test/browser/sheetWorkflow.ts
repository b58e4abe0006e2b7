/**
 * A workflow as a low-code user builds one from a spreadsheet: the rows come with the sheet's
 * headers (`First Name`, `Last Name`, `E-mail`, `Phone`, `Birth Date`), and the Thulium node maps
 * each field below with an expression such as `{{ $json['First Name'] }}`. One row has no last
 * name, one repeats an earlier customer's phone number written another way.
 */
import { randomUUID } from 'node:crypto';

import type { DemoCredential, DemoWorkflow } from '../demo/workflows';
import { setNode } from '../demo/workflows';

export const SHEET_ROWS = [
	{ 'First Name': 'Jan', 'Last Name': 'Kowalski', 'E-mail': 'jan.kowalski@example.pl', Phone: '+48 600 100 200', 'Birth Date': '17.05.1980' },
	{ 'First Name': 'Anna', 'Last Name': 'Nowak', 'E-mail': 'anna.nowak@example.pl', Phone: 48600100201, 'Birth Date': '1981-02-03' },
	{ 'First Name': 'Piotr', 'Last Name': '', 'E-mail': 'piotr.lis@example.pl', Phone: '48600100202', 'Birth Date': '' },
	{ 'First Name': 'Jan', 'Last Name': 'Kowalski', 'E-mail': 'jan.k@example.pl', Phone: '48600100200', 'Birth Date': '' },
	{ 'First Name': 'Ewa', 'Last Name': 'Zielińska', 'E-mail': '', Phone: '', 'Birth Date': '' },
];

export const SHEET_NODES = { rows: 'Sheet Rows', vendor: 'Thulium', created: 'Created', failed: 'Why It Failed' };

/** What the run gives: rows 0, 1 and 4 created, 2 invalid (no last name), 3 a duplicate of row 0. */
export const SHEET_OUTCOME = { created: 3, failed: 2 };

const cell = (header: string) => `={{ $json['${header}'] }}`;

export function sheetWorkflow(credential: DemoCredential): DemoWorkflow {
	const link = (node: string) => [{ node, type: 'main' as const, index: 0 }];
	return {
		id: 'sheetThulium0001',
		name: 'A spreadsheet into Thulium',
		active: false,
		nodes: [
			{ id: randomUUID(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 100], parameters: {} },
			{
				id: randomUUID(),
				name: SHEET_NODES.rows,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [240, 100],
				parameters: { jsCode: `return ${JSON.stringify(SHEET_ROWS, null, 2)}.map((json) => ({ json }));` },
			},
			{
				id: randomUUID(),
				name: SHEET_NODES.vendor,
				type: 'n8n-nodes-customer-batch.thuliumBatchCustomers',
				typeVersion: 1,
				position: [500, 100],
				parameters: {
					resource: 'customer',
					operation: 'create',
					mappingMode: 'defineBelow',
					surname: cell('Last Name'),
					additionalFields: {
						name: cell('First Name'),
						email: [cell('E-mail')],
						phone_number: [cell('Phone')],
						birthdate: cell('Birth Date'),
					},
					options: {},
				},
				credentials: { [credential.type]: { id: credential.id, name: credential.name } },
			},
			setNode(SHEET_NODES.created, [760, 0], { name: cell('First Name'), customerId: '={{ $json.customerBatch.result.customer_id }}' }),
			setNode(SHEET_NODES.failed, [760, 200], { name: cell('First Name'), code: '={{ $json.error.code }}', message: '={{ $json.error.message }}' }),
		],
		connections: {
			Start: { main: [link(SHEET_NODES.rows)] },
			[SHEET_NODES.rows]: { main: [link(SHEET_NODES.vendor)] },
			[SHEET_NODES.vendor]: { main: [link(SHEET_NODES.created), link(SHEET_NODES.failed)] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}
