import { toVendorDate } from '../../../nodes/shared/schema/dates';

describe('toVendorDate', () => {
	it.each([
		['1976-04-12', '1976-04-12'],
		['1976/4/2', '1976-04-02'],
		['2024-01-02T23:30:00-05:00', '2024-01-02'],
		['2024-01-02 10:00', '2024-01-02'],
		[new Date(Date.UTC(2020, 8, 16, 12)), '2020-09-16'],
		[{ toISO: () => '2021-03-04T00:00:00.000+08:00' }, '2021-03-04'],
	])('formats %p as %p', (input, expected) => {
		expect(toVendorDate(input)).toBe(expected);
	});

	it.each(['2023-02-30', '12/04/1976', 'yesterday', '', 19760412, new Date('nope')])('refuses %p', (input) => {
		expect(toVendorDate(input)).toBeUndefined();
	});
});
