import v8 from 'node:v8';
import vm from 'node:vm';

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { BatchOperation } from '../../../nodes/shared/engine/adapter';
import { SessionError } from '../../../nodes/shared/engine/adapter';
import { mostInWindow } from '../../helpers/arrivals';
import { n8nHarness, outputsOrThrow } from '../../helpers/n8nWorkflow';
import { freePorts } from '../../helpers/ports';
import { allOk, fakeApiCredential, fakeNodeType, fakeOperation, fakeVendor } from './fakeOperation';
import type { FakeServer } from './fakeOperation';
import type { Answer } from '../../helpers/fakeServer';

const n8n = n8nHarness([fakeApiCredential]);

/**
 * Input → a node running the engine with `operation` (tests/shared/engine/fakeOperation.ts), in
 * n8n's engine, against `server` over HTTP. `http.calls`: the records of each call received.
 */
async function run(items: IDataObject[], server: FakeServer, options: IDataObject = {}, operation: BatchOperation = fakeOperation, continueOnFail = false) {
	const { http, outcome } = await runWithHints(items, server, options, operation, continueOnFail);
	return { http, result: outcome.then(outputsOrThrow) };
}

/** As `run`, with the whole run as n8n reports it (outputs, error, execution hints). */
async function runWithHints(items: IDataObject[], server: FakeServer, options: IDataObject = {}, operation: BatchOperation = fakeOperation, continueOnFail = false) {
	const http = await fakeVendor(server);
	const outcome = n8n
		.run({
			input: items,
			node: { type: 'fakeBatchCustomers', parameters: { mappingMode: 'autoMapInputData', options }, onError: continueOnFail ? 'continueRegularOutput' : 'stopWorkflow' },
			credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: http.url } },
			nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
		})
		.finally(http.close);
	return { http, outcome };
}

const names = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `n${index}` }));
const errorOf = (item: INodeExecutionData) => item.json.error as IDataObject;

describe('sending batches', () => {
	it('narrows a rejected batch of 100 down to the one bad record with few extra calls', async () => {
		const { http, result } = await run(names(100), (records) =>
			records.some((record) => record.name === 'n37') ? { statusCode: 200, body: { rejected: 'bad n37' } } : allOk(records, 0, undefined),
		);
		const [success, failure] = await result;
		expect(success).toHaveLength(99);
		expect(failure).toHaveLength(1);
		expect(failure[0].pairedItem).toEqual({ item: 37 });
		expect(errorOf(failure[0])).toMatchObject({ code: 'VENDOR_REJECTED', message: 'bad n37', vendorCode: 1002, batch: 1, retriable: false });
		// 1 first call + 2 per level of the binary search (log2(100) ≈ 7 levels).
		expect(http.calls.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(100)));
		expect(http.calls.flat()).toHaveLength(100 + http.calls.slice(1).flat().length);
	});

	it('keeps input order on both outputs with concurrent batches', async () => {
		let inFlight = 0;
		let maxInFlight = 0;
		const items = names(50).map((item, index) => (index % 7 === 0 ? { name: 'far too long a name' } : item));
		const { result } = await run(items, async (records) => {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
			inFlight--;
			return allOk(records, 0, undefined) as { statusCode: number; body: unknown };
		}, { batchSize: 5, concurrency: 4 });
		const [success, failure] = await result;
		expect(maxInFlight).toBeGreaterThan(1);
		expect(maxInFlight).toBeLessThanOrEqual(4);
		const successIndexes = success.map((item) => (item.pairedItem as { item: number }).item);
		const failureIndexes = failure.map((item) => (item.pairedItem as { item: number }).item);
		expect(successIndexes).toEqual([...successIndexes].sort((a, b) => a - b));
		expect(failureIndexes).toEqual([0, 7, 14, 21, 28, 35, 42, 49]);
		expect(success.length + failure.length).toBe(50);
	});

	it('makes a record the vendor said nothing about a Failure, never a Success', async () => {
		const { result } = await run(names(3), (records) => ({ statusCode: 200, body: { results: [{ ok: true, id: 'a' }, null] } }));
		const [success, failure] = await result;
		expect(success).toHaveLength(1);
		expect(failure.map((item) => errorOf(item).code)).toEqual(['NO_RESULT', 'NO_RESULT']);
		// It may be stored: sending it again could create a duplicate.
		expect(errorOf(failure[0])).toMatchObject({ retriable: false, mayBeStored: true });
	});

	it('retries 429 as Retry-After says, then succeeds once', async () => {
		const { http, result } = await run(names(2), (records, call) =>
			call === 1 ? { statusCode: 429, body: {}, headers: { 'retry-after': '0' } } : allOk(records, call, undefined),
		);
		const [success] = await result;
		expect(success).toHaveLength(2);
		expect(http.calls).toHaveLength(2);
	});

	it('gives up after Max Retries with NOT_DELIVERED, retriable', async () => {
		const { http, result } = await run(names(2), () => ({ statusCode: 503, body: 'busy' }), { maxRetries: 2 });
		const [, failure] = await result;
		expect(http.calls).toHaveLength(3);
		expect(errorOf(failure[0])).toMatchObject({ code: 'NOT_DELIVERED', httpStatus: 503, retriable: true });
	});

	it('does not resend a batch whose outcome is unknown, unless allowed', async () => {
		const reset = () => 'reset' as const;
		const first = await run(names(2), (records, call) => (call === 1 ? reset() : allOk(records, call, undefined)));
		const [, failure] = await first.result;
		expect(first.http.calls).toHaveLength(1);
		expect(errorOf(failure[0])).toMatchObject({ code: 'OUTCOME_UNKNOWN', retriable: false, mayBeStored: true });

		const second = await run(names(2), (records, call) => (call === 1 ? reset() : allOk(records, call, undefined)), { resendUnknownOutcomes: true });
		const [success] = await second.result;
		expect(success).toHaveLength(2);
		expect(second.http.calls).toHaveLength(2);
	});

	it('refreshes an expired session once and resends; a second rejection stops the run', async () => {
		let opened = 0;
		const operation: BatchOperation = {
			...fakeOperation,
			openSession: async (_context, refresh) => ({ token: `token-${++opened}-${refresh ? 'fresh' : 'first'}` }),
		};
		const { http, result } = await run(names(4), (records, call, token) => (token === 'token-1-first' ? { statusCode: 200, body: { expired: true } } : allOk(records, call, token)), { batchSize: 2 }, operation);
		const [success] = await result;
		expect(success).toHaveLength(4);
		expect(opened).toBe(2);
		expect(http.calls).toHaveLength(3);

		const always = await run(names(1), () => ({ statusCode: 200, body: { expired: true } }), {}, operation);
		// The cause by its code; the vendor's own words ('token expired') below it.
		await expect(always.result).rejects.toMatchObject({ message: 'The vendor refused the request (code expired)', description: 'token expired' });
	});

	it('stops on a credential error without leaking the secret, or fails every item when continuing', async () => {
		const server: FakeServer = () => ({ statusCode: 401, body: 'bad key super-secret-key' });
		await expect((await run(names(2), server)).result).rejects.toThrow(/Authentication failed \(HTTP 401\)/);
		const [success, failure] = await (await run(names(2), server, {}, fakeOperation, true)).result;
		expect(success).toHaveLength(0);
		expect(failure.map((item) => errorOf(item).code)).toEqual(['CONFIGURATION_ERROR', 'CONFIGURATION_ERROR']);
		expect(JSON.stringify(failure)).not.toContain('super-secret-key');
	});

	it('retries a refused connection and then reports that the vendor cannot be reached', async () => {
		// Nothing listens on the port, so nothing can count calls there: the engine's attempts are counted as it builds them.
		const [closedPort] = await freePorts(1);
		const attempts: IDataObject[][] = [];
		const operation: BatchOperation = {
			...fakeOperation,
			buildRequest: (records, context) => {
				attempts.push(records);
				return fakeOperation.buildRequest(records, context);
			},
		};
		const outcome = await n8n.run({
			input: names(1),
			node: { type: 'fakeBatchCustomers', parameters: { mappingMode: 'autoMapInputData', options: { maxRetries: 1 } }, onError: 'continueRegularOutput' },
			credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: `http://127.0.0.1:${closedPort}` } },
			nodeTypes: { fakeBatchCustomers: fakeNodeType(operation) },
		});
		const [, failure] = outputsOrThrow(outcome);
		expect(attempts).toHaveLength(2);
		expect(errorOf(failure[0])).toMatchObject({ code: 'NOT_DELIVERED', retriable: true, mayBeStored: false });
		expect(errorOf(failure[0]).message).toMatch(/Could not connect to the vendor \(connection refused\)/);
	});
});

const codeOf = (item: INodeExecutionData) => errorOf(item).code as string;
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('stopping a run', () => {
	it('sends nothing after a fatal answer, not even the other half of a split batch', async () => {
		const { http, result } = await run(
			names(4),
			(records, call) => (call === 1 ? { statusCode: 200, body: { rejected: 'bad' } } : call === 2 ? { statusCode: 401, body: 'no' } : allOk(records, call, undefined)),
			{ batchSize: 4 },
			fakeOperation,
			true,
		);
		const [success, failure] = await result;
		// The batch, then its first half (refused as unauthorised); the second half never goes out.
		expect(http.calls.map((records) => records.map((record) => record.name))).toEqual([['n0', 'n1', 'n2', 'n3'], ['n0', 'n1']]);
		expect(success).toHaveLength(0);
		expect(failure.map(codeOf)).toEqual(['CONFIGURATION_ERROR', 'CONFIGURATION_ERROR', 'NOT_SENT', 'NOT_SENT']);
		expect(errorOf(failure[2])).toMatchObject({ retriable: true, mayBeStored: false, message: expect.stringMatching(/^Not sent: the run stopped .*Authentication failed \(HTTP 401\)/) });
	});

	it("does not wait out another batch's Retry-After once a fatal answer stopped the run", async () => {
		const started = Date.now();
		const { http, result } = await run(
			names(2),
			async (records, call) => {
				if (call === 1) return { statusCode: 429, body: {}, headers: { 'retry-after': '8' } };
				// The fatal answer comes while the first batch waits its 8 s.
				await later(300);
				return { statusCode: 401, body: 'no' };
			},
			{ batchSize: 1, concurrency: 2 },
			fakeOperation,
			true,
		);
		const [success, failure] = await result;
		// Generous bounds on a busy machine: well under the 8 s the vendor asked to wait.
		expect(Date.now() - started).toBeLessThan(5000);
		expect(http.calls).toHaveLength(2);
		expect(success).toHaveLength(0);
		// The rate-limited batch was not processed and is not sent again: NOT_SENT, retriable.
		expect(failure.map(codeOf).sort()).toEqual(['CONFIGURATION_ERROR', 'NOT_SENT']);
	}, 20_000);
});

describe('pacing a run', () => {
	it('spaces requests evenly after a Retry-After: never more than Max Requests Per Second in a sliding second', async () => {
		const arrivals: number[] = [];
		const { http, result } = await run(
			names(6),
			(records, call) => {
				arrivals.push(Date.now());
				return call === 1 ? { statusCode: 429, body: {}, headers: { 'retry-after': '3' } } : allOk(records, call, undefined);
			},
			{ batchSize: 1, concurrency: 6, maxRequestsPerSecond: 2 },
		);
		const [success] = await result;
		expect(success).toHaveLength(6);
		expect(http.calls).toHaveLength(7);
		// Nothing went out while the Retry-After ran (a little less: timers and clocks round).
		expect(arrivals.slice(1).every((at) => at - arrivals[0] >= 2900)).toBe(true);
		// Before, every batch waiting for its turn went out at the pause's end: 6 in one second.
		expect(mostInWindow(arrivals)).toBeLessThanOrEqual(2);
	}, 30_000);
});

/**
 * An operation with a session (a token in each request) whose vendor may answer
 * `{refused: code}`: a refusal it does not explain, which a revoked session may cause.
 */
function sessionOperation(opened: string[], withSession = true): BatchOperation {
	return {
		...fakeOperation,
		openSession: withSession
			? async () => {
					opened.push(`token-${opened.length + 1}`);
					return { token: opened[opened.length - 1] };
				}
			: undefined,
		readResponse(response, records) {
			const body = response.body as IDataObject;
			if (response.statusCode === 200 && body.refused !== undefined) {
				return { kind: 'unknown', sessionMayExplain: true, error: { message: 'Refused without a reason: may be stored', vendorCode: body.refused as number, httpStatus: 200 } };
			}
			return fakeOperation.readResponse(response, records);
		},
	};
}

describe('a whole-request refusal the vendor does not explain', () => {
	const refused = (code = 77) => ({ statusCode: 200, body: { refused: code } });

	it.each([1, 4])('keeps that batch OUTCOME_UNKNOWN, renews the session once before sending on, and delivers the rest (Concurrent Batches %i)', async (concurrency) => {
		const opened: string[] = [];
		// The first token is revoked after two calls; the vendor then refuses it without saying why.
		const { http, result } = await run(
			names(40),
			(records, call, token) => (token === 'token-1' && call > 2 ? refused() : allOk(records, call, token)),
			{ batchSize: 5, concurrency },
			sessionOperation(opened),
		);
		const [success, failure] = await result;
		expect(opened).toEqual(['token-1', 'token-2']);
		// No batch is sent twice: the refused ones are never resent.
		expect(http.calls).toHaveLength(8);
		expect(http.calls.flat()).toHaveLength(40);
		const refusedCalls = http.requests.filter((request) => (request.body as IDataObject).token === 'token-1').length - 2;
		// Only the batches already under way when the first refusal came back.
		expect(refusedCalls).toBeGreaterThanOrEqual(1);
		expect(refusedCalls).toBeLessThanOrEqual(concurrency === 1 ? 1 : concurrency);
		expect(failure).toHaveLength(5 * refusedCalls);
		expect(success).toHaveLength(40 - 5 * refusedCalls);
		for (const item of failure) expect(errorOf(item)).toMatchObject({ code: 'OUTCOME_UNKNOWN', mayBeStored: true, retriable: false, vendorCode: 77 });
	});

	it.each([1, 4])('stops the run as a configuration problem when the renewed session is refused the same way (Concurrent Batches %i)', async (concurrency) => {
		const opened: string[] = [];
		const { http, outcome } = await runWithHints(names(40), () => refused(), { batchSize: 5, concurrency }, sessionOperation(opened));
		const { outputs, error, hints } = await outcome;
		expect(error).toBeUndefined();
		const [success, failure] = outputs;
		expect(success).toHaveLength(0);
		expect(opened).toEqual(['token-1', 'token-2']);
		const tokens = http.requests.map((request) => (request.body as IDataObject).token);
		// The batches under way with the first token, then one request alone with the renewed one.
		expect(tokens.filter((token) => token === 'token-2')).toHaveLength(1);
		expect(tokens.length).toBeLessThanOrEqual(concurrency + 1);
		const unknown = failure.filter((item) => codeOf(item) === 'OUTCOME_UNKNOWN');
		const unsent = failure.filter((item) => codeOf(item) === 'NOT_SENT');
		// Every batch that went out may be stored; every other row was not sent and can be.
		expect(unknown).toHaveLength(5 * tokens.length);
		expect(unsent).toHaveLength(40 - 5 * tokens.length);
		expect(errorOf(unknown[0])).toMatchObject({ mayBeStored: true, message: 'Refused without a reason: may be stored', vendorCode: 77 });
		expect(errorOf(unsent[0])).toMatchObject({ retriable: true, mayBeStored: false, message: expect.stringContaining('renewed session') });
		const stop = hints.find((hint) => hint.message.startsWith('The run stopped'));
		expect(stop?.message).toMatch(/refused a request made with a renewed session the same way .*\(HTTP 200, code 77\).*configuration problem.*check the credential/);
	});

	it('renews again when the renewed session gets a different unexplained refusal, and goes on when it is not refused', async () => {
		const opened: string[] = [];
		const { http, result } = await run(
			names(20),
			(records, call, token) => (call === 1 ? refused(77) : call === 2 ? refused(88) : allOk(records, call, token)),
			{ batchSize: 5 },
			sessionOperation(opened),
		);
		const [success, failure] = await result;
		expect(opened).toEqual(['token-1', 'token-2', 'token-3']);
		expect(http.requests.map((request) => (request.body as IDataObject).token)).toEqual(['token-1', 'token-2', 'token-3', 'token-3']);
		expect(failure.map(codeOf)).toEqual(Array(10).fill('OUTCOME_UNKNOWN'));
		expect(success).toHaveLength(10);
	});

	it('sends nothing more when the session cannot be renewed: the run stops on it', async () => {
		const opened: string[] = [];
		const operation = sessionOperation(opened);
		const failingRenewal: BatchOperation = {
			...operation,
			openSession: async function (this: IExecuteFunctions, context, refresh) {
				// As adapters say why no session can be had (an exception of any other kind is a bug, named by its kind).
				if (refresh) throw new SessionError(this.getNode(), { message: 'The token endpoint is down' });
				return await operation.openSession!.call(this, context, refresh);
			},
		};
		const { http, outcome } = await runWithHints(
			names(10),
			async (records, call, token) => {
				if (call === 1) return refused();
				// The second batch is still under way when the first one's refusal comes back.
				await later(200);
				return allOk(records, call, token) as Answer;
			},
			{ batchSize: 2, concurrency: 2 },
			failingRenewal,
		);
		const { outputs, hints } = await outcome;
		const [success, failure] = outputs;
		expect(http.calls).toHaveLength(2);
		expect(success).toHaveLength(2);
		expect(failure.map(codeOf)).toEqual(['OUTCOME_UNKNOWN', 'OUTCOME_UNKNOWN', ...Array(6).fill('NOT_SENT')]);
		// The refused batch says what is known of it; the rows not sent say why the run stopped.
		expect(errorOf(failure[0]).message).toBe('Refused without a reason: may be stored');
		expect(errorOf(failure[2]).message).toMatch(/The token endpoint is down/);
		expect(hints.find((hint) => hint.message.startsWith('The run stopped'))?.message).toMatch(/The token endpoint is down/);
	});

	it('keeps today\'s rule for an operation without a session: each such batch OUTCOME_UNKNOWN, the run goes on', async () => {
		const { http, result } = await run(names(20), () => refused(), { batchSize: 5 }, sessionOperation([], false));
		const [success, failure] = await result;
		expect(http.calls).toHaveLength(4);
		expect(success).toHaveLength(0);
		expect(failure.map(codeOf)).toEqual(Array(20).fill('OUTCOME_UNKNOWN'));
	});
});

describe('runBatchOperation', () => {
	it('is not run by n8n for empty input, so it calls no vendor', async () => {
		// n8n's engine never executes a node whose input has no items (WorkflowExecute: no
		// connection input data, no run): there is no output at all, not two empty ones.
		const http = await fakeVendor(allOk);
		const outcome = await n8n
			.run({
				input: [],
				node: { type: 'fakeBatchCustomers', parameters: { mappingMode: 'autoMapInputData', options: {} } },
				credentials: { fakeApi: { apiKey: 'super-secret-key', baseUrl: http.url } },
				nodeTypes: { fakeBatchCustomers: fakeNodeType(fakeOperation) },
			})
			.finally(http.close);
		expect(outcome.error).toBeUndefined();
		expect(outcome.task).toBeUndefined();
		expect(outcome.outputs).toEqual([]);
		expect(http.calls).toHaveLength(0);
	});

	it('validates only, sending nothing', async () => {
		const { http, result } = await run([{ name: 'ok' }, { name: '' }], allOk, { validateOnly: true });
		const [success, failure] = await result;
		expect(http.calls).toHaveLength(0);
		expect(success[0].json.customerBatch).toMatchObject({ record: { name: 'ok' }, result: { validatedOnly: true } });
		expect(errorOf(failure[0])).toMatchObject({ code: 'INVALID_RECORD', field: 'name' });
	});

	it('handles 100,000 items in batches of 100 with nothing lost', async () => {
		const items = Array.from({ length: 100_000 }, (_, index) => ({ name: index % 1000 === 0 ? '' : `n${index % 1000}` }));
		const { http, result } = await run(items, allOk, { concurrency: 4 });
		const [success, failure] = await result;
		expect(success.length).toBe(99_900);
		expect(failure.length).toBe(100);
		expect(http.calls).toHaveLength(999);
		// 999 real HTTP calls through n8n's request helpers: more than jest's default 5 s on a busy machine.
	}, 60_000);

	it('lets go of the records of stored customers as their batch is settled, unless Include Sent Record keeps them for the Success items', async () => {
		// A full GC from inside the run: the records of batch 1, seen by its request, are collected
		// by the time batch 3 is built only if the run no longer holds them.
		v8.setFlagsFromString('--expose-gc');
		const collect = vm.runInNewContext('gc') as () => void;
		const firstRecords = async (options: IDataObject) => {
			let batches = 0;
			let first: Array<WeakRef<IDataObject>> = [];
			let alive: number | undefined;
			const watching: BatchOperation = {
				...fakeOperation,
				buildRequest: (records, context) => {
					batches++;
					if (batches === 1) first = records.map((record) => new WeakRef(record));
					if (batches === 3) {
						collect();
						alive = first.filter((ref) => ref.deref() !== undefined).length;
					}
					return fakeOperation.buildRequest(records, context);
				},
			};
			const { result } = await run(names(6), allOk, { batchSize: 2, concurrency: 1, ...options }, watching);
			const [success] = await result;
			expect(success).toHaveLength(6);
			return { alive, success };
		};
		const released = await firstRecords({});
		expect(released.alive).toBe(0);
		expect(released.success[0].json.customerBatch).not.toHaveProperty('record');
		const kept = await firstRecords({ includeSentRecord: true });
		expect(kept.alive).toBe(2);
		expect(kept.success[0].json.customerBatch).toMatchObject({ record: { name: 'n0' } });
	});

	it('reports the rows of an answer the adapter throws on as OUTCOME_UNKNOWN, naming the exception by its kind, never its words (they may quote a record)', async () => {
		const throwing: BatchOperation = {
			...fakeOperation,
			readResponse: (response) => {
				const records = (response.body as { results: Array<{ id: string }> }).results;
				throw new Error(`cannot read the result of ${records[0].id} ann@example.com`);
			},
		};
		const { outcome } = await runWithHints(names(4), allOk, { batchSize: 2, concurrency: 1 }, throwing, true);
		const { outputs, hints } = await outcome;
		const [success, failure] = outputs;
		expect(success).toEqual([]);
		expect(failure.map(codeOf)).toEqual(['OUTCOME_UNKNOWN', 'OUTCOME_UNKNOWN', 'OUTCOME_UNKNOWN', 'OUTCOME_UNKNOWN']);
		expect(errorOf(failure[0]).message).toBe("The vendor's answer could not be read (an unexpected Error): the customers may or may not have been stored");
		expect(JSON.stringify({ outputs, hints })).not.toMatch(/ann@example\.com|id-n0/);
	});
});
