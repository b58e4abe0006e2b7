import { NxCloudApi } from '../../../credentials/NxCloudApi.credentials';
import { ThuliumApi } from '../../../credentials/ThuliumApi.credentials';
import { passwordValues, secretRedactor } from '../../../nodes/shared/engine/redactSecrets';

describe('masking secrets', () => {
	it('masks a secret that contains another secret whole (longest first)', () => {
		const redact = secretRedactor(['key1', 'key1-and-more-secret'], () => []);
		expect(redact('sent key1-and-more-secret and key1')).toBe('sent *** and ***');
	});

	it('masks short secrets and URL-encoded forms', () => {
		const redact = secretRedactor(['p@w', 'ab'], () => []);
		expect(redact('pw=p%40w, p@w, ab')).toBe('pw=***, ***, ***');
	});

	it('masks current and replaced session values', () => {
		const sessions = [{ accessToken: 'tok-old' }, { accessToken: 'tok-new' }];
		const redact = secretRedactor([], () => sessions);
		expect(redact('tok-old then tok-new')).toBe('*** then ***');
	});

	it('masks secrets it cannot know by value: a Basic header, a signature, a token in a URL', () => {
		const redact = secretRedactor([], () => []);
		expect(redact('Authorization: Basic YXBpOnBhc3M=')).toBe('Authorization: Basic ***');
		expect(redact('{"sign":"87c3560d3331ae23f1021e2025722354"}')).toBe('{"sign":"***"}');
		expect(redact('GET /x?accessToken=abc.def&y=1')).toBe('GET /x?accessToken=***&y=1');
		expect(redact('GET /fields?tenant_id=144&app_key=46oKF%3Dos')).toBe('GET /fields?tenant_id=144&app_key=***');
	});

	it('finds the password-typed fields of a credential', () => {
		expect(passwordValues(new ThuliumApi(), { login: 'api_user', password: 'pw', systemName: 'x' })).toEqual(['pw']);
		expect(passwordValues(new ThuliumApi(), { login: 'api_user', password: '' })).toEqual([]);
		// A request carries a value trimmed (NXCLOUD's app_key): both forms are secrets.
		expect(passwordValues(new NxCloudApi(), { accessKey: 'k', accessSecret: 'as', appSecretKey: ' ak ' })).toEqual(['as', ' ak ', 'ak']);
	});
});
