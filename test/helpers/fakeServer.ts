import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the server received it. */
export interface ReceivedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
	/** The body parsed as JSON, or the raw text. */
	body: unknown;
}

/** What the server does with a request: answer it, or reset the connection without an answer. */
export type Answer = { statusCode: number; body?: unknown; headers?: Record<string, string> } | 'reset';

export interface FakeServer {
	url: string;
	/** Every request received, in arrival order. */
	requests: ReceivedRequest[];
	close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that answers as a test says: for tests whose vendor is not
 * the sandbox (the engine's fake vendor, a token endpoint with scripted answers). The request
 * goes through n8n's whole request path; only the far end is scripted.
 */
export async function startFakeServer(answer: (request: ReceivedRequest, count: number) => Answer | Promise<Answer>): Promise<FakeServer> {
	const requests: ReceivedRequest[] = [];
	const server = http.createServer((incoming, response) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', async () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			let body: unknown = rawBody;
			try {
				body = rawBody ? JSON.parse(rawBody) : '';
			} catch {
				// not JSON: keep the text
			}
			const url = new URL(incoming.url ?? '/', 'http://localhost');
			const request: ReceivedRequest = {
				method: incoming.method ?? 'GET',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: incoming.headers,
				rawBody,
				body,
			};
			requests.push(request);
			const reply = await answer(request, requests.length);
			if (reply === 'reset') {
				incoming.socket.destroy();
				return;
			}
			const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
			const json = typeof reply.body !== 'string';
			response.writeHead(reply.statusCode, { 'Content-Type': json ? 'application/json' : 'text/plain', ...reply.headers });
			response.end(text);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}
