import { createSchema as dustessCreate } from '../../../nodes/Dustess/fields';
import { fieldName } from '../../../nodes/shared/schema/fieldNames';
import { createSchema as thuliumCreate } from '../../../nodes/Thulium/fields';

describe('a field as messages name it', () => {
	it('gives the panel label and the API name', () => {
		expect(fieldName(thuliumCreate.fields, 'birthdate')).toBe("'Birth Date' (birthdate)");
		expect(fieldName(thuliumCreate.fields, 'name')).toBe("'First Name' (name)");
	});

	it('walks nested groups and list entries, and keeps a key the schema does not know as it is', () => {
		expect(fieldName(thuliumCreate.fields, 'address.city')).toBe("'Address → City' (address.city)");
		expect(fieldName(dustessCreate.fields, 'mobiles[1].tel')).toBe("'Contact Methods → Number or Value' (mobiles[1].tel)");
		expect(fieldName(dustessCreate.fields, 'custom_fields[0].files_value[2].url')).toBe("'Custom Fields → Files → File URL' (custom_fields[0].files_value[2].url)");
		expect(fieldName(thuliumCreate.fields, 'custom_fields.Loyalty')).toBe("'Custom Fields → Loyalty' (custom_fields.Loyalty)");
		expect(fieldName(thuliumCreate.fields, 'Nickname')).toBe("'Nickname'");
	});
});
