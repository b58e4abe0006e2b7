import { phoneKey, phoneThenEmailKeys } from '../../../nodes/shared/engine/naturalKeys';

describe('natural keys for duplicate rows', () => {
	const keys = phoneThenEmailKeys(['phone', 'mobile'], 'email');

	it('uses the phone numbers, by their digits', () => {
		expect(keys({ phone: '+48 600-100-200', email: 'a@example.com' })).toEqual(['phone:48600100200']);
		expect(keys({ phone: ['600100200', '700100200'] })).toEqual(['phone:600100200', 'phone:700100200']);
		expect(keys({ phone: 48600100200 })).toEqual(['phone:48600100200']);
		expect(phoneKey('+48 600 100 200')).toBe(phoneKey('48600100200'));
	});

	it('falls back to the e-mail, case-insensitively, when there is no phone', () => {
		expect(keys({ email: ' Jan@Example.com ' })).toEqual(['email:jan@example.com']);
		expect(keys({ email: ['a@x.io', 'B@x.io'] })).toEqual(['email:a@x.io', 'email:b@x.io']);
	});

	it('gives no key to a record without phone or e-mail', () => {
		expect(keys({ name: 'Anonymous' })).toEqual([]);
		expect(keys({ phone: '--', email: '' })).toEqual([]);
	});
});
