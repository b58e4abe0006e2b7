/**
 * Queue mode, as n8n users scale out: n8n main, Redis as the queue, Postgres as the database and
 * two `n8n worker` processes, each with its own user folder and the package installed there as a
 * community package (scripts/queue-services.sh brings Postgres and Redis; installed when missing).
 *
 * A production Webhook workflow is called 6 times at once; main queues the executions and the
 * workers take them (3 at a time each). Every execution pushes 1,000 Dustess contacts through
 * our node. Checked: both workers ran executions (their logs), every execution's Success +
 * Failure equals its input (the run data n8n stored in Postgres), every contact is stored exactly
 * once (the sandbox), and the token requests: one per worker (each worker process has its own
 * token cache).
 *
 * Then the same with a sandbox that revokes a client's older tokens whenever it issues a new one:
 * the workers knock each other's token out. Checked: no contact stored twice, a bounded number
 * of token requests, every item on one output (or, where nothing at all was stored, the execution
 * stopped with the token error), every Failure item safe to send again (`retriable`, not
 * `mayBeStored`) — and the README's advice for this case, running the stopped executions and the
 * Failure rows again later, stores every remaining contact exactly once.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { freePorts } from '../helpers/ports';
import type { SandboxHandle } from '../helpers/sandboxClient';
import { createN8nInstance, startQueueServices, startSandbox } from './harness';
import type { N8nInstance, N8nLine, N8nProcess, QueueServices, WorkflowInput } from './harness';

jest.setTimeout(20 * 60_000);

const lines = (process.env.N8N_TEST_LINES ?? '1').split(',').map((line) => Number(line.trim()) as N8nLine);

const EXECUTIONS = 6;
const CONTACTS_PER_EXECUTION = 1000;
const WORKERS = 2;
const WORKER_CONCURRENCY = 3;
const BATCH_SIZE = 50;
const MAX_RETRIES = 3;
const TOKEN_PATH = '/auth/v1/access_token/token';
const CUSTOMER_PATH = '/customer/v1/batchAddCustomer';

interface DustessStore {
	contacts: Array<IDataObject & { mobiles: Array<{ tel: string }> }>;
	tokensByClient: Record<string, number>;
}

interface StoredExecution {
	id: string;
	status: string;
	data: string;
}

/** What one execution did, from the run data n8n stored. */
interface Outcome {
	executionId: string;
	/** The `batch` the webhook was called with. */
	batch: number;
	status: string;
	input: number;
	success: number;
	failure: number;
	failureCodes: Record<string, number>;
	/** The Failure items' json, as the node put them out. */
	failures: IDataObject[];
	nodeError?: string;
}

/** The phone number of contact `index` of execution `batch` in the run with this prefix (as the workflow makes it). */
const tel = (prefix: string, batch: number, index: number) => `${prefix}${batch}${String(index).padStart(6, '0')}`;

function queueWorkflow(
	n8n: N8nInstance,
	options: { run: string; telPrefix: string; credentialId: string; webhookPath: string; rowsFromBody?: boolean },
): WorkflowInput {
	const makeContacts =
		'const batch = Number($json.body.batch);\n' +
		`return Array.from({ length: ${CONTACTS_PER_EXECUTION} }, (_, index) => ({ json: { ` +
		`remark: 'Queue ${options.run}-' + batch + '-' + index, pool: 'pool-1', ` +
		`mobiles: [{ tel: '${options.telPrefix}' + batch + String(index).padStart(6, '0'), type: 'mobile' }] } }));`;
	return {
		name: `Queue mode: ${CONTACTS_PER_EXECUTION} Dustess contacts per call (${options.run})`,
		nodes: [
			{
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path: options.webhookPath, responseMode: 'onReceived', options: {} },
			},
			{
				name: 'Contacts',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				// The resend workflow takes Failure items as they came out of the node (the README's recipe).
				parameters: { jsCode: options.rowsFromBody ? 'return $json.body.rows.map((json) => ({ json }));' : makeContacts },
			},
			{
				name: 'Create Contacts',
				type: n8n.nodeType('dustessBatchCustomers'),
				typeVersion: 1,
				parameters: {
					resource: 'customer',
					operation: 'create',
					mappingMode: 'autoMapInputData',
					options: { batchSize: BATCH_SIZE, maxRetries: MAX_RETRIES },
				},
				credentials: { dustessApi: { id: options.credentialId, name: `Dustess ${options.run}` } },
			},
			{ name: 'Created', type: 'n8n-nodes-base.noOp', typeVersion: 1 },
			{ name: 'Not Created', type: 'n8n-nodes-base.noOp', typeVersion: 1 },
		],
		connections: {
			Webhook: { main: [[{ node: 'Contacts', type: 'main', index: 0 }]] },
			Contacts: { main: [[{ node: 'Create Contacts', type: 'main', index: 0 }]] },
			'Create Contacts': {
				main: [[{ node: 'Created', type: 'main', index: 0 }], [{ node: 'Not Created', type: 'main', index: 0 }]],
			},
		},
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sandbox: SandboxHandle;
beforeAll(async () => (sandbox = await startSandbox()));
afterAll(async () => sandbox?.close());

describe.each(lines)('queue mode: n8n line %i, Postgres, Redis, main and two workers', (line) => {
	let services: QueueServices;
	let n8n: N8nInstance;
	let main: N8nProcess;
	let workers: N8nProcess[] = [];
	let baseUrl: string;
	type Run = 'shared' | 'revoking' | 'resend';
	const workflows: Record<Run, { id: string; webhookPath: string; clientId: string; telPrefix: string; credentialId: string }> = {
		shared: { id: '', webhookPath: `queue-${line}-shared-${randomUUID().slice(0, 8)}`, clientId: `test-queue-${line}-shared`, telPrefix: '131', credentialId: 'dustessQueue1' },
		revoking: { id: '', webhookPath: `queue-${line}-revoking-${randomUUID().slice(0, 8)}`, clientId: `test-queue-${line}-revoking`, telPrefix: '132', credentialId: 'dustessQueue2' },
		// Sends the revoking run's Failure rows again, with the same credential.
		resend: { id: '', webhookPath: `queue-${line}-resend-${randomUUID().slice(0, 8)}`, clientId: `test-queue-${line}-revoking`, telPrefix: '132', credentialId: 'dustessQueue2' },
	};
	const runs: Run[] = ['shared', 'revoking', 'resend'];
	const started = Date.now();

	beforeAll(async () => {
		services = await startQueueServices();
		const [port] = await freePorts(1);
		baseUrl = `http://127.0.0.1:${port}`;
		n8n = await createN8nInstance({
			line,
			install: 'community',
			env: { ...services.env, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', WEBHOOK_URL: `${baseUrl}/` },
		});
		// The CLI commands below run against Postgres: they also create n8n's tables there.
		await n8n.importCredentials(
			(['shared', 'revoking'] as const).map((run) => ({
				id: workflows[run].credentialId,
				name: `Dustess ${run}`,
				type: 'dustessApi',
				data: { baseUrl: `${sandbox.url}/dustess`, clientId: workflows[run].clientId, clientSecret: `${workflows[run].clientId}-secret` },
			})),
		);
		const ids = await n8n.importWorkflows(runs.map((run) => queueWorkflow(n8n, { run, ...workflows[run], rowsFromBody: run === 'resend' })));
		runs.forEach((run, index) => (workflows[run].id = ids[index]));
		// `import:workflow --activeState=fromJson` activates on line 1 only (line 2 leaves them
		// unpublished); `update:workflow --active=true` works on both (line 2 publishes).
		for (const id of ids) {
			const result = await n8n.run(['update:workflow', `--id=${id}`, '--active=true']);
			if (result.code !== 0) throw new Error(`could not activate workflow ${id}:\n${result.stdout}\n${result.stderr}`);
		}

		main = await n8n.startProcess('main', ['start']);
		workers = [];
		for (let index = 1; index <= WORKERS; index++) {
			workers.push(await n8n.startProcess(`worker-${index}`, ['worker', `--concurrency=${WORKER_CONCURRENCY}`], { ownUserFolder: true }));
		}
		await Promise.all([
			main.waitForOutput(/Editor is now accessible via/),
			...workers.map((worker) => worker.waitForOutput(/n8n worker is now ready/)),
		]);
		// Line 2 opens the editor before it has registered the production webhooks (and logs
		// nothing when it has): wait until both are in n8n's webhook table.
		const registered = async () =>
			(await services.query(`select "webhookPath" from webhook_entity where "workflowId" in ('${ids.join("','")}')`)).length;
		const deadline = Date.now() + 3 * 60_000;
		while ((await registered()) < ids.length) {
			if (Date.now() > deadline) throw new Error(`n8n main registered no webhooks for ${ids.join(', ')} within 3 minutes:\n${main.output().slice(-3000)}`);
			await sleep(500);
		}
		process.stderr.write(`[queue line ${line}] services, n8n main and ${WORKERS} workers ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await services?.stop();
		process.stderr.write(`[queue line ${line}] ${((Date.now() - started) / 1000).toFixed(1)} s in all\n`);
	});

	/** Calls the workflow's production webhook once per body, all at once; waits until these executions ended. */
	async function callAtOnce(run: Run, bodies: IDataObject[]): Promise<Outcome[]> {
		const { id, webhookPath } = workflows[run];
		const [{ last }] = await services.query<{ last: number }>('select coalesce(max(id), 0) as last from execution_entity');
		const calls = await Promise.all(
			bodies.map((body) =>
				fetch(`${baseUrl}/webhook/${webhookPath}`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify(body),
				}).then(async (response) => ({ status: response.status, body: await response.text() })),
			),
		);
		expect(calls.filter((call) => call.status !== 200)).toEqual([]);

		const deadline = Date.now() + 10 * 60_000;
		let executions: Array<{ id: string; status: string }> = [];
		while (Date.now() < deadline) {
			executions = await services.query(`select id::text, status from execution_entity where "workflowId" = '${id}' and id > ${last}`);
			if (executions.length >= bodies.length && executions.every((execution) => !['new', 'running', 'waiting'].includes(execution.status))) break;
			await sleep(500);
		}
		expect(executions).toHaveLength(bodies.length);

		const stored = await services.query<StoredExecution>(
			`select e.id::text, e.status, d.data from execution_entity e join execution_data d on d."executionId" = e.id where e."workflowId" = '${id}' and e.id > ${last} order by e.id`,
		);
		return stored.map((execution) => {
			const runData = n8n.parseStoredRunData(execution.data).resultData.runData;
			const items = (node: string, output: number): INodeExecutionData[] => runData[node]?.[0]?.data?.main?.[output] ?? [];
			const failures = items('Create Contacts', 1).map((item) => item.json);
			const failureCodes: Record<string, number> = {};
			for (const failure of failures) {
				const code = String((failure.error as IDataObject | undefined)?.code);
				failureCodes[code] = (failureCodes[code] ?? 0) + 1;
			}
			return {
				executionId: execution.id,
				batch: Number((items('Webhook', 0)[0]?.json.body as IDataObject | undefined)?.batch),
				status: execution.status,
				input: items('Contacts', 0).length,
				success: items('Create Contacts', 0).length,
				failure: failures.length,
				failureCodes,
				failures,
				nodeError: runData['Create Contacts']?.[0]?.error?.message,
			};
		});
	}

	/** `EXECUTIONS` executions at once, each making its own 1,000 contacts. */
	const runAtOnce = (run: 'shared' | 'revoking') => callAtOnce(run, Array.from({ length: EXECUTIONS }, (_, batch) => ({ batch })));

	/** Which worker ran each execution, from the workers' logs ("Worker started execution 12 (job 3)"). */
	function executionsByWorker(outcomes: Outcome[]): Record<string, string[]> {
		const byWorker: Record<string, string[]> = {};
		for (const worker of workers) {
			const ran = [...worker.output().matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]);
			byWorker[worker.name] = outcomes.map((outcome) => outcome.executionId).filter((executionId) => ran.includes(executionId));
		}
		return byWorker;
	}

	/** The phone numbers stored in the sandbox for one run, and how often each. */
	async function storedTels(run: Run): Promise<Map<string, number>> {
		const { contacts } = await sandbox.store<DustessStore>('dustess');
		const counts = new Map<string, number>();
		for (const contact of contacts) {
			const number = contact.mobiles[0]?.tel;
			if (number?.startsWith(workflows[run].telPrefix)) counts.set(number, (counts.get(number) ?? 0) + 1);
		}
		return counts;
	}

	async function tokenRequests(clientId: string): Promise<number> {
		const requests = await sandbox.requests('dustess');
		return requests.filter((request) => request.path === TOKEN_PATH && request.rawBody.includes(`"${clientId}"`)).length;
	}

	const report = (what: string, details: unknown) => process.stderr.write(`[queue line ${line}] ${what}: ${JSON.stringify(details)}\n`);

	it(`runs ${EXECUTIONS} webhook executions at once on both workers; every contact stored once; one token per worker`, async () => {
		await sandbox.reset();
		const runStarted = Date.now();
		const outcomes = await runAtOnce('shared');
		const byWorker = executionsByWorker(outcomes);
		report('shared run', { seconds: (Date.now() - runStarted) / 1000, byWorker, outcomes: outcomes.map(({ executionId, status, success, failure }) => ({ executionId, status, success, failure })) });

		// Every execution was run by exactly one worker, and both workers took some.
		expect(Object.values(byWorker).flat().sort()).toEqual(outcomes.map((outcome) => outcome.executionId).sort());
		for (const worker of workers) expect(byWorker[worker.name].length).toBeGreaterThan(0);

		for (const outcome of outcomes) {
			expect(outcome).toMatchObject({ status: 'success', input: CONTACTS_PER_EXECUTION, success: CONTACTS_PER_EXECUTION, failure: 0 });
		}
		const tels = await storedTels('shared');
		expect(tels.size).toBe(EXECUTIONS * CONTACTS_PER_EXECUTION);
		expect([...tels.values()].every((count) => count === 1)).toBe(true);
		for (let batch = 0; batch < EXECUTIONS; batch++) expect(tels.get(tel(workflows.shared.telPrefix, batch, CONTACTS_PER_EXECUTION - 1))).toBe(1);

		// Each worker process keeps its own token cache: one token each for this whole run, which
		// lasts far less than a token's lifetime (the sandbox's 7,200 s).
		const tokens = await tokenRequests(workflows.shared.clientId);
		report('shared run token requests', { tokens, workers: WORKERS });
		expect(tokens).toBe(WORKERS);
	});

	it('stores no contact twice and loses none when each new token revokes the older ones; running stopped executions and the Failure rows again later stores the rest once', async () => {
		await sandbox.reset();
		await sandbox.configure('dustess', { revokeOnNewToken: true });
		const runStarted = Date.now();
		const outcomes = await runAtOnce('revoking');
		const byWorker = executionsByWorker(outcomes);
		const tokens = await tokenRequests(workflows.revoking.clientId);
		const calls = (await sandbox.requests('dustess')).filter((request) => request.path === CUSTOMER_PATH).length;
		report('revoking run', {
			seconds: (Date.now() - runStarted) / 1000,
			byWorker,
			tokens,
			customerCalls: calls,
			outcomes: outcomes.map(({ executionId, status, success, failure, failureCodes, nodeError }) => ({ executionId, status, success, failure, failureCodes, nodeError })),
		});
		for (const worker of workers) expect(byWorker[worker.name].length).toBeGreaterThan(0);

		// Nothing doubled: a token rejection stores nothing, so resending after one is safe.
		let tels = await storedTels('revoking');
		expect([...tels.values()].filter((count) => count !== 1)).toEqual([]);

		// Bounded: a rejected token is replaced at most once per resend, and a batch is resent at
		// most Max Retries times, so no more token requests than batches × (1 + Max Retries).
		const batches = EXECUTIONS * Math.ceil(CONTACTS_PER_EXECUTION / BATCH_SIZE);
		expect(tokens).toBeLessThanOrEqual(batches * (1 + MAX_RETRIES));

		// Nothing lost: an execution either ends with each of its items on one output of the node,
		// or — when its very first batch was refused after every resend, so nothing at all was
		// stored — the node stops it with the token error (the engine's rule: it throws only then).
		const stoppedBatches: number[] = [];
		for (const outcome of outcomes) {
			if (outcome.status === 'success') {
				expect({ executionId: outcome.executionId, items: outcome.success + outcome.failure }).toEqual({ executionId: outcome.executionId, items: CONTACTS_PER_EXECUTION });
				continue;
			}
			expect({ executionId: outcome.executionId, status: outcome.status, nodeError: outcome.nodeError }).toEqual({
				executionId: outcome.executionId,
				status: 'error',
				nodeError: expect.stringContaining('rejected the access token'),
			});
			expect([...tels.keys()].filter((number) => number.startsWith(`${workflows.revoking.telPrefix}${outcome.batch}`))).toEqual([]);
			stoppedBatches.push(outcome.batch);
		}
		expect(tels.size).toBe(outcomes.reduce((sum, outcome) => sum + outcome.success, 0));

		// Every Failure row may be sent again: the vendor refused it without storing it.
		const failed = outcomes.flatMap((outcome) => outcome.failures);
		expect(failed.filter((row) => (row.error as IDataObject).retriable !== true || (row.error as IDataObject).mayBeStored !== false)).toEqual([]);

		// The README's advice, later, one execution at a time (so no other worker fetches a token
		// meanwhile): run each stopped execution again, and send the Failure rows again, as they
		// came out, through the same node.
		for (const batch of stoppedBatches) {
			const [again] = await callAtOnce('revoking', [{ batch }]);
			report('stopped execution run again', { batch, status: again.status, success: again.success, failure: again.failure, nodeError: again.nodeError });
			expect(again).toMatchObject({ status: 'success', input: CONTACTS_PER_EXECUTION, success: CONTACTS_PER_EXECUTION, failure: 0 });
		}
		if (failed.length > 0) {
			const [resent] = await callAtOnce('resend', [{ rows: failed }]);
			report('resend of the Failure rows', { rows: failed.length, status: resent.status, success: resent.success, failure: resent.failure, failureCodes: resent.failureCodes, nodeError: resent.nodeError });
			expect(resent).toMatchObject({ status: 'success', input: failed.length, success: failed.length, failure: 0 });
		}
		tels = await storedTels('revoking');
		expect([...tels.values()].filter((count) => count !== 1)).toEqual([]);
		expect(tels.size).toBe(EXECUTIONS * CONTACTS_PER_EXECUTION);
		const allTokens = await tokenRequests(workflows.revoking.clientId);
		report('revoking run token requests, resend included', { tokens: allTokens });
		const laterBatches = stoppedBatches.length * Math.ceil(CONTACTS_PER_EXECUTION / BATCH_SIZE) + Math.ceil(failed.length / BATCH_SIZE);
		expect(allTokens).toBeLessThanOrEqual((batches + laterBatches) * (1 + MAX_RETRIES));
	});
});
