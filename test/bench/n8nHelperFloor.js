/**
 * The least time any node needs that sends the benchmark's batches through n8n's HTTP helper, as
 * the verified-node rules require (`httpRequestWithAuthentication` ends in n8n-core's
 * `httpRequest`: axios, new agents and so a new connection for every request). No node, no
 * workflow, no records to build or read: `count` six-field customers made up front, posted to the
 * sandbox's Thulium batch endpoint in batches of `batchSize`, `concurrency` at a time, by n8n-core's
 * own `httpRequest` from the n8n the benchmark runs. Run by test/bench/n8n.ts in a process of its
 * own (as n8n's is); prints `{ "ms": …, "requests": …, "stored": … }`.
 *
 *   node test/bench/n8nHelperFloor.js '{"n8nCore":"…/node_modules/n8n-core","url":"http://127.0.0.1:…","login":"…","password":"…","count":10000,"batchSize":100,"concurrency":4}'
 */
const path = require('path');

async function main() {
	const settings = JSON.parse(process.argv[2]);
	const { httpRequest } = require(path.join(settings.n8nCore, 'dist/execution-engine/node-execution-context/utils/request-helper-functions.js'));
	const run = Date.now().toString(36);
	const batches = [];
	for (let start = 0; start < settings.count; start += settings.batchSize) {
		const customers = [];
		for (let index = start; index < Math.min(settings.count, start + settings.batchSize); index++) {
			const id = `${run}${index}`;
			customers.push({ name: 'Anna', surname: `Floor${id}`, email: `floor${id}@example.com`, phone_number: `+48${String(600000000 + index)}`, birthdate: '1980-05-17', address: { city: 'Gdańsk' } });
		}
		batches.push({ customers });
	}
	const authorization = `Basic ${Buffer.from(`${settings.login}:${settings.password}`).toString('base64')}`;
	let next = 0;
	let stored = 0;
	const worker = async () => {
		while (next < batches.length) {
			const body = batches[next++];
			const response = await httpRequest({
				method: 'POST',
				url: `${settings.url}/thulium/api/batch/customers`,
				body,
				headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json', Authorization: authorization },
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			});
			if (response.statusCode < 300) stored += body.customers.length;
		}
	};
	const started = Date.now();
	await Promise.all(Array.from({ length: settings.concurrency }, worker));
	process.stdout.write(`${JSON.stringify({ ms: Date.now() - started, requests: batches.length, stored })}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
