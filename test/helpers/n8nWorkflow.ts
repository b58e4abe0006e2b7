/**
 * Runs workflows in process on n8n's own execution engine (n8n-core's WorkflowExecute), with
 * this package's node and credential types loaded from the source. Modelled on n8n's
 * NodeTestHarness (packages/core/nodes-testing in n8n-io/n8n), minus its nock and workflow files:
 *
 *   Input (pinned items) → node under test → optional following nodes
 *
 * Everything between the nodes is n8n's: parameter defaults and expressions, `getNodeParameter`,
 * `continueOnFail`, node settings (onError, alwaysOutputData, retryOnFail), paired items,
 * execution hints, and the request helpers: `httpRequestWithAuthentication` calls this file's
 * credentials helper for `preAuthentication` and `authenticate` (the parts of n8n's CLI
 * CredentialsHelper a workflow run needs, mirrored below), then sends the request with
 * n8n-core's own HTTP client. Nothing is faked on the way to the server (the vendor sandbox,
 * or a server a test starts).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ExecuteContext, ExecutionLifecycleHooks, getAdditionalKeys, LoadOptionsContext, RoutingNode, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialsExpressionResolveValues,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IRunExecutionData,
	ITaskData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	NodeExecutionHint,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, isExpression, NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';

// Read lazily by n8n-core, so set before any run. n8n's logger reports every node error; the
// assertions are the tests' business.
process.env.N8N_LOG_LEVEL ??= 'silent';
// n8n-core's InstanceSettings writes `<user folder>/.n8n/config` (an encryption key) when it is
// missing: a folder of the harness's own instead of the home directory, the file written once,
// atomically, so that parallel jest workers never read half of it.
const USER_FOLDER = path.join(os.tmpdir(), 'n8n-nodes-customer-batch-harness');
const TEST_ENCRYPTION_KEY = 'n8n-nodes-customer-batch test harness';
process.env.N8N_USER_FOLDER = USER_FOLDER;
process.env.N8N_ENCRYPTION_KEY = TEST_ENCRYPTION_KEY;
const settingsFile = path.join(USER_FOLDER, '.n8n', 'config');
if (!existsSync(settingsFile)) {
	mkdirSync(path.dirname(settingsFile), { recursive: true });
	const partial = `${settingsFile}.${process.pid}`;
	writeFileSync(partial, JSON.stringify({ encryptionKey: TEST_ENCRYPTION_KEY }), { mode: 0o600 });
	renameSync(partial, settingsFile);
}

const ROOT = path.resolve(__dirname, '../..');
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; n8n: { nodes: string[]; credentials: string[] } };

/** The name n8n gives a community node type: `<package>.<node name>`. */
export const nodeTypeName = (name: string) => `${PACKAGE.name}.${name}`;

/** The classes package.json lists (dist/…js), loaded from their source (…ts) so no build is needed. */
function loadFromSource<T>(distPaths: string[]): T[] {
	return distPaths.map((distPath) => {
		const source = path.join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		const exported = Object.values(require(source) as Record<string, new () => T>);
		if (exported.length !== 1) throw new Error(`${source} should export exactly one class`);
		return new exported[0]();
	});
}

// ---------------------------------------------------------------------------------------------
// Node types
// ---------------------------------------------------------------------------------------------

/** The workflow's first node: its output is the run's pinned input items. */
export const INPUT_NODE = 'Input';

const inputNodeType: INodeType = {
	description: {
		displayName: 'Test Input',
		name: 'testInput',
		group: ['trigger'],
		version: 1,
		description: 'Emits the items the test pins to it',
		defaults: { name: INPUT_NODE },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async execute() {
		return [[]];
	},
};

/**
 * A following node that evaluates its `value` parameter (an n8n expression) for each item and
 * outputs `{value}` paired with that item: `={{ $('Input').item.json }}` shows which input item
 * n8n's paired-item resolution leads back to.
 */
const traceNodeType: INodeType = {
	description: {
		displayName: 'Test Trace',
		name: 'testTrace',
		group: ['transform'],
		version: 1,
		description: 'Evaluates an expression per item',
		defaults: { name: 'Trace' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
	},
	async execute() {
		return [this.getInputData().map((_, itemIndex) => ({ json: { value: this.getNodeParameter('value', itemIndex) as IDataObject }, pairedItem: { item: itemIndex } }))];
	},
};

class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Map<string, INodeType | IVersionedNodeType>) {}

	getByName(name: string) {
		return this.types.get(name)!;
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown node type ${name}`);
		return NodeHelpers.getVersionedNodeType(type, version);
	}

	getKnownTypes() {
		return {};
	}
}

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

const credentialsMockNode: INode = { id: 'credentials', name: '', typeVersion: 1, type: 'mock', position: [0, 0], parameters: {} };
const noNodeTypes: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getKnownTypes: () => ({}),
};

/**
 * Credentials by type, for one run, with what n8n's CLI CredentialsHelper
 * (packages/cli/src/credentials-helper.ts) does to them on the way to a request: defaults and
 * expressions resolved (`getDecrypted`), `preAuthentication` for an expirable property,
 * `authenticate` as a function or as a generic definition whose expressions n8n resolves.
 * Not mirrored: the database, encryption, overwrites, external secrets, OAuth.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** Every credential write-back (preAuthentication's token), in order. */
	readonly updates: Array<{ type: string; data: ICredentialDataDecryptedObject }> = [];

	constructor(
		private readonly credentialTypes: Map<string, ICredentialType>,
		private readonly stored: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	private type(name: string): ICredentialType {
		const type = this.credentialTypes.get(name);
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.credentialTypes.get(name)?.extends ?? [];
		return [...parents, ...parents.flatMap((parent) => this.getParentTypes(parent))];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(name: string): INodeProperties[] {
		const type = this.type(name);
		if (!type.extends) return type.properties;
		const combined: INodeProperties[] = [];
		for (const parent of type.extends) NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		NodeHelpers.mergeNodeProperties(combined, type.properties);
		return combined;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		if (typeof authenticate === 'object' && authenticate.type === 'generic') {
			if (!workflow || !node) throw new Error('Workflow and node are required for declarative credential authentication');
			const resolve = (value: string) => {
				if (!isExpression(value)) return value;
				const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
				return resolved ? String(resolved as string) : '';
			};
			requestOptions.headers ??= {};
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				const target = ((requestOptions as unknown as IDataObject)[outerKey] ??= {}) as IDataObject;
				for (const [key, value] of Object.entries(outerValue as IDataObject)) target[resolve(key)] = resolve(value as string);
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find((property) => property.type === 'hidden' && property.typeOptions?.expirable === true);
		if (expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;
		const testing = node?.parameters?.temp === '' && node?.type === CREDENTIAL_TEST_NODE;
		if (credentials[expirable.name] !== '' && !credentialsExpired && !testing) return undefined;
		const output = (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) {
			await this.updateCredentials(node.credentials[typeName], typeName, { ...this.stored[typeName], ...output });
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	async runPreAuthentication(helpers: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, typeName: string) {
		const type = this.type(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return ((await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject) ?? undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('The test credentials helper hands out decrypted data only');
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.stored[type];
		if (data === undefined) throw new Error(`No credentials of type ${type} in this run`);
		if (raw === true) return structuredClone(data);
		return await this.applyDefaults(additionalData, data, type, mode, executeData, expressionResolveValues);
	}

	/** The CLI's applyDefaultsAndOverwrites, without overwrites: property defaults, then expressions. */
	async applyDefaults(
		additionalData: IWorkflowExecuteAdditionalData,
		data: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const withDefaults = NodeHelpers.getNodeParameters(this.getCredentialsProperties(type), structuredClone(data) as INodeParameters, true, false, null, null) as ICredentialDataDecryptedObject;
		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } = expressionResolveValues;
			return workflow.expression.getParameterValue(
				withDefaults as INodeParameters,
				runExecutionData,
				runIndex,
				itemIndex,
				node.name,
				connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				withDefaults,
			) as ICredentialDataDecryptedObject;
		}
		const workflow = new Workflow({ nodes: [credentialsMockNode], connections: {}, active: false, nodeTypes: noNodeTypes });
		return workflow.expression.getComplexParameterValue(
			credentialsMockNode,
			withDefaults as INodeParameters,
			mode,
			additionalKeys,
			undefined,
			undefined,
			withDefaults,
		) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.stored[type] = data;
		this.updates.push({ type, data });
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}
}

// ---------------------------------------------------------------------------------------------
// n8n's logger
// ---------------------------------------------------------------------------------------------

/** One call to n8n's logger: its level, message and metadata (as handed over, errors included). */
export interface LogLine {
	level: string;
	message: string;
	metadata: unknown;
}

const logCaptures = new Set<LogLine[]>();
let loggerPatched = false;

/**
 * Makes n8n's logger (n8n-core's Logger, which n8n-workflow's LoggerProxy forwards to and node
 * code reaches as `this.logger`) hand every call to the active captures too, whatever the log
 * level: its level methods all end in `log()` while the level is `silent`, the harness default.
 */
function patchN8nLogger(): void {
	if (loggerPatched) return;
	loggerPatched = true;
	const workflow = new Workflow({ nodes: [credentialsMockNode], connections: {}, active: false, nodeTypes: noNodeTypes });
	const context = new LoadOptionsContext(workflow, credentialsMockNode, additionalDataFor(new TestCredentialsHelper(new Map(), {})), '');
	const logger = context.logger as unknown as { log: (level: string, message: string, metadata: unknown) => void };
	const write = logger.log.bind(logger);
	logger.log = (level, message, metadata) => {
		for (const lines of logCaptures) lines.push({ level, message, metadata });
		write(level, message, metadata);
	};
}

/** Collects what n8n's logger is asked to write from now until `stop()`. */
export function captureLogs(): { lines: LogLine[]; stop: () => LogLine[] } {
	patchN8nLogger();
	const lines: LogLine[] = [];
	logCaptures.add(lines);
	return { lines, stop: () => (logCaptures.delete(lines), lines) };
}

// ---------------------------------------------------------------------------------------------
// The harness
// ---------------------------------------------------------------------------------------------

/** A node of the workflow. `type` is this package's node name (e.g. 'thuliumBatchCustomers') or a test type's. */
export interface NodeSpec {
	type: string;
	name?: string;
	parameters?: IDataObject;
	/** n8n's node settings. */
	onError?: INode['onError'];
	alwaysOutputData?: boolean;
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	executeOnce?: boolean;
	disabled?: boolean;
}

/** A node after the node under test, fed by one of its outputs (default 0). */
export interface FollowingNode extends NodeSpec {
	name: string;
	/** The output of the node under test it is connected to. */
	output?: number;
	/** Connect to this earlier following node instead of the node under test. */
	from?: string;
}

export interface RunOptions {
	/** The items the Input node emits (plain objects become `{json}`). */
	input: Array<IDataObject | INodeExecutionData>;
	node: NodeSpec;
	/** Decrypted credential data by credential type (the test's saved credentials). */
	credentials?: Record<string, IDataObject>;
	then?: FollowingNode[];
	/**
	 * Attach to each output of the node under test a node that asks n8n which Input item each
	 * output item comes from (`$('Input').item`): the answers are in `WorkflowRun.traced`.
	 */
	trace?: boolean;
	/** Node types used only by this run (a test-only node type, e.g. one running the engine directly). */
	nodeTypes?: Record<string, INodeType | IVersionedNodeType>;
	/** Workflow settings (executionOrder defaults to 'v1', as for new n8n workflows). */
	settings?: IDataObject;
}

export interface WorkflowRun {
	/** The node under test's items per output (its last run); [] for every output when it produced none. */
	outputs: INodeExecutionData[][];
	/**
	 * The execution's error, if n8n says the run failed: as n8n records it in the failed node's
	 * task, a plain copy of the thrown error (`{...error, message, stack}`, name and httpCode
	 * included). n8n also reports it when the last node to run threw and continued (onError).
	 */
	error?: ExecutionError;
	/** The node under test's execution hints (`this.addExecutionHints`), as n8n recorded them. */
	hints: NodeExecutionHint[];
	/** The node under test's task data as n8n recorded it (its last run; with retryOnFail, the last try). */
	task?: ITaskData;
	/** Items per output of every node that ran, by node name. */
	nodes: Record<string, INodeExecutionData[][]>;
	/** With `trace`: per output, the Input item's json n8n resolves each output item to. */
	traced: IDataObject[][];
	/** Node names in the order n8n finished them. */
	order: string[];
	run: IRun;
	/** Credential write-backs during the run (preAuthentication). */
	credentialUpdates: TestCredentialsHelper['updates'];
	/** What n8n's logger was asked to write during the run (see captureLogs). */
	logs: LogLine[];
}

const mainOutputs = (task: ITaskData | undefined): INodeExecutionData[][] => (task?.data?.main ?? []).map((items) => items ?? []);

export interface Harness {
	nodeTypes: Map<string, INodeType | IVersionedNodeType>;
	credentialTypes: Map<string, ICredentialType>;
	run(options: RunOptions): Promise<WorkflowRun>;
	/** Runs a credential's `test` request as n8n's CredentialsTester does: RoutingNode, then its rules. */
	testCredential(type: string, data: IDataObject): Promise<{ status: 'OK' | 'Error'; message: string }>;
	/**
	 * Runs `body` inside the execute() of a test node in a real n8n run, and returns what it
	 * returns (or throws what it throws): `fn` is n8n-core's ExecuteContext, for code that needs
	 * an IExecuteFunctions without being a node (the node declares the credential types given).
	 */
	inNode<T>(options: { credentials?: Record<string, IDataObject>; input?: RunOptions['input'] }, body: (fn: IExecuteFunctions) => Promise<T>): Promise<T>;
	/** Evaluates an n8n expression (`={{ … }}`) with extra keys such as `$credentials`, as n8n does for a request it routes. */
	evaluate(expression: string, additionalKeys: IDataObject): unknown;
	/** An ILoadOptionsFunctions from n8n-core for the node under test, e.g. to call `methods.loadOptions`. */
	loadOptionsContext(options: { node: NodeSpec; credentials?: Record<string, IDataObject> }): LoadOptionsContext;
}

let executionCounter = 0;

function additionalDataFor(credentialsHelper: TestCredentialsHelper, hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
	const fail = (what: string) => async () => {
		throw new Error(`${what} is not available in the test harness`);
	};
	return {
		credentialsHelper,
		hooks,
		executionId: hooks?.executionId ?? String(++executionCounter),
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		executeWorkflow: fail('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: fail('startRunnerTask'),
	} as unknown as IWorkflowExecuteAdditionalData;
}

const CREDENTIAL_TEST_NODE = 'n8n-nodes-base.noOp';

let shared: Pick<Harness, 'nodeTypes' | 'credentialTypes'> | undefined;

/** This package's node and credential types, loaded once per test file (jest module registry). */
function packageTypes() {
	if (!shared) {
		const nodeTypes = new Map<string, INodeType | IVersionedNodeType>();
		for (const type of loadFromSource<INodeType>(PACKAGE.n8n.nodes)) nodeTypes.set(nodeTypeName(type.description.name), type);
		nodeTypes.set('test.input', inputNodeType);
		nodeTypes.set('test.trace', traceNodeType);
		const credentialTypes = new Map<string, ICredentialType>();
		for (const type of loadFromSource<ICredentialType>(PACKAGE.n8n.credentials)) credentialTypes.set(type.name, type);
		shared = { nodeTypes, credentialTypes };
	}
	return shared;
}

/** The harness for this test file. Extra credential types (a test vendor's) can be added. */
export function n8nHarness(extraCredentialTypes: ICredentialType[] = []): Harness {
	const { nodeTypes, credentialTypes: packageCredentials } = packageTypes();
	const credentialTypes = new Map(packageCredentials);
	for (const type of extraCredentialTypes) credentialTypes.set(type.name, type);

	const resolveType = (type: string, local?: Record<string, unknown>) =>
		local?.[type] !== undefined || nodeTypes.has(type) ? type : nodeTypeName(type);

	const toNode = (spec: NodeSpec, name: string, position: number, registry: TestNodeTypes, credentials: Record<string, IDataObject>, local?: Record<string, unknown>): INode => {
		const type = resolveType(spec.type, local);
		const nodeType = registry.getByNameAndVersion(type);
		const node: INode = {
			id: `node-${position}`,
			name,
			type,
			typeVersion: Math.max(...[nodeType.description.version].flat()),
			position: [position * 200, 0],
			parameters: (spec.parameters ?? {}) as INodeParameters,
		};
		for (const setting of ['onError', 'alwaysOutputData', 'retryOnFail', 'maxTries', 'waitBetweenTries', 'executeOnce', 'disabled'] as const) {
			if (spec[setting] !== undefined) (node as unknown as IDataObject)[setting] = spec[setting];
		}
		const wanted = (nodeType.description.credentials ?? []).filter((credential) => credentials[credential.name] !== undefined);
		if (wanted.length) node.credentials = Object.fromEntries(wanted.map((credential) => [credential.name, { id: `cred-${credential.name}`, name: credential.name }]));
		return node;
	};

	const harness: Harness = {
		nodeTypes,
		credentialTypes,

		async run(options) {
			const registry = new TestNodeTypes(options.nodeTypes ? new Map([...nodeTypes, ...Object.entries(options.nodeTypes)]) : nodeTypes);
			const credentials = structuredClone(options.credentials ?? {}) as Record<string, ICredentialDataDecryptedObject>;
			const credentialsHelper = new TestCredentialsHelper(credentialTypes, credentials);

			const underTest = options.node.name ?? 'Node';
			const nodes: INode[] = [toNode({ type: 'test.input' }, INPUT_NODE, 0, registry, credentials)];
			nodes.push(toNode(options.node, underTest, 1, registry, credentials, options.nodeTypes));
			const connections: Workflow['connectionsBySourceNode'] = {
				[INPUT_NODE]: { main: [[{ node: underTest, type: NodeConnectionTypes.Main, index: 0 }]] },
			};
			const connect = (from: string, output: number, to: string) => {
				const outputs = (connections[from] ??= { main: [] }).main;
				while (outputs.length <= output) outputs.push([]);
				outputs[output]!.push({ node: to, type: NodeConnectionTypes.Main, index: 0 });
			};
			const following = [...(options.then ?? [])];
			const outputCount = () => {
				const description = registry.getByNameAndVersion(nodes[1].type).description;
				return Array.isArray(description.outputs) ? description.outputs.length : 1;
			};
			if (options.trace) {
				for (let output = 0; output < outputCount() + (options.node.onError === 'continueErrorOutput' ? 1 : 0); output++) {
					following.push({ name: `Trace ${output}`, type: 'test.trace', output, parameters: { value: `={{ $('${INPUT_NODE}').item.json }}` } });
				}
			}
			following.forEach((spec, index) => {
				nodes.push(toNode(spec, spec.name, index + 2, registry, credentials, options.nodeTypes));
				connect(spec.from ?? underTest, spec.output ?? 0, spec.name);
			});

			const workflow = new Workflow({
				id: 'test-workflow',
				name: 'Test',
				nodes,
				connections,
				active: false,
				nodeTypes: registry,
				settings: { executionOrder: 'v1', ...options.settings },
			});
			const hooks = new ExecutionLifecycleHooks('manual', String(++executionCounter), {
				id: 'test-workflow',
				name: 'Test',
				nodes,
				connections,
				active: false,
				settings: {},
				createdAt: new Date(),
				updatedAt: new Date(),
			} as never);
			const order: string[] = [];
			hooks.addHandler('nodeExecuteAfter', (nodeName) => void order.push(nodeName));
			const additionalData = additionalDataFor(credentialsHelper, hooks);

			const input = options.input.map((item) => ('json' in item && typeof item.json === 'object' && item.json !== null ? (item as INodeExecutionData) : { json: item as IDataObject }));
			const logs = captureLogs();
			const run = await new WorkflowExecute(additionalData, 'manual')
				.run({ workflow, startNode: nodes[0], pinData: { [INPUT_NODE]: input } })
				.finally(() => logs.stop());

			const { runData, error, lastNodeExecuted } = run.data.resultData;
			const last = (name: string) => runData[name]?.at(-1);
			const task = last(underTest);
			return {
				outputs: mainOutputs(task),
				error: error && ((lastNodeExecuted && last(lastNodeExecuted)?.error) || error),
				hints: task?.hints ?? [],
				task,
				nodes: Object.fromEntries(Object.keys(runData).map((name) => [name, mainOutputs(last(name))])),
				traced: options.trace
					? Array.from({ length: mainOutputs(task).length }, (_, output) => (mainOutputs(last(`Trace ${output}`))[0] ?? []).map((item) => item.json.value as IDataObject))
					: [],
				order,
				run,
				credentialUpdates: credentialsHelper.updates,
				logs: logs.lines,
			};
		},

		async testCredential(type, data) {
			// n8n's CredentialsTester.testCredentials (packages/cli/src/services/credentials-tester.service.ts).
			const credentialType = credentialTypes.get(type);
			const test: ICredentialTestRequest | undefined = credentialType?.test;
			if (!test) return { status: 'Error', message: 'No testing function found for this credential.' };
			const credentialsHelper = new TestCredentialsHelper(credentialTypes, { [type]: data as ICredentialDataDecryptedObject });
			const additionalData = additionalDataFor(credentialsHelper);
			const decrypted: ICredentialsDecrypted = {
				id: 'cred-test',
				name: type,
				type,
				data: await credentialsHelper.applyDefaults(additionalData, data as ICredentialDataDecryptedObject, type, 'internal'),
			};
			const nodeType: INodeType = {
				description: {
					displayName: 'No Operation',
					// The full type name n8n's loader gives its NoOp node, which the CLI's tester uses.
					name: CREDENTIAL_TEST_NODE,
					group: ['transform'],
					version: 1,
					description: '',
					defaults: { name: 'Temp-Node' },
					inputs: [NodeConnectionTypes.Main],
					outputs: [NodeConnectionTypes.Main],
					credentials: [{ name: type, required: true }],
					properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' }],
				},
			};
			const node: INode = {
				id: 'temp',
				parameters: {},
				name: 'Temp-Node',
				type: nodeType.description.name,
				typeVersion: 1,
				position: [0, 0],
				credentials: { [type]: { id: decrypted.id, name: decrypted.name } },
			};
			const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes(new Map([[nodeType.description.name, nodeType]])) });
			const runExecutionData: IRunExecutionData = { resultData: { runData: {} } } as IRunExecutionData;
			const executeData: IExecuteData = { node, data: {}, source: null };
			const context = new ExecuteContext(workflow, node, additionalData, 'internal', runExecutionData, 0, [], { main: [[{ json: {} }]] }, executeData, []);
			const routingNode = new RoutingNode(context, nodeType, decrypted);

			let response: INodeExecutionData[][] | null | undefined;
			try {
				response = await routingNode.runNode();
			} catch (caught) {
				const error = caught as Error & { cause?: { response?: { status: number; statusText?: string }; code?: string } };
				if (error.cause?.response) {
					const { status, statusText } = error.cause.response;
					for (const rule of test.rules ?? []) {
						if (rule.type === 'responseCode' && status === rule.properties.value) return { status: 'Error', message: rule.properties.message };
					}
					if (status < 199 || status > 299) return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
				} else if (error.cause?.code) {
					return { status: 'Error', message: error.cause.code };
				}
				return { status: 'Error', message: String(error.message) };
			}
			for (const rule of test.rules ?? []) {
				if (rule.type !== 'responseSuccessBody') continue;
				const body = response![0][0].json;
				if (getPath(body, rule.properties.key) === rule.properties.value) return { status: 'Error', message: rule.properties.message };
			}
			return { status: 'OK', message: 'Connection successful!' };
		},

		async inNode(options, body) {
			let outcome: { value: unknown } | { error: unknown } | undefined;
			const nodeType: INodeType = {
				description: {
					displayName: 'Test Code',
					name: 'testInNode',
					group: ['transform'],
					version: 1,
					description: 'Runs test code with its execute functions',
					defaults: { name: 'Code' },
					inputs: [NodeConnectionTypes.Main],
					outputs: [NodeConnectionTypes.Main],
					credentials: Object.keys(options.credentials ?? {}).map((name) => ({ name, required: true })),
					properties: [],
				},
				async execute() {
					try {
						outcome = { value: await body(this) };
					} catch (error) {
						outcome = { error };
					}
					return [this.getInputData()];
				},
			};
			const run = await harness.run({ input: options.input ?? [{}], node: { type: 'test.inNode' }, credentials: options.credentials, nodeTypes: { 'test.inNode': nodeType } });
			if (!outcome) outputsOrThrow(run);
			if (outcome && 'error' in outcome) throw outcome.error;
			return (outcome as { value: Awaited<ReturnType<typeof body>> }).value;
		},

		evaluate(expression, additionalKeys) {
			const workflow = new Workflow({ nodes: [credentialsMockNode], connections: {}, active: false, nodeTypes: noNodeTypes });
			return workflow.expression.getSimpleParameterValue(credentialsMockNode, expression, 'internal', additionalKeys);
		},

		loadOptionsContext({ node: spec, credentials = {} }) {
			const registry = new TestNodeTypes(nodeTypes);
			const node = toNode(spec, spec.name ?? 'Node', 0, registry, credentials);
			const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: registry });
			const additionalData = additionalDataFor(new TestCredentialsHelper(credentialTypes, structuredClone(credentials) as Record<string, ICredentialDataDecryptedObject>));
			// n8n's LoadNodeParameterOptions hands the node's current parameters over this way.
			additionalData.currentNodeParameters = workflow.getNode(node.name)!.parameters;
			return new LoadOptionsContext(workflow, workflow.getNode(node.name)!, additionalData, '');
		},
	};
	return harness;
}

/** lodash `get` for the dotted keys of a credential test rule. */
function getPath(value: unknown, key: string): unknown {
	return key.split('.').reduce<unknown>((current, part) => (current === null || current === undefined ? undefined : (current as IDataObject)[part]), value);
}

/** The outputs of a run, or its error thrown: for tests written as `await expect(…).rejects.toThrow()`. */
export function outputsOrThrow(run: WorkflowRun): INodeExecutionData[][] {
	if (run.error) throw Object.assign(new Error(run.error.message), run.error);
	return run.outputs;
}
