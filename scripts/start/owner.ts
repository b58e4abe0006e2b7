/** The instance's owner account: created on the first start, logged in on every start. */
import { step } from './settings';
import type { Settings } from './settings';
import type { State } from './instance';
import { writeState } from './instance';

export interface RestAnswer {
	status: number;
	json: any;
	cookie?: string;
}

/** One call to n8n's REST API, as the editor makes it. */
export async function rest(baseUrl: string, method: string, route: string, body?: unknown, cookie?: string): Promise<RestAnswer> {
	const response = await fetch(`${baseUrl}/rest/${route}`, {
		method,
		headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	const setCookie = response.headers.get('set-cookie');
	return { status: response.status, json, cookie: setCookie ? setCookie.split(';')[0] : undefined };
}

/**
 * Creates the owner on a new instance (N8N_DEMO_EMAIL / N8N_DEMO_PASSWORD, read on the first start
 * only) and logs in. Returns the session cookie, or undefined when the login fails (the password
 * was changed in n8n, say): the editor still works, only the checks after it are skipped.
 */
export async function prepareOwner(settings: Settings, state: State, showSetup: boolean): Promise<string | undefined> {
	const baseUrl = settings.localUrl;
	if (!state.owner) {
		state.owner = {
			email: process.env.N8N_DEMO_EMAIL ?? 'demo@example.com',
			password: process.env.N8N_DEMO_PASSWORD ?? 'Customer-Batch-1',
			firstName: 'Demo',
			lastName: 'Owner',
		};
	}
	if (showSetup) {
		step(`creating the owner account ${state.owner.email}`);
		const setup = await rest(baseUrl, 'POST', 'owner/setup', state.owner);
		if (setup.status !== 200) throw new Error(`owner setup failed (HTTP ${setup.status}): ${JSON.stringify(setup.json).slice(0, 500)}`);
		writeState(settings, state);
	}
	const login = await rest(baseUrl, 'POST', 'login', { emailOrLdapLoginId: state.owner.email, password: state.owner.password });
	if (login.status !== 200 || !login.cookie) {
		console.warn(`npm start: warning: could not log in as ${state.owner.email} (HTTP ${login.status}); was the password changed in n8n?`);
		return undefined;
	}
	return login.cookie;
}
