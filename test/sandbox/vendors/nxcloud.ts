import type { VendorSandbox } from '../server';

/** Placeholder until the NxCloud sandbox is written. */
export function createNxCloud(): VendorSandbox {
	return {
		name: 'nxcloud',
		handle: () => ({ status: 501, body: { error: 'not emulated yet' } }),
		store: () => ({}),
		reset() {},
	};
}
