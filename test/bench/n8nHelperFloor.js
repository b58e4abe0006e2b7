/**
 * The least time any node needs that sends the benchmark's batches through n8n's HTTP helper, as
 * the verified-node rules require (`httpRequestWithAuthentication` ends in n8n-core's
 * `httpRequest`: axios, new agents and so a new connection for every request). No node, no
 * workflow, no records to build or read: `count` customers made up front (six fields, or with
 * `"records": "full"` 23 fields as a full Thulium customer of the benchmark), posted to the
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
			const phone = String(600000000 + index);
			customers.push(
				settings.records === 'full'
					? {
							name: 'Anna',
							surname: `Floor${id}`,
							email: [`floor${id}@example.com`, `office${id}@example.org`],
							phone_number: [`+48${phone}`, `+4822${phone.slice(2)}`],
							type: 'Client',
							group: 'VIP',
							external_id: `crm-${id}`,
							gender: 'female',
							website: `https://example.com/customers/${index}`,
							birthdate: '1980-05-17',
							nip: '5260250995',
							description: 'Called twice about the spring offer; prefers e-mail after 17:00',
							pesel: '80051712345',
							company_name: 'Kowalski i Synowie Sp. z o.o.',
							position: 'Head of purchasing',
							address: { street: 'ul. Długa', building: '12', flat: '4', zip_code: '80-831', city: 'Gdańsk', country: 'PL' },
							invoice_address: { street: 'ul. Krótka', building: '3', zip_code: '00-001', city: 'Warszawa', country: 'PL' },
							mail_drop_address: { street: `skr. poczt. ${index % 500}`, city: 'Gdańsk', country: 'PL' },
							custom_fields: { source: 'crm-export', segment: 'B2B', score: String(index % 100), newsletter: index % 2 ? 'yes' : 'no' },
							vip: index % 10 === 0,
						}
					: { name: 'Anna', surname: `Floor${id}`, email: `floor${id}@example.com`, phone_number: `+48${phone}`, birthdate: '1980-05-17', address: { city: 'Gdańsk' } },
			);
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
