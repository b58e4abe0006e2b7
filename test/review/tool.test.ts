/**
 * Review of issue 18: a node run as a tool must answer every customer on its first output (the
 * only one n8n reads for a tool), "never an empty answer for a failure".
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { ThuliumBatchCustomers } from '../../nodes/Thulium/ThuliumBatchCustomers.node';
import { n8nHarness, nodeTypeName } from '../helpers/n8nWorkflow';
import { startTestSandbox } from '../helpers/sandboxClient';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { THULIUM_USER } from '../sandbox/vendors/thulium';

jest.setTimeout(30_000);

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startTestSandbox()));
afterAll(async () => sandbox.close());
beforeEach(async () => sandbox.reset());

const n8n = n8nHarness();

/** The node type n8n makes of a node for its tool use (convertNodeToAiTool): the same node, named `…Tool`. */
function asToolType(nodeType: INodeType): INodeType {
	return Object.assign(Object.create(nodeType) as INodeType, { description: { ...nodeType.description, name: `${nodeType.description.name}Tool` } });
}

describe('a node run as a tool', () => {
	it('answers nothing on its first output when an option\'s expression fails under On Error → Continue: the customer lands on the Failure output, which n8n never reads for a tool', async () => {
		const type = nodeTypeName('thuliumBatchCustomersTool');
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
});

describe('a tool answer for a refused credential', () => {
	it('says retriable: true, which the tool description tells the agent means "the same call may simply be repeated", and carries no nextStep', async () => {
		const type = nodeTypeName('thuliumBatchCustomersTool');
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

describe('attacks that held', () => {
	it('a tool call whose customer the vendor stored before answering 500 answers OUTCOME_UNKNOWN with mayBeStored and does not throw (n8n repeats a tool call only when it throws)', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'storeThenFail', status: 500 });
		const type = nodeTypeName('thuliumBatchCustomersTool');
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
