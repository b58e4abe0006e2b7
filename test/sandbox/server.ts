import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { RequestBody } from './body';
import { FaultQueue } from './faults';
import type { Fault } from './faults';
import { Pace, cpuMs } from './pace';
import { createDustess } from './vendors/dustess';
import { createNxCloud } from './vendors/nxcloud';
import { createThulium } from './vendors/thulium';

/** One request as the sandbox received it: the control API hands these to tests. */
export interface ReceivedRequest {
	vendor: string;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	at: number;
}

export interface SandboxRequest extends ReceivedRequest {
	/** The body parsed as JSON, or undefined when it was not JSON. */
	json: unknown;
	/** The body's bytes when they are valid UTF-8 (then hashing them = hashing `rawBody` as UTF-8, without decoding it). */
	utf8Bytes?: Buffer;
}

/** A received request as the log keeps it: the body as read, decoded when the log is read. */
interface LoggedRequest extends Omit<ReceivedRequest, 'rawBody'> {
	body: RequestBody;
}

const logged = ({ vendor, method, path, query, headers, body, at }: LoggedRequest): ReceivedRequest => ({
	vendor,
	method,
	path,
	query,
	headers,
	rawBody: body.text(),
	at,
});

export interface SandboxResponse {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

/** A fake vendor API: answers requests below its prefix, keeps its own store. */
export interface VendorSandbox {
	name: string;
	handle(request: SandboxRequest): SandboxResponse;
	store(): unknown;
	reset(): void;
	/** Vendor-specific settings tests can change (e.g. a token lifetime). */
	configure?(settings: Record<string, unknown>): void;
	/** The answer `body` without the per-record entries at these 0-based positions (vendors that answer per record). */
	omitRecords?(body: unknown, positions: number[] | undefined): unknown;
	/** The answer `body` with the per-record entries at these 0-based positions (all when undefined) saying `status`. */
	recordStatus?(body: unknown, positions: number[] | undefined, status: number, message: unknown): unknown;
}

export interface Sandbox {
	url: string;
	port: number;
	close(): Promise<void>;
}

function parseQuery(url: URL): Record<string, string> {
	const query: Record<string, string> = {};
	url.searchParams.forEach((value, key) => (query[key] = value));
	return query;
}

/**
 * The vendor sandbox: each vendor's API under `/<vendor>/…`, plus a control API under
 * `/__control/` to read what was received, inspect stores, inject faults and reset.
 */
export function startSandbox(port = 0, host = '127.0.0.1'): Promise<Sandbox> {
	const vendors = new Map<string, VendorSandbox>(
		[createThulium(), createNxCloud(), createDustess()].map((vendor) => [vendor.name, vendor]),
	);
	const faults = new FaultQueue();
	const pace = new Pace();
	let received: LoggedRequest[] = [];

	const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		res.writeHead(status, {
			'Content-Type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
			'Content-Length': Buffer.byteLength(text),
			...headers,
		});
		res.end(text);
	};

	const control = (res: http.ServerResponse, method: string, path: string, query: Record<string, string>, json: any) => {
		if (path === '/__control/health') return send(res, 200, { ok: true, vendors: [...vendors.keys()] });
		if (path === '/__control/reset' && method === 'POST') {
			received = [];
			faults.clear();
			pace.reset();
			vendors.forEach((vendor) => vendor.reset());
			return send(res, 200, { ok: true });
		}
		if (path === '/__control/requests') {
			return send(res, 200, (query.vendor ? received.filter((r) => r.vendor === query.vendor) : received).map(logged));
		}
		if (path === '/__control/faults' && method === 'POST') {
			for (const fault of (Array.isArray(json) ? json : [json]) as Fault[]) faults.add(fault);
			return send(res, 200, { ok: true, pending: faults.pending() });
		}
		if (path === '/__control/pace' && method === 'POST') {
			pace.configure(json ?? {});
			return send(res, 200, { ok: true, ...pace.settings() });
		}
		if (path === '/__control/pace') return send(res, 200, { ...pace.settings(), rateLimited: pace.rateLimited(), handlingMs: pace.handlingMs() });
		const store = /^\/__control\/store\/([^/]+)$/.exec(path);
		if (store && vendors.has(store[1])) return send(res, 200, vendors.get(store[1])!.store());
		const configure = /^\/__control\/configure\/([^/]+)$/.exec(path);
		if (configure && method === 'POST' && vendors.get(configure[1])?.configure) {
			vendors.get(configure[1])!.configure!(json ?? {});
			return send(res, 200, { ok: true });
		}
		return send(res, 404, { error: 'unknown control path' });
	};

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://sandbox');
			const readingStarted = cpuMs();
			const body = RequestBody.read(Buffer.concat(chunks));
			const json = body.json();
			const readingMs = cpuMs() - readingStarted;
			const query = parseQuery(url);
			if (url.pathname.startsWith('/__control/')) return control(res, req.method ?? 'GET', url.pathname, query, json);

			const [, vendorName, ...rest] = url.pathname.split('/');
			const vendor = vendors.get(vendorName);
			if (!vendor) return send(res, 404, { error: `no vendor '${vendorName}' in the sandbox` });
			pace.addHandling(vendor.name, readingMs);
			const log: LoggedRequest = { vendor: vendor.name, method: req.method ?? 'GET', path: `/${rest.join('/')}`, query, headers: req.headers, body, at: Date.now() };
			received.push(log);
			const { body: _body, ...fields } = log;
			const request: SandboxRequest = {
				...fields,
				// Decoded only when a vendor or a fault reads it.
				get rawBody() {
					return body.text();
				},
				json,
				utf8Bytes: body.utf8 ? body.bytes : undefined,
			};

			const limited = pace.admit(vendor.name);
			const fault = limited ? undefined : faults.take(vendor.name, request.path);
			const faultBody = (fallback: unknown) => {
				const body = fault?.body ?? fallback;
				if (!fault?.echoRequest) return body;
				const echoed = `${request.method} ${req.url} ${JSON.stringify(request.headers)} ${request.rawBody}`;
				return JSON.parse(JSON.stringify(body).split('{{request}}').join(JSON.stringify(echoed).slice(1, -1)));
			};
			const respond = () => {
				if (limited) return send(res, 429, { error: 'rate limit exceeded' }, { 'Retry-After': String(limited.retryAfterSeconds) });
				if (fault?.type === 'drop') return req.socket.destroy();
				if (fault?.type === 'status') {
					const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
					return send(res, fault.status ?? 503, faultBody({ error: 'injected fault' }), headers);
				}
				if (fault?.type === 'html') return send(res, fault.status ?? 502, '<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>');
				const answer = pace.timed(vendor.name, () => vendor.handle(request));
				if (fault?.type === 'storeThenFail') return send(res, fault.status ?? 500, faultBody({ error: 'internal error after storing' }));
				if (fault?.type === 'omitRecords' && vendor.omitRecords) {
					return send(res, answer.status, vendor.omitRecords(answer.body, fault.positions), answer.headers);
				}
				if (fault?.type === 'recordStatus' && vendor.recordStatus) {
					return send(res, answer.status, vendor.recordStatus(answer.body, fault.positions, fault.status ?? 500, fault.body), answer.headers);
				}
				if (fault?.type === 'storeThenDrop') return req.socket.destroy();
				if (fault?.type === 'malformed') {
					res.writeHead(answer.status, { 'Content-Type': 'application/json' });
					return res.end('{"truncated": ');
				}
				pace.timed(vendor.name, () => send(res, answer.status, answer.body, answer.headers));
			};
			const delay = (fault?.latencyMs ?? 0) + pace.latencyMs;
			if (delay > 0) setTimeout(respond, delay);
			else respond();
		});
	});

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			const address = server.address() as AddressInfo;
			resolve({
				url: `http://${host}:${address.port}`,
				port: address.port,
				close: () =>
					new Promise<void>((done) => {
						server.closeAllConnections?.();
						server.close(() => done());
					}),
			});
		});
	});
}
