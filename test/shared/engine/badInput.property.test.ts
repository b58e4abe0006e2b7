/**
 * Bad input, property-based (issue 8): each node gets random items — wrong types, nulls, nested
 * arrays and objects, huge strings, emoji and right-to-left text, numbers as text, dates in many
 * formats, unknown keys — run on n8n's own engine against a vendor that accepts whatever reaches
 * it. Whatever the items:
 * - the node does not throw (an item's problem is that item's Failure), except when no item has a
 *   key named like an API field: that is one problem of the node's Auto-Map setting, and it stops
 *   with one error saying so;
 * - every item is on exactly one output, paired with it, in input order;
 * - no message names a value: no generated text of 4 or more characters appears in any Failure
 *   message (validation messages name the field and the shape of the value only).
 * Also 0 items, and one run with 100,000 items.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import fc from 'fast-check';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { createSchema as dustessSchema } from '../../../nodes/Dustess/fields';
import { seaSchema } from '../../../nodes/NxCloud/fields';
import { createSchema as thuliumSchema } from '../../../nodes/Thulium/fields';
import type { RecordSchema } from '../../../nodes/shared/schema/fieldSchema';
import { startFakeServer } from '../../helpers/fakeServer';
import type { Answer, FakeServer, ReceivedRequest } from '../../helpers/fakeServer';
import { n8nHarness } from '../../helpers/n8nWorkflow';

jest.setTimeout(180_000);

/** A vendor that takes every record it is sent: the property is about the node, not the vendor. */
function acceptingVendor(request: ReceivedRequest): Answer {
	const ok = (body: unknown): Answer => ({ statusCode: 200, body });
	if (request.path.includes('/auth/')) return ok({ code: 0, success: true, data: { accessToken: 'property-token', expiresIn: 7200 } });
	const body = request.body as IDataObject;
	if (Array.isArray(body.customer_list)) {
		return ok({ success: true, code: 0, msg: '', data: { fail: null, success: (body.customer_list as unknown[]).map((_, i) => ({ code: 0, index: i + 1, id: `id-${i}`, msg: '' })) } });
	}
	if (body.tenant_id !== undefined) return ok({ code: 0, message: '', data: '', traceId: 'trace-p' });
	return ok(Object.fromEntries((body.customers as unknown[]).map((_, i) => [String(i), { http_status: 201, customer_id: String(i) }])));
}

interface NodeSetup {
	name: string;
	nodeType: string;
	credentialType: string;
	credentials: (url: string) => ICredentialDataDecryptedObject;
	parameters: INodeParameters;
	schema: RecordSchema;
}

const NODES: NodeSetup[] = [
	{
		name: 'Thulium',
		nodeType: 'thuliumBatchCustomers',
		credentialType: 'thuliumApi',
		credentials: (url) => ({ baseUrl: `${url}/api`, login: 'u', password: 'p' }),
		parameters: { resource: 'customer', operation: 'create', mappingMode: 'autoMapInputData' },
		schema: thuliumSchema,
	},
	{
		name: 'NXCLOUD',
		nodeType: 'nxCloudBatchCustomers',
		credentialType: 'nxCloudApi',
		credentials: (url) => ({ accessKey: 'k', accessSecret: 's', appSecretKey: 'app-key', region: 'custom', baseUrl: url }),
		parameters: { edition: 'sea', tenantId: '144', mode: 1, mappingMode: 'autoMapInputData' },
		schema: seaSchema,
	},
	{
		name: 'Dustess',
		nodeType: 'dustessBatchCustomers',
		credentialType: 'dustessApi',
		credentials: (url) => ({ baseUrl: url, clientId: 'property-client', clientSecret: 'property-secret' }),
		parameters: { operation: 'create', mappingMode: 'autoMapInputData' },
		schema: dustessSchema,
	},
];

const n8n = n8nHarness();
let vendor: FakeServer;
beforeAll(async () => {
	vendor = await startFakeServer((request) => {
		// Nothing reads them back; 100,000 items would otherwise stay in memory.
		vendor.requests.length = 0;
		return acceptingVendor(request);
	});
});
afterAll(async () => vendor.close());

/** Input → the node, on n8n's own engine. Its outputs, or its error (the property says there is none). */
async function runNode(setup: NodeSetup, items: IDataObject[], options: IDataObject = {}): Promise<{ outputs: INodeExecutionData[][]; error?: unknown }> {
	const run = await n8n.run({
		input: items,
		node: { type: setup.nodeType, parameters: { ...setup.parameters, options: { skipDuplicateRows: true, ...options } } },
		credentials: { [setup.credentialType]: setup.credentials(vendor.url) },
	});
	return { outputs: run.outputs, error: run.error };
}

function fieldNames(schema: { fields: Array<{ name: string; fields?: unknown }> }): string[] {
	return schema.fields.flatMap((field) => [field.name, ...(Array.isArray(field.fields) ? fieldNames({ fields: field.fields as never }) : [])]);
}

// ---------------------------------------------------------------------------------------------
// Generators

const DATE_TEXTS = [
	'2020-01-02', '02/01/2020', '01/02/2020', '2.1.2020', '31.12.1999', '2020/1/2', '2020-01-02T10:11:12Z',
	'2020-01-02T10:11:12.345+05:30', 'Jan 2, 2020', '2 January 2020', '20200102', '1577923200', '1577923200000',
	'2020-02-30', '0000-00-00', '9999-12-31', 'yesterday', '2020-13-01', '１９９０年５月１７日',
];
const SCRIPTS = ['مرحبا بالعالم', 'שלום עולם', 'سلام‎ 123 ‏abc', '👨‍👩‍👧‍👦🎉🇵🇱', '١٢٣٤٥٦٧٨٩', '张三 李四', 'Zoë Ünïcødé', '\u202Egnirts desrever'];

const text = fc.oneof(
	{ weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
	{ weight: 2, arbitrary: fc.constantFrom(...SCRIPTS) },
	{ weight: 2, arbitrary: fc.integer().map(String) },
	{ weight: 1, arbitrary: fc.double({ noNaN: false }).map(String) },
	{ weight: 2, arbitrary: fc.constantFrom(...DATE_TEXTS) },
	{ weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }).map((unit) => unit.repeat(20_000)) },
	{ weight: 1, arbitrary: fc.constantFrom('', ' ', '   \t\n', 'null', 'undefined', 'true', '0', '-1', 'NaN') },
);
const leaf = fc.oneof(
	{ weight: 6, arbitrary: text },
	{ weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, 1e21, Infinity, -Infinity, NaN)) },
	{ weight: 1, arbitrary: fc.boolean() },
	{ weight: 2, arbitrary: fc.constantFrom(null, undefined) },
	{ weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
);

function itemArbitrary(schema: RecordSchema) {
	const names = fieldNames(schema as never);
	const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
	const { value } = fc.letrec<{ value: unknown }>((tie) => ({
		value: fc.oneof(
			{ depthSize: 'small', withCrossShrink: true },
			{ weight: 6, arbitrary: leaf },
			{ weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
			{ weight: 1, arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 3 }) },
		),
	}));
	return fc.dictionary(key, value, { maxKeys: 8 }) as fc.Arbitrary<IDataObject>;
}

/** Every text value of 4 or more characters in a value. Keys are not values: they name fields, which messages do. */
function texts(value: unknown, into: Set<string> = new Set()): Set<string> {
	if (typeof value === 'string' && value.trim().length >= 4) into.add(value);
	else if (Array.isArray(value)) value.forEach((entry) => texts(entry, into));
	else if (typeof value === 'object' && value !== null && !(value instanceof Date)) Object.values(value).forEach((entry) => texts(entry, into));
	return into;
}

/** The messages of a Failure item: the error's and each problem's. */
function messagesOf(item: INodeExecutionData): string[] {
	const error = item.json.error as IDataObject;
	const problems = Array.isArray(error.problems) ? (error.problems as IDataObject[]) : [];
	return [String(error.message), ...problems.map((problem) => String(problem.message))];
}

const indexOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

/**
 * The node's own words: the source of the engine, the schema and the nodes. A generated text that
 * occurs there ("true", "text", "yyyy-MM-dd") may be in a message without being quoted from the item.
 */
const NODE_SOURCE = ['shared/engine', 'shared/schema', 'Thulium', 'NxCloud', 'Dustess']
	.flatMap((folder) => {
		const dir = path.join(__dirname, '../../../nodes', folder);
		return readdirSync(dir).filter((file) => file.endsWith('.ts')).map((file) => readFileSync(path.join(dir, file), 'utf8'));
	})
	.join('\n')
	.toLowerCase();

describe.each(NODES)('$name node with random items', (setup) => {
	const isNodeText = (value: string) => NODE_SOURCE.includes(value.toLowerCase());

	it('never throws, accounts for every item once in order, and never quotes a value', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(itemArbitrary(setup.schema), { maxLength: 25 }), async (items) => {
				const run = await runNode(setup, items);
				const topLevel = new Set(setup.schema.fields.map((field) => field.name));
				if (items.length > 0 && items.every((item) => !Object.keys(item).some((key) => topLevel.has(key)))) {
					expect((run.error as Error | undefined)?.message).toBe('Auto-Map found no input field named like a field of this API in any item, so nothing was sent');
					return;
				}
				expect(run.error).toBeUndefined();
				// Without input items n8n does not run the node: no outputs at all.
				const [success = [], failure = [], ...extra] = run.outputs;
				expect(extra).toEqual([]);
				const successIndexes = success.map(indexOf);
				const failureIndexes = failure.map(indexOf);
				expect(successIndexes).toEqual([...successIndexes].sort((a, b) => a - b));
				expect(failureIndexes).toEqual([...failureIndexes].sort((a, b) => a - b));
				expect([...successIndexes, ...failureIndexes].sort((a, b) => a - b)).toEqual(items.map((_, index) => index));
				for (const item of failure) {
					const error = item.json.error as IDataObject;
					expect(['INVALID_RECORD', 'DUPLICATE_IN_INPUT']).toContain(error.code);
					// Keys are names, which messages may show (Auto-Map lists the keys it saw).
					const keys = new Set(Object.keys(items[indexOf(item)]));
					const values = [...texts(items[indexOf(item)])].filter((value) => !isNodeText(value) && !keys.has(value));
					for (const message of messagesOf(item)) {
						const quoted = values.filter((value) => message.includes(value));
						expect({ message, quoted }).toEqual({ message, quoted: [] });
					}
				}
			}),
			{ numRuns: 150 },
		);
	});

	it('0 items: nothing fails and nothing comes out', async () => {
		const run = await runNode(setup, []);
		expect(run.error).toBeUndefined();
		expect(run.outputs.flat()).toEqual([]);
	});
});

describe('100,000 items', () => {
	it('routes every one of 100,000 mixed items, in order, on one output each (Thulium)', async () => {
		const [setup] = NODES;
		const items = fc.sample(itemArbitrary(setup.schema), { numRuns: 100_000, seed: 8 }).map((item, index) =>
			index % 3 === 0 ? { surname: `S${index}`, email: `c${index}@example.com` } : item,
		);
		const started = Date.now();
		const run = await runNode(setup, items, { batchSize: 100, concurrency: 4 });
		expect(run.error).toBeUndefined();
		const [success, failure] = run.outputs;
		const ordered = [...success, ...failure].map(indexOf).sort((a, b) => a - b);
		expect(ordered).toHaveLength(items.length);
		expect(ordered.every((index, position) => index === position)).toBe(true);
		expect(success.length).toBeGreaterThanOrEqual(Math.ceil(items.length / 3) - 1);
		expect(Date.now() - started).toBeLessThan(150_000);
	});
});
