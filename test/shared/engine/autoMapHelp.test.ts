import { likelyMatches, matchesNoField, noMatchingField } from '../../../nodes/shared/engine/autoMapHelp';
import { createSchema as dustessCreate } from '../../../nodes/Dustess/fields';
import { seaSchema } from '../../../nodes/NxCloud/fields';
import { createSchema as thuliumCreate } from '../../../nodes/Thulium/fields';

describe('Auto-Map help for input keys that are no API fields', () => {
	it('tells an item with no key named like an API field from one with at least one', () => {
		expect(matchesNoField(['First Name', 'E-mail'], thuliumCreate)).toBe(true);
		expect(matchesNoField(['First Name', 'email'], thuliumCreate)).toBe(false);
		expect(matchesNoField([], thuliumCreate)).toBe(true);
	});

	it('suggests the field a sheet header probably means, ignoring case, spaces, dashes and underscores, per vendor', () => {
		const headers = ['First Name', 'Last Name', 'E-mail', 'Phone', 'Notes'];
		expect(likelyMatches(headers, thuliumCreate.fields)).toEqual([
			['First Name', 'name'],
			['E-mail', 'email'],
			['Phone', 'phone_number'],
		]);
		expect(likelyMatches(headers, seaSchema.fields)).toEqual([
			['First Name', 'first_name'],
			['Last Name', 'last_name'],
			['E-mail', 'email'],
		]);
		// Two fields hold "phone" (sms_phone, whats_app_phone): no guess.
		expect(likelyMatches(['phone'], seaSchema.fields)).toEqual([]);
	});

	it('counts the keys seen without naming them, lists the API fields with the required ones first, and both ways out', () => {
		const keys = Array.from({ length: 13 }, (_, index) => `Column ${index + 1}`);
		const { problem, help } = noMatchingField(keys, dustessCreate, 'item');
		expect(problem).toBe('Auto-Map found no input field named like a field of this API');
		expect(help).toContain('The item has 13 fields;');
		expect(help).not.toContain("'Column");
		expect(help).toContain("the API's fields are owner or pool (one of them required), external_id, remark,");
		expect(help).toContain('Rename the input fields to the API names');
		expect(help).toContain('set Mapping Column Mode to Map Each Field Below');
		expect(noMatchingField([], dustessCreate, 'input').help).toContain('The input has no fields;');
	});
});
