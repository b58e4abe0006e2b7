/**
 * Attacks on Reject Unknown Fields naming an unknown key "that may be customer data" only by its shape:
 * customer data written as an input key must reach no message and no error.field.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RecordSchema } from '../../../nodes/shared/schema/fieldSchema';
import { validateRecord } from '../../../nodes/shared/schema/validateRecord';

const schema: RecordSchema = {
	fields: [
		{ name: 'surname', label: 'Surname', description: 'Surname', type: 'string', required: true },
		{ name: 'custom', label: 'Custom', description: 'Custom', type: 'keyValue' },
		{ name: 'address', label: 'Address', description: 'Address', type: 'object', fields: [{ name: 'city', label: 'City', description: 'City', type: 'string' }] },
		{ name: 'mobiles', label: 'Mobiles', description: 'Mobiles', type: 'objectList', fields: [{ name: 'tel', label: 'Tel', description: 'Tel', type: 'string' }] },
	],
};

function shownFor(input: IDataObject): string {
	return JSON.stringify(validateRecord({ surname: 'A', ...input }, schema, { strict: true }).problems);
}

describe('Reject Unknown Fields: keys that are customer data', () => {
	it('names a phone written with separators (+48 600-100-200: 11 digits in all) by its shape only', () => {
		const shown = shownFor({ '+48 600-100-200': 1, address: { '+48 600-100-200': 1 }, mobiles: [{ tel: '1' }, { '+48 600-100-200': 1 }] });
		expect(shown).not.toContain('600-100-200');
		expect(shown).toContain('mobiles[1].(text of 15 characters)');
	});

	it('names a phone written in full-width digits (as East Asian input methods type them) by its shape only', () => {
		const key = '＋４８ ６００ １００ ２００';
		expect(shownFor({ [key]: 1 })).not.toContain('６００');
	});

	it('names an e-mail address written with a full-width at sign by its shape only', () => {
		expect(shownFor({ 'anna.kowalska＠example.com': 1 })).not.toContain('anna.kowalska');
	});

	it('names a customer\'s name used as a key (a sheet read without its header row) by its shape only', () => {
		expect(shownFor({ 'Anna Kowalska': 'Jan Nowak' })).not.toContain('Anna Kowalska');
	});
});
