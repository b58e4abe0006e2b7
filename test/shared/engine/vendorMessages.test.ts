import { inInputTerms } from '../../../nodes/shared/engine/vendorMessages';
import { seaSchema } from '../../../nodes/NxCloud/fields';
import { nxCloudOperations } from '../../../nodes/NxCloud/adapter';

const operation = nxCloudOperations.sea;
/** A request that carried input items 7, 12 and 30, in that order. */
const request = [{ index: 7 }, { index: 12 }, { index: 30 }];

describe("a vendor's message about positions in a request", () => {
	it('names the input item each position came from, with the field as the panel labels it', () => {
		const error = inInputTerms({ message: 'customers[1].email: the tenant does not accept this domain', vendorCode: 1002 }, operation, request, 1);
		expect(error).toEqual({ message: "input item 12, 'Email' (email): the tenant does not accept this domain", vendorCode: 1002, field: 'email' });
	});

	it("takes the field as the error's own only for the record it is reported for", () => {
		const message = 'customers[2].first_name is required; customers[0] must be an object';
		expect(inInputTerms({ message }, operation, request, 0)).toEqual({ message: "input item 30, 'First Name' (first_name) is required; input item 7 must be an object" });
		expect(inInputTerms({ message }, operation, request, 2)).toEqual({
			message: "input item 30, 'First Name' (first_name) is required; input item 7 must be an object",
			field: 'first_name',
		});
	});

	it('leaves a position the request did not have, and messages of operations that declare no pattern, as they are', () => {
		const error = { message: 'customers[5].email is invalid' };
		expect(inInputTerms(error, operation, request, 0)).toBe(error);
		expect(inInputTerms(error, { schema: seaSchema }, request, 0)).toBe(error);
	});
});
