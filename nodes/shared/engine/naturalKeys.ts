import type { IDataObject } from 'n8n-workflow';

function valuesOf(value: unknown): string[] {
	const list = Array.isArray(value) ? value : [value];
	return list.filter((entry) => typeof entry === 'string' || typeof entry === 'number').map(String);
}

/** A phone number as a key: its digits (a leading + and spacing do not make another customer). */
export function phoneKey(value: unknown): string | undefined {
	const digits = String(value).replace(/\D/g, '');
	return digits.length >= 3 ? `phone:${digits}` : undefined;
}

/**
 * The natural key where a vendor documents none: the customer's phone numbers, or, when the
 * record has no phone, its e-mail addresses (case does not matter).
 */
export function phoneThenEmailKeys(phoneFields: string[], emailField: string): (record: IDataObject) => string[] {
	return (record) => {
		const phones = phoneFields.flatMap((field) => valuesOf(record[field])).map(phoneKey);
		const keys = phones.filter((key): key is string => key !== undefined);
		if (keys.length) return keys;
		return valuesOf(record[emailField])
			.map((email) => email.trim().toLowerCase())
			.filter((email) => email !== '')
			.map((email) => `email:${email}`);
	};
}
