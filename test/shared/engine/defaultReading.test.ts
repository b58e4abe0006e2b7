import { asClause, defaultReading } from '../../../nodes/shared/engine/defaultReading';
import { thuliumOperations } from '../../../nodes/Thulium/adapter';

describe("a vendor's words inside the node's own message", () => {
	it('lose the punctuation that closed them, so no message reads "(HTTP 401: Unauthorized.):"', () => {
		expect(asClause(' Unauthorized. ')).toBe('Unauthorized');
		expect(asClause('Token expired!;')).toBe('Token expired');
		expect(asClause('v1.2 is retired')).toBe('v1.2 is retired');
		const reading = defaultReading({ statusCode: 401, headers: {}, body: {} }, { message: 'Unauthorized.' });
		expect(reading).toMatchObject({ kind: 'fatal', error: { message: "Authentication failed (HTTP 401: Unauthorized): check the credential's login, secret and permissions" } });
		const thulium = thuliumOperations.create.readResponse({ statusCode: 401, headers: {}, body: { request_id: 'r1', errors: [{ message: 'Invalid credentials.', code: 1 }] } }, []);
		expect(thulium).toMatchObject({ error: { message: expect.stringMatching(/^Thulium refused the API user \(HTTP 401: Invalid credentials\): check/) } });
	});
});
