import type { VendorSandbox } from '../server';

/** Placeholder until the Dustess sandbox is written. */
export function createDustess(): VendorSandbox {
	return {
		name: 'dustess',
		handle: () => ({ status: 501, body: { error: 'not emulated yet' } }),
		store: () => ({}),
		reset() {},
	};
}
