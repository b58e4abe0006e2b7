import { startSandbox } from './server';

/** `npm run sandbox`: the vendor sandbox on SANDBOX_PORT (default 8765) until Ctrl-C. */
async function main() {
	const sandbox = await startSandbox(Number(process.env.SANDBOX_PORT ?? 8765), process.env.SANDBOX_HOST ?? '127.0.0.1');
	console.log(`vendor sandbox listening on ${sandbox.url}`);
	console.log(`  Thulium base URL: ${sandbox.url}/thulium/api   NXCLOUD: ${sandbox.url}/nxcloud   Dustess: ${sandbox.url}/dustess`);
	const stop = () => void sandbox.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
