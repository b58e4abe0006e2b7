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
