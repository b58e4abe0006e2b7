import { clearTokenCache } from '../../nodes/Dustess/accessToken';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import type { Fault } from '../sandbox/faults';

/** A started sandbox plus its control API, for tests. */
export interface SandboxHandle extends Sandbox {
	reset(): Promise<void>;
	inject(...faults: Fault[]): Promise<void>;
	requests(vendor: string): Promise<Array<{ method: string; path: string; rawBody: string; headers: Record<string, string>; query: Record<string, string> }>>;
	store<T = any>(vendor: string): Promise<T>;
	configure(vendor: string, settings: Record<string, unknown>): Promise<void>;
	/** Sets the sandbox-wide pace (test/sandbox/pace.ts) when given settings; returns it with its counters. */
	pace(settings?: Record<string, unknown>): Promise<{ ratePerSecond: number; rateWindow: string; latencyMs: number; rateLimited?: number }>;
}

export async function startTestSandbox(): Promise<SandboxHandle> {
	const sandbox = await startSandbox(0);
	const call = async (path: string, body?: unknown) => {
		const response = await fetch(`${sandbox.url}${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return (await response.json()) as any;
	};
	return {
		...sandbox,
		reset: async () => void (await call('/__control/reset', {})),
		inject: async (...faults) => void (await call('/__control/faults', faults)),
		requests: async (vendor) => call(`/__control/requests?vendor=${vendor}`),
		store: async (vendor) => call(`/__control/store/${vendor}`),
		configure: async (vendor, settings) => void (await call(`/__control/configure/${vendor}`, settings)),
		pace: async (settings) => (settings === undefined ? call('/__control/pace') : call('/__control/pace', settings)),
	};
}

/**
 * A sandbox for the enclosing `describe` (or file): started before its tests, reset before each
 * test with the Dustess token cache cleared (a reset sandbox has forgotten every token it issued),
 * closed after. The handle may be captured at once; it is usable while the tests run.
 */
export function useTestSandbox(): SandboxHandle {
	let started: SandboxHandle | undefined;
	beforeAll(async () => (started = await startTestSandbox()));
	afterAll(async () => started?.close());
	beforeEach(async () => {
		await running().reset();
		clearTokenCache();
	});
	const running = (): SandboxHandle => {
		if (!started) throw new Error('The test sandbox is used before its tests run');
		return started;
	};
	return new Proxy({} as SandboxHandle, {
		get: (_handle, key) => {
			const value = (running() as unknown as Record<string | symbol, unknown>)[key];
			return typeof value === 'function' ? value.bind(running()) : value;
		},
	});
}
