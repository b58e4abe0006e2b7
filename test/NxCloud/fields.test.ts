import { seaSchema, standardSchema } from '../../nodes/NxCloud/fields';
import { fromParameterGroup } from '../../nodes/shared/schema/fromParameters';
import { validateRecord } from '../../nodes/shared/schema/validateRecord';

const NAMES = { first_name: 'A', last_name: 'B' };

describe('NXCLOUD tags (tagStr, sent comma-separated)', () => {
	it('join list entries with commas', () => {
		expect(validateRecord({ ...NAMES, tagStr: [' vip ', 'b2b', '', 2024] }, seaSchema).record.tagStr).toBe('vip,b2b,2024');
	});

	it('read a text as a comma-separated list', () => {
		expect(validateRecord({ ...NAMES, tagStr: 'vip, b2b' }, seaSchema).record.tagStr).toBe('vip,b2b');
		expect(validateRecord({ full_name: 'A B', tagStr: 'vip' }, standardSchema).record.tagStr).toBe('vip');
	});

	it('fail the item when a list entry contains a comma, and say why without quoting the tag', () => {
		const { record, problems } = validateRecord({ ...NAMES, tagStr: ['vip', 'Smith, John'] }, seaSchema);
		expect(record.tagStr).toBeUndefined();
		expect(problems).toEqual([
			{
				field: 'tagStr[1]',
				rule: 'format',
				message: "'Tags' (tagStr[1]) contains a comma: 'Tags' (tagStr) is sent comma-separated, so the entry would arrive as two. Remove the comma from it",
			},
		]);
		expect(problems[0].message).not.toContain('Smith');
	});

	it('fail a tag with a comma given in the panel (one entry per tag)', () => {
		const values = fromParameterGroup({ ...NAMES, tagStr: ['vip', 'a,b'] }, seaSchema.fields);
		expect(validateRecord(values, seaSchema).problems.map((problem) => `${problem.field}:${problem.rule}`)).toEqual(['tagStr[1]:format']);
	});

	it('leave tags out when the cell is empty', () => {
		for (const empty of ['', ' ', null, [], [' ', '']]) {
			expect(validateRecord({ ...NAMES, tagStr: empty }, seaSchema)).toEqual({ record: NAMES, problems: [] });
		}
	});
});

describe('NXCLOUD fields from a spreadsheet', () => {
	it('take phone numbers a spreadsheet turned into numbers as their digits', () => {
		const { record, problems } = validateRecord({ full_name: 'A B', sms_phone: 48600100200, whats_app_phone: 8613800138000 }, standardSchema);
		expect(problems).toEqual([]);
		expect(record).toMatchObject({ sms_phone: '48600100200', whats_app_phone: '8613800138000' });
	});

	it('take gender as 1/0 text with spaces, and leave empty cells out', () => {
		expect(validateRecord({ ...NAMES, gender: ' 1 ', birthday: '  ', email: '', remark: null }, seaSchema)).toEqual({
			record: { ...NAMES, gender: 1 },
			problems: [],
		});
	});

	it('read 17.05.1980 and refuse 05/06/1980 unless the date order is given', () => {
		expect(validateRecord({ ...NAMES, birthday: '17.05.1980' }, seaSchema).record.birthday).toBe('1980-05-17');
		const ambiguous = validateRecord({ ...NAMES, birthday: '05/06/1980' }, seaSchema);
		expect(ambiguous.problems[0]).toMatchObject({ field: 'birthday', rule: 'format', message: expect.stringContaining('Options → Date Order') });
		expect(validateRecord({ ...NAMES, birthday: '05/06/1980' }, seaSchema, { dateOrder: 'dmy' }).record.birthday).toBe('1980-06-05');
		expect(validateRecord({ ...NAMES, birthday: '05/06/1980' }, seaSchema, { dateOrder: 'mdy' }).record.birthday).toBe('1980-05-06');
	});
});
