import type { IDataObject } from 'n8n-workflow';

/**
 * The mixed 250-customer input shared by the mock test and the real-n8n test: which positions are
 * invalid before sending, which the sandbox refuses, and what each valid one looks like.
 */
export const MIXED_SIZE = 250;

/** Positions that fail validation in the node, each for another rule. */
export const LOCALLY_INVALID: Record<number, { patch: IDataObject; field: string }> = {
	3: { patch: { last_name: '' }, field: 'last_name' },
	50: { patch: { birthday: '04/12/1976' }, field: 'birthday' },
	120: { patch: { gender: 'unknown' }, field: 'gender' },
	201: { patch: { email: `${'x'.repeat(45)}@example.com` }, field: 'email' },
	249: { patch: { sms_phone: '1'.repeat(31) }, field: 'sms_phone' },
};

/** Positions the sandbox refuses for rules only the tenant knows. */
export const VENDOR_REJECTED: Record<number, { patch: IDataObject; message: string }> = {
	10: { patch: { email: 'spam@blocked.example' }, message: 'the tenant does not accept addresses at blocked.example' },
	160: { patch: { belong_seat_user: 'ghost-seat' }, message: 'no seat ghost-seat' },
};

export function mixedCustomers(): IDataObject[] {
	return Array.from({ length: MIXED_SIZE }, (_, index) => ({
		first_name: index % 7 === 0 ? '牛' : `First${index}`,
		last_name: index % 7 === 0 ? `小信${index}` : `Last${index}`,
		sms_phone: `8613800${String(index).padStart(5, '0')}`,
		email: `customer${index}@example.com`,
		birthday: index % 2 === 0 ? '1990-05-17' : '1990-05-17T22:30:00.000Z',
		gender: index % 3 === 0 ? 'Female' : 'male',
		tagStr: ['n8n', `wave${index % 4}`],
		customize_field: { customize_1_14: index % 2 === 0 ? 'gold' : 'silver' },
		...LOCALLY_INVALID[index]?.patch,
		...VENDOR_REJECTED[index]?.patch,
	}));
}

/** The halves the engine sends to isolate one bad customer at `position` in a rejected batch. */
export function splitSizes(size: number, position: number): number[] {
	// The batch, then both its halves, then the same inside the half that holds the bad record.
	const sizes: number[] = [size];
	let [from, to] = [0, size];
	while (to - from > 1) {
		const middle = from + Math.ceil((to - from) / 2);
		sizes.push(middle - from, to - middle);
		if (position < middle) to = middle;
		else from = middle;
	}
	return sizes;
}
