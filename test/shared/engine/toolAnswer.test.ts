/**
 * The answer of a node run as a tool: built from the outcomes (toolAnswers), and in n8n's own
 * engine for a node whose type is the tool type n8n derives (`…Tool`), against the sandbox.
 * test/n8n/mcp.n8n.test.ts calls the same through n8n's MCP Server Trigger.
 */
import type { IDataObject, INode, INodeType } from 'n8n-workflow';

import { DustessBatchCustomers } from '../../../nodes/Dustess/DustessBatchCustomers.node';
import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import { runsAsTool, toolAnswers } from '../../../nodes/shared/engine/toolAnswer';
import { ThuliumBatchCustomers } from '../../../nodes/Thulium/ThuliumBatchCustomers.node';
import { n8nHarness, nodeTypeName } from '../../helpers/n8nWorkflow';
import { useTestSandbox } from '../../helpers/sandboxClient';
import { DUSTESS_CLIENT } from '../../sandbox/vendors/dustess';
import { THULIUM_USER } from '../../sandbox/vendors/thulium';
import { fakeApiCredential, fakeNodeType, fakeOperation } from './fakeOperation';

const node = (type: string) => ({ type }) as INode;

describe('runsAsTool', () => {
	it('tells the tool node type n8n derives from a node (its type plus "Tool") from the node itself', () => {
		expect(runsAsTool(node('n8n-nodes-customer-batch.thuliumBatchCustomersTool'))).toBe(true);
		expect(runsAsTool(node('CUSTOM.dustessBatchCustomersTool'))).toBe(true);
		expect(runsAsTool(node('n8n-nodes-customer-batch.thuliumBatchCustomers'))).toBe(false);
	});
});

describe('toolAnswers', () => {
	const create = { operation: 'create', resultId: 'customer_id' };

	it('answers every customer on the one output n8n reads, in input order: created with the id, or why not', () => {
		const [answers, ...rest] = toolAnswers(
			[
				{ ok: true, record: { surname: 'Nowak' }, result: { customer_id: '42', http_status: 201 }, batch: 1 },
				{ ok: false, record: { surname: '' }, error: { message: 'Invalid customer: Surname is required', code: 'INVALID_RECORD', retriable: false, mayBeStored: false, field: 'surname', problems: [] } },
			],
			2,
			create,
		);
		expect(rest).toEqual([]);
		expect(answers).toEqual([
			{ json: { created: true, id: '42' }, pairedItem: { item: 0 } },
			{
				json: { created: false, error: { code: 'INVALID_RECORD', message: 'Invalid customer: Surname is required', field: 'surname', nextStep: 'fixData', retriable: false, mayBeStored: false } },
				pairedItem: { item: 1 },
			},
		]);
	});

	it('keeps the record, the vendor\'s raw answer and the request details out of the answer', () => {
		const [[answer]] = toolAnswers(
			[{ ok: false, record: { surname: 'Nowak' }, error: { message: 'Refused', code: 'VENDOR_REJECTED', retriable: false, mayBeStored: false, httpStatus: 400, vendorCode: 7, requestId: 'r-1', batch: 1 } }],
			1,
			create,
		);
		expect(answer.json).toEqual({ created: false, error: { code: 'VENDOR_REJECTED', message: 'Refused', nextStep: 'fixData', retriable: false, mayBeStored: false } });
	});

	it('says "updated" for an update, and reports a trace id where the vendor gives no customer id', () => {
		expect(toolAnswers([{ ok: true, record: {}, result: { id: 'c-1' } }], 1, { operation: 'update', resultId: 'id' })[0][0].json).toEqual({ updated: true, id: 'c-1' });
		expect(toolAnswers([{ ok: true, record: {}, result: { traceId: 't-9' } }], 1, { operation: 'create' })[0][0].json).toEqual({ created: true, traceId: 't-9' });
	});

	it('says a customer checked under Validate Only was not created', () => {
		expect(toolAnswers([{ ok: true, record: {}, result: { validatedOnly: true } }], 1, create)[0][0].json).toEqual({ created: false, validatedOnly: true });
	});

	it('never answers nothing: a customer without an outcome may have been stored', () => {
		expect(toolAnswers([], 1, create)[0][0].json).toEqual({
			created: false,
			error: { code: 'NO_RESULT', message: expect.stringMatching(/may or may not have been stored/), nextStep: 'checkVendorFirst', retriable: false, mayBeStored: true },
		});
	});
});

/** The node type n8n makes of a node for its tool use (convertNodeToAiTool): the same node, named `…Tool`. */
function asToolType(nodeType: INodeType): INodeType {
	return Object.assign(Object.create(nodeType) as INodeType, { description: { ...nodeType.description, name: `${nodeType.description.name}Tool` } });
}

describe('a node run as a tool, in n8n\'s engine', () => {
	const sandbox = useTestSandbox();
	const n8n = n8nHarness();
	const thuliumTool = nodeTypeName('thuliumBatchCustomersTool');
	const dustessTool = nodeTypeName('dustessBatchCustomersTool');
	const run = (type: string, nodeType: INodeType, input: IDataObject[], parameters: IDataObject, credentials: Record<string, IDataObject>) =>
		n8n.run({
			input,
			node: { type, parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 0 }, ...parameters } },
			credentials,
			nodeTypes: { [type]: asToolType(nodeType) },
		});
	const thulium = { thuliumApi: { baseUrl: '', ...THULIUM_USER } };

	it('puts every customer on the first output, the one n8n reads, and nothing on Failure', async () => {
		thulium.thuliumApi.baseUrl = `${sandbox.url}/thulium/api`;
		const result = await run(thuliumTool, new ThuliumBatchCustomers(), [{ surname: 'Nowak' }, { name: 'No Surname' }, { surname: 'Wiśniewska' }], {}, thulium);
		expect(result.error).toBeUndefined();
		const [answers, failure = []] = result.outputs;
		expect(failure).toEqual([]);
		const { customers } = await sandbox.store<{ customers: IDataObject[] }>('thulium');
		expect(answers.map((item) => item.json)).toEqual([
			{ created: true, id: customers[0].customer_id },
			{ created: false, error: { code: 'INVALID_RECORD', message: expect.stringMatching(/surname/i), field: 'surname', nextStep: 'fixData', retriable: false, mayBeStored: false } },
			{ created: true, id: customers[1].customer_id },
		]);
		expect(answers.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('masks a secret the vendor echoes in its refusal, as on the Failure output', async () => {
		await sandbox.configure('dustess', { echoUrlInErrors: true });
		const result = await run(dustessTool, new DustessBatchCustomers(), [{ remark: 'Bad Number', pool: 'p1', mobiles: [{ tel: '12ab', type: 'mobile' }] }], {}, { dustessApi: { baseUrl: `${sandbox.url}/dustess`, ...DUSTESS_CLIENT } });
		const [[answer]] = result.outputs;
		expect(answer.json).toEqual({ created: false, error: { code: 'VENDOR_REJECTED', message: expect.stringContaining('accessToken=***'), nextStep: 'fixData', retriable: false, mayBeStored: false } });
		const { tokens } = await sandbox.store<{ tokens: string[] }>('dustess');
		for (const token of tokens) expect(JSON.stringify(answer.json)).not.toContain(token);
	});
});

describe('tool answers when a run stops or fails', () => {
	const sandbox = useTestSandbox();
	const n8n = n8nHarness();
	const type = nodeTypeName('thuliumBatchCustomersTool');

	describe('a node run as a tool', () => {
		it('answers nothing on its first output when an option\'s expression fails under On Error → Continue: the customer lands on the Failure output, which n8n never reads for a tool', async () => {
			const run = await n8n.run({
				input: [{ surname: 'Nowak' }],
				node: {
					type,
					parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 0, batchSize: '={{ "ten".toNumber() }}' } },
					onError: 'continueRegularOutput',
				},
				credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
				nodeTypes: { [type]: asToolType(new ThuliumBatchCustomers()) },
			});
			expect(await sandbox.requests('thulium')).toHaveLength(0);
			const [answers = [], ...others] = run.outputs;
			expect(others.flat().length).toBe(0);
			expect(answers.map((item) => item.json)).toEqual([{ created: false, error: expect.objectContaining({ code: 'NOT_SENT', mayBeStored: false }) as IDataObject }]);
		});

		it('answers every customer on its first output when an exception nobody foresaw breaks the run under On Error → Continue', async () => {
			// An adapter bug: the credential check throws, before any row was sent.
			const broken: BatchOperation = {
				...fakeOperation,
				credentialProblem: () => {
					throw new Error('adapter bug');
				},
			};
			const run = await n8nHarness([fakeApiCredential]).run({
				input: [{ name: 'a' }, { name: 'b' }],
				node: { type: 'fakeBatchCustomersTool', parameters: { mappingMode: 'autoMapInputData', options: {} }, onError: 'continueRegularOutput' },
				credentials: { fakeApi: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' } },
				nodeTypes: { fakeBatchCustomersTool: asToolType(fakeNodeType(broken)) },
			});
			const [answers = [], ...others] = run.outputs;
			expect(others.flat().length).toBe(0);
			expect(answers.map((item) => item.json)).toEqual(
				Array(2).fill({ created: false, error: { code: 'NOT_SENT', message: "Not sent: the node failed before this customer's turn (an unexpected Error)", nextStep: 'sendAgainLater', retriable: true, mayBeStored: false } }),
			);
		});
	});

	describe('a tool answer for a refused credential', () => {
		it('says retriable: true, which the tool description tells the agent means "the same call may simply be repeated", and carries no nextStep', async () => {
			const toolType = asToolType(new ThuliumBatchCustomers());
			const run = await n8n.run({
				input: [{ surname: 'Nowak' }],
				node: { type, parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 0 } }, onError: 'continueRegularOutput' },
				credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER, password: 'wrong password' } },
				nodeTypes: { [type]: toolType },
			});
			const [[answer]] = run.outputs;
			const error = answer.json.error as IDataObject;
			expect(error).toMatchObject({ code: 'CONFIGURATION_ERROR', retriable: true, mayBeStored: false });
			const description = String(toolType.description.properties.find((property) => property.name === 'toolDescription' && JSON.stringify(property.displayOptions).includes('create'))?.default);
			// What the agent reads must not invite it to repeat a call that fails until the credential is fixed
			// (issue 15 item 18: a loop of 401s can lock the API user): the README's nextStep says "fixSettings".
			expect({ nextStep: error.nextStep, descriptionInvitesRepeat: /retriable true means the same call may simply be repeated/.test(description) }).toEqual({
				nextStep: 'fixSettings',
				descriptionInvitesRepeat: false,
			});
		});
	});

	describe('a tool call whose outcome is unknown', () => {
		it('a tool call whose customer the vendor stored before answering 500 answers OUTCOME_UNKNOWN with mayBeStored and does not throw (n8n repeats a tool call only when it throws)', async () => {
			await sandbox.inject({ vendor: 'thulium', type: 'storeThenFail', status: 500 });
			const run = await n8n.run({
				input: [{ surname: 'Nowak' }],
				node: { type, parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 3 } } },
				credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, ...THULIUM_USER } },
				nodeTypes: { [type]: asToolType(new ThuliumBatchCustomers()) },
			});
			expect(run.error).toBeUndefined();
			expect(await sandbox.requests('thulium')).toHaveLength(1);
			expect(run.outputs[0].map((item) => item.json)).toEqual([{ created: false, error: expect.objectContaining({ code: 'OUTCOME_UNKNOWN', retriable: false, mayBeStored: true }) as IDataObject }]);
		});
	});
});
