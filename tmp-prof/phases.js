const fs = require('fs');
const p = JSON.parse(fs.readFileSync(process.argv[2]));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const stackNames = (id) => { const out = []; for (let c = id; c !== undefined; c = parent.get(c)) { const f = byId.get(c).callFrame; out.push(f.functionName + '@' + f.url.split('/').slice(-2).join('/') + '|' + (f.url.includes('customer-batch/dist') ? 'OURS' : '')); } return out; };
let t = p.startTime; const times = p.timeDeltas.map((d) => (t += d));
const has = (i, re) => stackNames(p.samples[i]).some((s) => re.test(s));
const first = p.samples.findIndex((_, i) => has(i, /^runBatchOperation@/));
let last = -1; p.samples.forEach((_, i) => { if (has(i, /OURS/)) last = i; });
const firstHttp = p.samples.findIndex((_, i) => i >= first && has(i, /^httpRequest@|^invokeAxios@/));
let lastDeliver = -1; p.samples.forEach((_, i) => { if (has(i, /^(deliver|settle|record|attempt)@engine/)) lastDeliver = i; });
const firstRoute = p.samples.findIndex((_, i) => has(i, /^routeOutcomes@/)); console.log(first, firstHttp, lastDeliver, firstRoute, last);
const ms = (a, b) => ((times[b] - times[a]) / 1000).toFixed(0);
console.log('window', ms(first, last), 'ms; start→first http', ms(first, firstHttp), '; last deliver→end', ms(lastDeliver, last), '; first routeOutcomes→end', ms(firstRoute, last));
// busy in the up-front phase by function
const busy = new Map();
for (let i = first; i < firstHttp; i++) { const s = stackNames(p.samples[i]); const k = s.find((x) => /OURS/.test(x)) || s[0]; busy.set(k, (busy.get(k) || 0) + (times[i + 1] - times[i])); }
console.log([...busy].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${(v / 1000).toFixed(1)} ${k}`).join('\n'));
