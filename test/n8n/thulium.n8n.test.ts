/**
 * Thulium Batch Create Customers in a real n8n against the sandbox: the foundation's end-to-end
 * checks. 250 customers (some invalid locally, some rejected by the vendor) checked item by
 * item on both outputs; the same with "On Error → Continue (using error output)"; a run through
 * 429 and 503 that stores every valid customer exactly once; a wrong password that stops the node.
 * N8N_TEST_LINES=1,2 also runs it on n8n 2.x (default: line 1 only).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { THULIUM_USER } from '../sandbox/vendors/thulium';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { buildWorkflow, createN8nInstance, itemsNode, manualTrigger, noOp, startSandbox } from './harness';
import type { Execution, N8nInstance, N8nLine, NodeSpec } from './harness';

jest.setTimeout(15 * 60_000);

const lines = (process.env.N8N_TEST_LINES ?? '1').split(',').map((line) => Number(line.trim()) as N8nLine);

/** What each of the 250 customers is: valid, invalid before sending, or refused by Thulium. */
type Kind = 'valid' | 'missingSurname' | 'badBirthdate' | 'tooLongPesel' | 'nonNumericPhone' | 'unknownType';

function kindOf(index: number): Kind {
	if (index % 25 === 3) return 'missingSurname';
	if (index % 25 === 11) return 'badBirthdate';
	if (index % 50 === 17) return 'tooLongPesel';
	if (index % 20 === 7) return 'nonNumericPhone';
	if (index % 40 === 29) return 'unknownType';
	return 'valid';
}

function customer(index: number): IDataObject {
	const base: IDataObject = {
		row: index,
		surname: `Nowak-${index}`,
		name: 'Anna',
		email: `anna.${index}@example.com`,
		phone_number: `48600${String(index).padStart(6, '0')}`,
		birthdate: '1985-07-01',
		address: { city: 'Poznań', postcode: '60-001' },
		custom_fields: { source: 'n8n-test' },
		crm_only_field: 'ignored in auto-map',
	};
	switch (kindOf(index)) {
		case 'missingSurname':
			delete base.surname;
			break;
		case 'badBirthdate':
			base.birthdate = '31/02/1985';
			break;
		case 'tooLongPesel':
			base.pesel = '123456789012';
			break;
		case 'nonNumericPhone':
			base.phone_number = 'call me';
			break;
		case 'unknownType':
			base.type = 'Stranger';
			break;
	}
	return base;
}

const customers = Array.from({ length: 250 }, (_, index) => customer(index));
const locallyInvalid = new Set<Kind>(['missingSurname', 'badBirthdate', 'tooLongPesel']);
const expectedSuccess = customers.map((_, index) => index).filter((index) => kindOf(index) === 'valid');
const expectedFailure = customers.map((_, index) => index).filter((index) => kindOf(index) !== 'valid');
const indexOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;

/** `withRecord`: the node ran with Include Sent Record, so Success items carry the sent record; else they carry none. */
function checkItemByItem(run: Execution, withRecord: boolean) {
	const [success, failure, ...extra] = run.outputs('Thulium');
	expect(extra.every((output) => output.length === 0)).toBe(true);
	expect(success.map(indexOf)).toEqual(expectedSuccess);
	expect(failure.map(indexOf)).toEqual(expectedFailure);

	for (const item of success) {
		const input = customers[indexOf(item)];
		expect(item.json.row).toBe(input.row);
		const batch = item.json.customerBatch as IDataObject;
		expect(batch.status).toBe('success');
		expect((batch.result as IDataObject).customer_id).toMatch(/^\d+$/);
		if (withRecord) {
			expect((batch.record as IDataObject).surname).toBe(input.surname);
			expect(batch.record).not.toHaveProperty('crm_only_field');
		} else {
			expect(batch).not.toHaveProperty('record');
		}
	}
	for (const item of failure) {
		const kind = kindOf(indexOf(item));
		const error = errorOf(item);
		expect(item.json.row).toBe(indexOf(item));
		if (locallyInvalid.has(kind)) {
			expect(error.code).toBe('INVALID_RECORD');
			expect(error.field).toBe({ missingSurname: 'surname', badBirthdate: 'birthdate', tooLongPesel: 'pesel' }[kind as string]);
		} else {
			expect(error.code).toBe('VENDOR_REJECTED');
			expect(error.message).toBe(kind === 'nonNumericPhone' ? 'Phone number must be numeric.' : 'Customer type "Stranger" does not exist.');
			expect(error.httpStatus).toBe(400);
		}
	}
	expect(run.json('Succeeded')).toHaveLength(expectedSuccess.length);
	expect(run.json('Failed')).toHaveLength(expectedFailure.length);
}

describe.each(lines)('Thulium on n8n line %i', (line) => {
	let sandbox: SandboxHandle;
	let n8n: N8nInstance;
	const ids: Record<'mixed' | 'errorOutput' | 'faulty' | 'wrongPassword' | 'unreachable', string> = {
		mixed: '',
		errorOutput: '',
		faulty: '',
		wrongPassword: '',
		unreachable: '',
	};

	const thuliumNode = (settings: Partial<NodeSpec> = {}, credentialId = 'thuliumGood1'): NodeSpec => ({
		name: 'Thulium',
		type: n8n.nodeType('thuliumBatchCustomers'),
		typeVersion: 1,
		parameters: { resource: 'customer', operation: 'create', mappingMode: 'autoMapInputData', options: { batchSize: 100 } },
		credentials: { thuliumApi: { id: credentialId, name: credentialId } },
		...settings,
	});

	const workflow = (name: string, node: NodeSpec, items: IDataObject[] = customers) =>
		buildWorkflow({
			name,
			nodes: [manualTrigger(), itemsNode('Customers', items), node, noOp('Succeeded'), noOp('Failed'), noOp('Errored')],
			edges: [
				['Start', 'Customers'],
				['Customers', 'Thulium'],
				['Thulium', 'Succeeded', 0],
				['Thulium', 'Failed', 1],
				['Thulium', 'Errored', 2],
			],
		});

	beforeAll(async () => {
		sandbox = await startSandbox();
		n8n = await createN8nInstance({ line, install: 'community' });
		const baseUrl = `${sandbox.url}/thulium/api`;
		await n8n.importCredentials([
			{ id: 'thuliumGood1', name: 'thuliumGood1', type: 'thuliumApi', data: { baseUrl, ...THULIUM_USER } },
			{ id: 'thuliumWrong1', name: 'thuliumWrong1', type: 'thuliumApi', data: { baseUrl, login: THULIUM_USER.login, password: 'not-the-password' } },
			// Port 9 (discard) has no listener here: every connection is refused.
			{ id: 'thuliumClosed1', name: 'thuliumClosed1', type: 'thuliumApi', data: { baseUrl: 'http://127.0.0.1:9/api', ...THULIUM_USER } },
		]);
		[ids.mixed, ids.errorOutput, ids.faulty, ids.wrongPassword, ids.unreachable] = await n8n.importWorkflows([
			workflow(
				'thulium mixed 250',
				thuliumNode({ parameters: { resource: 'customer', operation: 'create', mappingMode: 'autoMapInputData', options: { batchSize: 100, includeSentRecord: true } } }),
			),
			workflow('thulium mixed 250, error output', thuliumNode({ onError: 'continueErrorOutput' } as Partial<NodeSpec>)),
			workflow('thulium through 429 and 503', thuliumNode(), customers.filter((_, index) => kindOf(index) === 'valid')),
			workflow('thulium wrong password', thuliumNode({}, 'thuliumWrong1'), customers.slice(0, 5)),
			workflow(
				'thulium unreachable',
				thuliumNode({ parameters: { resource: 'customer', operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 0 } } }, 'thuliumClosed1'),
				customers.slice(0, 5),
			),
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sandbox?.close();
	});

	beforeEach(async () => sandbox.reset());

	it('routes 250 customers item by item: valid ones stored, invalid and rejected ones on Failure', async () => {
		const run = await n8n.execute(ids.mixed);
		expect(run.ok).toBe(true);
		checkItemByItem(run, true);
		const stored = (await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers;
		expect(stored.map((entry) => entry.surname)).toEqual(expectedSuccess.map((index) => customers[index].surname));
		const sizes = (await sandbox.requests('thulium')).map((request) => JSON.parse(request.rawBody).customers.length);
		expect(sizes).toEqual([100, 100, 250 - 200 - expectedFailure.filter((index) => locallyInvalid.has(kindOf(index))).length]);
	});

	it('keeps Failure items on the Failure output when the error output is enabled', async () => {
		const run = await n8n.execute(ids.errorOutput);
		expect(run.ok).toBe(true);
		expect(run.outputs('Thulium')).toHaveLength(3);
		expect(run.output('Thulium', 2)).toHaveLength(0);
		checkItemByItem(run, false);
		expect(run.executedNodes).not.toContain('Errored');
	});

	it('delivers every valid customer exactly once through 429 and 503', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'status', status: 429, retryAfter: 1 }, { vendor: 'thulium', type: 'status', status: 503 });
		const run = await n8n.execute(ids.faulty);
		expect(run.ok).toBe(true);
		expect(run.output('Thulium', 1)).toHaveLength(0);
		expect(run.output('Thulium', 0)).toHaveLength(expectedSuccess.length);
		const stored = (await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers;
		const surnames = stored.map((entry) => entry.surname);
		expect(surnames).toHaveLength(expectedSuccess.length);
		expect(new Set(surnames).size).toBe(surnames.length);
		expect(await sandbox.requests('thulium')).toHaveLength(Math.ceil(expectedSuccess.length / 100) + 2);
	});

	it('stops the node with a clear credential error that does not contain the password', async () => {
		const run = await n8n.execute(ids.wrongPassword);
		expect(run.ok).toBe(false);
		const error = run.nodeError('Thulium');
		expect(error?.message).toMatch(/check login, password/);
		expect(JSON.stringify(run.run)).not.toContain('not-the-password');
	});

	it("keeps the node's own words for a refused connection, which n8n would replace with its generic text", async () => {
		const run = await n8n.execute(ids.unreachable);
		expect(run.ok).toBe(false);
		expect(run.nodeError('Thulium')?.message).toBe(
			'Could not connect to the vendor (connection refused) after 1 attempt: check the base URL and that the service is up',
		);
	});
});
