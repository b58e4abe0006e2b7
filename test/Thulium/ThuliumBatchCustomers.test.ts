import type { IDataObject } from 'n8n-workflow';

import { n8nHarness, outputsOrThrow } from '../helpers/n8nWorkflow';
import { useTestSandbox } from '../helpers/sandboxClient';

const sandbox = useTestSandbox();

const n8n = n8nHarness();

/** Input → Thulium Batch Create Customers, run by n8n's engine; returns the node's two outputs or throws its error. */
async function run(items: IDataObject[], parameters: IDataObject = {}, credentials: IDataObject = {}, continueOnFail = false) {
	const result = await n8n.run({
		input: items,
		node: {
			type: 'thuliumBatchCustomers',
			parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { maxRetries: 3 }, ...parameters },
			onError: continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
		},
		credentials: { thuliumApi: { baseUrl: `${sandbox.url}/thulium/api`, login: 'api_user', password: 'api_pass', ...credentials } },
	});
	return outputsOrThrow(result);
}

describe('Thulium Batch Create Customers against the sandbox', () => {
	it('creates valid customers, fails invalid and vendor-rejected ones, each paired with its input', async () => {
		const items = [
			{ surname: 'Kowalski', email: 'jan@example.com' },
			{ name: 'No Surname' },
			{ surname: 'Nowak', phone_number: 'abc' },
			{ surname: 'Wiśniewska', birthdate: '1990-02-03T10:00:00Z', address: { city: 'Kraków' } },
		];
		const [success, failure] = await run(items, { options: { maxRetries: 3, includeSentRecord: true } });

		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
		expect(success[0].json.customerBatch).toMatchObject({ status: 'success', result: { customer_id: '1' }, record: { surname: 'Kowalski' } });
		expect((success[1].json.customerBatch as IDataObject).record).toEqual({ surname: 'Wiśniewska', birthdate: '1990-02-03', address: { city: 'Kraków' } });

		expect(failure.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(failure[0].json.error).toMatchObject({ code: 'INVALID_RECORD', field: 'surname', retriable: false });
		expect(failure[1].json.error).toMatchObject({ code: 'VENDOR_REJECTED', message: 'Phone number must be numeric.', httpStatus: 400 });

		const store = await sandbox.store<{ customers: IDataObject[] }>('thulium');
		expect(store.customers.map((customer) => customer.surname)).toEqual(['Kowalski', 'Wiśniewska']);
	});

	it('chunks 250 customers into calls of at most the batch size, keeping order', async () => {
		const items = Array.from({ length: 250 }, (_, index) => ({ surname: `S${index}` }));
		const [success, failure] = await run(items, { options: { batchSize: 100 } });
		expect(failure).toHaveLength(0);
		expect(success.map((item) => (item.json.customerBatch as IDataObject).batch)).toEqual([
			...Array(100).fill(1),
			...Array(100).fill(2),
			...Array(50).fill(3),
		]);
		const requests = await sandbox.requests('thulium');
		expect(requests.map((request) => JSON.parse(request.rawBody).customers.length)).toEqual([100, 100, 50]);
	});

	it('retries 429 and 503 and stores every customer exactly once', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'status', status: 429, retryAfter: 0 }, { vendor: 'thulium', type: 'status', status: 503, retryAfter: 0 });
		const [success, failure] = await run([{ surname: 'A' }, { surname: 'B' }]);
		expect(failure).toHaveLength(0);
		expect(success).toHaveLength(2);
		expect((await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers).toHaveLength(2);
		expect(await sandbox.requests('thulium')).toHaveLength(3);
	});

	it('does not resend a create whose answer was a 500 after storing', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'storeThenFail', status: 500 });
		const [success, failure] = await run([{ surname: 'A' }]);
		expect(success).toHaveLength(0);
		expect(failure[0].json.error).toMatchObject({ code: 'OUTCOME_UNKNOWN', retriable: false, mayBeStored: true, httpStatus: 500 });
		expect(await sandbox.requests('thulium')).toHaveLength(1);
	});

	it('reports a customer whose entry says 5xx, 408 or 429 as an unknown outcome, not as refused: it may be stored', async () => {
		// The sandbox stores every customer, then answers these statuses for them, one request each.
		const statuses = [500, 503, 408, 429];
		await sandbox.inject(...statuses.map((status) => ({ vendor: 'thulium', type: 'recordStatus' as const, status, body: 'Internal error' })));
		const [success, failure] = await run([...statuses.map((_, index) => ({ surname: `U${index}` })), { surname: 'OK' }], { options: { batchSize: 1 } });
		expect(success.map((item) => item.json.surname)).toEqual(['OK']);
		expect(failure.map((item) => item.json.error)).toEqual(
			statuses.map((status) => ({
				code: 'OUTCOME_UNKNOWN',
				nextStep: 'checkVendorFirst',
				httpStatus: status,
				retriable: false,
				mayBeStored: true,
				batch: expect.any(Number),
				message: `Internal error; HTTP ${status} for this customer says nothing about whether it was stored`,
			})),
		);
		// Not resent: each customer went out once, and the vendor holds every one.
		expect(await sandbox.requests('thulium')).toHaveLength(5);
		expect((await sandbox.store<{ customers: IDataObject[] }>('thulium')).customers).toHaveLength(5);
	});

	it('keeps a 4xx entry a refusal, and calls a 5xx entry of an update retriable: writing it again changes nothing', async () => {
		await run([{ surname: 'A' }]);
		await sandbox.inject({ vendor: 'thulium', type: 'recordStatus', status: 503, positions: [0] }, { vendor: 'thulium', type: 'recordStatus', status: 409, positions: [0] });
		const [, failure] = await run([{ customer_id: '1', note: 'x' }, { customer_id: '1', note: 'y' }], { operation: 'update', options: { batchSize: 1 } });
		expect(failure.map((item) => item.json.error)).toEqual([
			expect.objectContaining({ code: 'OUTCOME_UNKNOWN', httpStatus: 503, retriable: true, mayBeStored: true }),
			expect.objectContaining({ code: 'VENDOR_REJECTED', httpStatus: 409, retriable: false, mayBeStored: false, message: 'Thulium answered HTTP 409 for this customer without a message' }),
		]);
	});

	it('stops with a clear error on a wrong password, without leaking it', async () => {
		await expect(run([{ surname: 'A' }], {}, { password: 'wrong-secret' })).rejects.toThrow(/check login, password/);
		await expect(run([{ surname: 'A' }], {}, { password: 'wrong-secret' })).rejects.not.toThrow(/wrong-secret/);
	});

	it('sends every remaining item to Failure on a credential error when continue-on-fail is set', async () => {
		const [success, failure] = await run([{ surname: 'A' }, { name: 'x' }], {}, { password: 'nope-nope' }, true);
		expect(success).toHaveLength(0);
		expect(failure.map((item) => (item.json.error as IDataObject).code)).toEqual(['CONFIGURATION_ERROR', 'INVALID_RECORD']);
	});

	it('explains a non-JSON error page', async () => {
		await sandbox.inject({ vendor: 'thulium', type: 'html', status: 502 });
		const [, failure] = await run([{ surname: 'A' }], { options: { maxRetries: 0 } });
		// A proxy's 502 may come after the vendor stored the batch: outcome unknown, not resent.
		expect(failure[0].json.error).toMatchObject({ code: 'OUTCOME_UNKNOWN', httpStatus: 502, retriable: false, mayBeStored: true });
		expect((failure[0].json.error as IDataObject).message).toBe('The vendor answered HTTP 502 with a non-JSON body: "502 Bad Gateway nginx"');
	});

	it('updates existing customers with PUT and fails unknown ids', async () => {
		await run([{ surname: 'A' }]);
		const [success, failure] = await run([{ customer_id: '1', note: 'vip' }, { customer_id: '999' }], { operation: 'update' });
		expect(success[0].json.customerBatch).toMatchObject({ result: { customer_id: '1', http_status: 200 } });
		expect(failure[0].json.error).toMatchObject({ code: 'VENDOR_REJECTED', httpStatus: 404 });
	});

	it('maps fields defined in the node panel, including nested address and custom fields', async () => {
		const [success] = await run([{ last: 'Lewandowski' }], {
			options: { includeSentRecord: true },
			mappingMode: 'defineBelow',
			surname: '={{ $json.last }}',
			additionalFields: {
				vip: true,
				address: { values: { city: 'Gdańsk', postcode: '80-001' } },
				custom_fields: { entries: [{ name: 'source', value: 'n8n' }, { name: 'cleared', value: '' }] },
			},
		});
		expect((success[0].json.customerBatch as IDataObject).record).toEqual({
			surname: 'Lewandowski',
			vip: true,
			address: { city: 'Gdańsk', postcode: '80-001' },
			// A panel row with an empty value sends nothing (test/Thulium/fields.test.ts).
			custom_fields: { source: 'n8n' },
		});
	});
});
