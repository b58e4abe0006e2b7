import { runInNewContext } from 'node:vm';

import type { IDataObject } from 'n8n-workflow';

import { readDate, readDateTime, toVendorDate } from '../../../nodes/shared/schema/dates';
import { n8nHarness } from '../../helpers/n8nWorkflow';
import { THULIUM_USER } from '../../sandbox/vendors/thulium';

jest.setTimeout(30_000);

describe('readDate', () => {
	it.each([
		['1976-04-12', '1976-04-12'],
		['1976/4/2', '1976-04-02'],
		['1980/05/17', '1980-05-17'],
		['1980.05.17', '1980-05-17'],
		[' 1980-05-17 ', '1980-05-17'],
		['17.05.1980', '1980-05-17'],
		['7.5.1980', '1980-05-07'],
		['17.05.1980 10:30', '1980-05-17'],
		['2024-01-02T23:30:00-05:00', '2024-01-02'],
		['1980-05-17T00:00:00+14:00', '1980-05-17'],
		['1980-05-17T23:59:59-12:00', '1980-05-17'],
		['1980-05-17T00:00:00.000Z', '1980-05-17'],
		['2024-01-02 10:00', '2024-01-02'],
		[new Date(Date.UTC(2020, 8, 16, 12)), '2020-09-16'],
		[{ toISO: () => '2021-03-04T00:00:00.000+08:00' }, '2021-03-04'],
	])('reads %p as %p whatever the date order', (input, expected) => {
		for (const order of ['ymd', 'dmy', 'mdy'] as const) expect(readDate(input, order)).toEqual({ ok: true, date: expected });
	});

	it('reads day/month forms only in the order it is told', () => {
		for (const text of ['05/06/1980', '05-06-1980', '5/6/1980', '17/05/1980', '05/17/1980']) {
			expect(readDate(text)).toEqual({ ok: false, reason: 'ambiguous' });
		}
		expect(readDate('05/06/1980', 'dmy')).toEqual({ ok: true, date: '1980-06-05' });
		expect(readDate('05-06-1980', 'dmy')).toEqual({ ok: true, date: '1980-06-05' });
		expect(readDate('05/06/1980', 'mdy')).toEqual({ ok: true, date: '1980-05-06' });
		expect(readDate('5/17/1980 0:00:00', 'mdy')).toEqual({ ok: true, date: '1980-05-17' });
		expect(readDate('17/05/1980', 'mdy')).toEqual({ ok: false, reason: 'notARealDate' });
		expect(readDate('17/05/1980', 'dmy')).toEqual({ ok: true, date: '1980-05-17' });
	});

	it('refuses dates that do not exist and forms it does not read', () => {
		expect(readDate('2023-02-30')).toEqual({ ok: false, reason: 'notARealDate' });
		expect(readDate('31.04.1980')).toEqual({ ok: false, reason: 'notARealDate' });
		for (const input of ['yesterday', '', '1980-05/17', '80-05-17', '17.05.80', '1980-05-17x', 19760412, new Date('nope'), null]) {
			expect(readDate(input, 'dmy')).toEqual({ ok: false, reason: 'notADate' });
		}
	});
});

describe('readDate with a time zone', () => {
	it('reads a Date object as the day it falls on in that zone, as n8n shows it there', () => {
		// Midnight of 3 February in Tokyo is still 2 February in UTC.
		const tokyoMidnight = new Date('1990-02-03T00:00:00+09:00');
		expect(readDate(tokyoMidnight, 'ymd', 'Asia/Tokyo')).toEqual({ ok: true, date: '1990-02-03' });
		expect(readDate(tokyoMidnight, 'ymd', 'UTC')).toEqual({ ok: true, date: '1990-02-02' });
		// Evening of 2 February in Los Angeles is already 3 February in UTC.
		const losAngelesEvening = new Date('1990-02-02T19:00:00-08:00');
		expect(readDate(losAngelesEvening, 'ymd', 'America/Los_Angeles')).toEqual({ ok: true, date: '1990-02-02' });
		expect(readDate(losAngelesEvening, 'ymd', 'Asia/Tokyo')).toEqual({ ok: true, date: '1990-02-03' });
	});

	it('reads a Date object from another JavaScript realm (a sandbox) the same way', () => {
		const foreign = runInNewContext("new Date('1990-02-03T00:00:00+09:00')") as unknown;
		expect(foreign instanceof Date).toBe(false);
		expect(readDate(foreign, 'ymd', 'Asia/Tokyo')).toEqual({ ok: true, date: '1990-02-03' });
	});

	it('keeps the date of text as written, and a Luxon DateTime in its own zone, whatever the zone', () => {
		expect(readDate('1990-02-03T00:00:00+09:00', 'ymd', 'America/Los_Angeles')).toEqual({ ok: true, date: '1990-02-03' });
		expect(readDate({ toISO: () => '1990-02-03T00:00:00.000+09:00' }, 'ymd', 'America/Los_Angeles')).toEqual({ ok: true, date: '1990-02-03' });
	});

	it('reads in UTC without a zone, or with one this system does not know', () => {
		const tokyoMidnight = new Date('1990-02-03T00:00:00+09:00');
		expect(readDate(tokyoMidnight)).toEqual({ ok: true, date: '1990-02-02' });
		expect(readDate(tokyoMidnight, 'ymd', 'Not/AZone')).toEqual({ ok: true, date: '1990-02-02' });
		expect(readDate(new Date('nope'), 'ymd', 'Asia/Tokyo')).toEqual({ ok: false, reason: 'notADate' });
	});
});

describe('toVendorDate', () => {
	it('gives the date or undefined', () => {
		expect(toVendorDate('1980-05-17')).toBe('1980-05-17');
		expect(toVendorDate('12/04/1976')).toBeUndefined();
		expect(toVendorDate('12/04/1976', 'dmy')).toBe('1976-04-12');
	});
});

describe('years before 1000', () => {
	it('are written with four digits, and a year 0 or a two-digit year is no date', () => {
		expect(readDate('0999-05-17')).toEqual({ ok: true, date: '0999-05-17' });
		expect(readDate('0050-02-28')).toEqual({ ok: true, date: '0050-02-28' });
		expect(readDate('17.05.0999')).toEqual({ ok: true, date: '0999-05-17' });
		expect(readDate(new Date('0999-05-17T12:00:00Z'))).toEqual({ ok: true, date: '0999-05-17' });
		expect(readDate('0000-01-01')).toEqual({ ok: false, reason: 'notARealDate' });
		expect(readDate('999-05-17')).toEqual({ ok: false, reason: 'notADate' });
	});

	it('are accepted and sent with a three-digit year ("999-05-17"), not as yyyy-MM-dd', async () => {
		// Validate Only: nothing listens at the credential's address, and nothing is sent.
		const run = await n8nHarness().run({
			input: [{ surname: 'Old', birthdate: '0999-05-17' }],
			node: { type: 'thuliumBatchCustomers', parameters: { operation: 'create', mappingMode: 'autoMapInputData', options: { validateOnly: true } } },
			credentials: { thuliumApi: { baseUrl: 'http://127.0.0.1:1/api', ...THULIUM_USER } },
		});
		const [success, failure] = run.outputs;
		const recordOf = (json: IDataObject) => (json.customerBatch as IDataObject).record as IDataObject;
		const outcome = success.length ? recordOf(success[0].json).birthdate : (failure[0].json.error as IDataObject).code;
		expect(['0999-05-17', 'INVALID_RECORD']).toContain(outcome);
	});
});

describe('readDateTime', () => {
	it.each([
		['2024-05-17 14:30', '2024-05-17 14:30:00'],
		['2024-05-17T14:30:05', '2024-05-17 14:30:05'],
		['2024-05-17T14:30:05.123+02:00', '2024-05-17 14:30:05'],
		['2024-05-17T23:30:00Z', '2024-05-17 23:30:00'],
		['17.05.2024 9:05', '2024-05-17 09:05:00'],
		['2024-05-17', '2024-05-17 00:00:00'],
		[{ toISO: () => '2024-05-17T14:30:00.000+08:00' }, '2024-05-17 14:30:00'],
	])('reads %p as %p, the time as written', (input, expected) => {
		expect(readDateTime(input)).toEqual({ ok: true, dateTime: expected });
	});

	it('reads a Date object as the date and time n8n shows for it in the time zone, UTC without one', () => {
		const instant = new Date('2024-05-17T22:30:00Z');
		expect(readDateTime(instant)).toEqual({ ok: true, dateTime: '2024-05-17 22:30:00' });
		expect(readDateTime(instant, 'ymd', 'Asia/Tokyo')).toEqual({ ok: true, dateTime: '2024-05-18 07:30:00' });
	});

	it('reads day/month forms only with a date order, and refuses times that do not exist or trail off', () => {
		expect(readDateTime('05/06/2024 10:00')).toEqual({ ok: false, reason: 'ambiguous' });
		expect(readDateTime('05/06/2024 10:00', 'dmy')).toEqual({ ok: true, dateTime: '2024-06-05 10:00:00' });
		expect(readDateTime('2024-05-17 24:00')).toEqual({ ok: false, reason: 'notARealDate' });
		for (const input of ['2024-05-17 noon', '2024-05-17T14', 'soon', 42, null]) expect(readDateTime(input)).toEqual({ ok: false, reason: 'notADate' });
	});
});
