// The load of scripts/load.sh: autocannon against the running app with the tokens load-seed wrote.
//   node run.mjs <base url> <seed.json> <worker pid> reads|writes <connections> <seconds> [requests/s]
// Without a rate each connection sends its next request as soon as the last is answered (a closed loop: the
// latency is then connections / throughput); with one, the generator paces all connections to that total.
// LOAD_PG_CONNECTIONS, when set, is a shell command printing the database's connections in use; it is sampled
// every second. Prints one summary line, then per endpoint, then the CPU each side took.
import autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const [base, seedFile, workerPid, scenario, connections, seconds, rate] = process.argv.slice(2);
const seed = JSON.parse(readFileSync(seedFile, 'utf8'));
const pick = (items) => items[Math.floor(Math.random() * items.length)];
const words = ['subnet', 'routing table', 'firewall rule', 'mask', 'packet', 'gateway', 'DNS cache', 'port 443'];

function rssMiB() {
  const status = readFileSync(`/proc/${workerPid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

// CPU seconds (user + system) a process has used, from /proc/<pid>/stat (clock ticks of 10 ms).
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// CPU seconds the whole machine has been busy (all cores), from /proc/stat: what is not the three processes below is
// PostgreSQL (and PgBouncer, Azurite, the rest).
function machineBusySeconds() {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

// The endpoint a request went to, from the first line of what autocannon sent.
const endpoints = [
  ['catalog', /^\/api\/courses\?/], ['outline', /^\/api\/courses\/[^/]+\/topics$/], ['search', /\/search\?/],
  ['course', /^\/api\/courses\/[^/?]+$/], ['lesson', /^\/api\/topics\/[^/]+\/content$/],
  ['progress', /\/progress$/], ['cart line', /^\/api\/cart\/lines$/], ['quiz attempt', /\/quiz\/attempts$/],
];
function endpointOf(client) {
  const line = client.requestIterator.currentRequest.requestBuffer.toString('latin1', 0, 200).split('\r\n')[0];
  const path = line.split(' ')[1] ?? '';
  return endpoints.find(([, pattern]) => pattern.test(path))?.[0] ?? 'other';
}

const pgSamples = [];
const pgSampler = process.env.LOAD_PG_CONNECTIONS && setInterval(() => execFile('bash', ['-c', process.env.LOAD_PG_CONNECTIONS],
  (error, stdout) => { if (!error && stdout.trim()) pgSamples.push(Number(stdout.trim())); }), 1000);

// Mixed reads: catalog, course detail, outline, lesson content, search, as learners of their own courses.
function read(request) {
  const learner = pick(seed.learners);
  const course = pick(learner.courses);
  const auth = { authorization: `Bearer ${learner.token}` };
  const r = Math.random();
  if (r < 0.15) return { ...request, method: 'GET', path: '/api/courses?page=1&pageSize=20', headers: {} };
  if (r < 0.30) return { ...request, method: 'GET', path: `/api/courses/${course}`, headers: auth };
  if (r < 0.50) return { ...request, method: 'GET', path: `/api/courses/${course}/topics`, headers: auth };
  if (r < 0.85) return { ...request, method: 'GET', path: `/api/topics/${pick(seed.topics[course])}/content`, headers: auth };
  return { ...request, method: 'GET', path: `/api/courses/${course}/search?q=${encodeURIComponent(pick(words))}&k=5`, headers: auth };
}

// Learners writing: topic progress, cart lines (a course they are not in), quiz attempts of module 1. Each
// connection is one learner (200 connections, 200 learners), who sends one request after the other as a person does:
// autocannon keeps a connection's context for one pass over its request list, so the list is long.
let nextLearner = 0;
function write(request, context) {
  context.learner ??= seed.learners[nextLearner++ % seed.learners.length];
  const learner = context.learner;
  const course = pick(learner.courses);
  const headers = { authorization: `Bearer ${learner.token}`, 'content-type': 'application/json' };
  const r = Math.random();
  if (r < 0.5) {
    return { ...request, method: 'PUT', path: `/api/topics/${pick(seed.topics[course])}/progress`, headers,
      body: JSON.stringify({ status: 'in_progress', progress: Math.round(Math.random() * 90) / 100 }) };
  }
  if (r < 0.8) {
    const other = pick(seed.courses.filter((c) => !learner.courses.includes(c)));
    return { ...request, method: 'POST', path: '/api/cart/lines', headers, body: JSON.stringify({ course: other }) };
  }
  return { ...request, method: 'POST', path: `/api/courses/${course}/quiz/attempts`, headers,
    body: JSON.stringify({ moduleNo: 1, topicPairIndex: 1 }) };
}

const before = rssMiB();
const workerCpuBefore = cpuSeconds(workerPid);
const hostPid = Number(readFileSync(`/proc/${workerPid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
const hostCpuBefore = cpuSeconds(hostPid);
const generatorCpuBefore = process.cpuUsage();
const machineBefore = machineBusySeconds();
const latencies = [];
const steady = []; // sent after the first 3 s: every connection open, its first requests (a burst) served
const byEndpoint = new Map();
const started = Date.now();
const result = await new Promise((resolve, reject) => {
  const instance = autocannon({
    url: base,
    connections: Number(connections),
    duration: Number(seconds),
    ...(rate ? { overallRate: Number(rate) } : {}),
    requests: scenario === 'writes' ? Array.from({ length: 10000 }, () => ({ setupRequest: write })) : [{ setupRequest: read }],
  }, (error, done) => (error ? reject(error) : resolve(done)));
  instance.on('response', (client, statusCode, bytes, responseTime) => {
    latencies.push(responseTime);
    if (Date.now() - responseTime - started > 3000) steady.push(responseTime);
    const name = endpointOf(client);
    if (!byEndpoint.has(name)) byEndpoint.set(name, { times: [], errors: 0 });
    const endpoint = byEndpoint.get(name);
    endpoint.times.push(responseTime);
    if (statusCode >= 400) endpoint.errors++;
  });
});
if (pgSampler) clearInterval(pgSampler);
const after = rssMiB();
const workerCpu = cpuSeconds(workerPid) - workerCpuBefore;
const hostCpu = cpuSeconds(hostPid) - hostCpuBefore;
const generator = process.cpuUsage(generatorCpuBefore);
const generatorCpu = (generator.user + generator.system) / 1e6;
const machineCpu = machineBusySeconds() - machineBefore;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
latencies.sort((a, b) => a - b);
const at = (p) => percentile(latencies, p);
const errors = result.errors + result.timeouts + result.non2xx;
console.log(`${scenario}: ${connections} connections${rate ? ` paced to ${rate} requests/s` : ''}, ${seconds} s: ${result.requests.total} requests, ` +
  `${(result.requests.total / Number(seconds)).toFixed(0)} req/s; latency p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms; ` +
  `errors ${errors} (non-2xx ${result.non2xx}, socket ${result.errors}, timeouts ${result.timeouts}); ` +
  `worker RSS ${before.toFixed(0)} -> ${after.toFixed(0)} MiB`);
for (const [name, { times, errors: failed }] of [...byEndpoint].sort(([a], [b]) => a.localeCompare(b))) {
  times.sort((a, b) => a - b);
  console.log(`  ${name.padEnd(13)} ${String(times.length).padStart(6)} requests, ${(times.length / Number(seconds)).toFixed(0).padStart(4)} req/s; ` +
    `p50 ${percentile(times, 0.5)} ms, p95 ${percentile(times, 0.95)} ms, p99 ${percentile(times, 0.99)} ms; errors ${failed}`);
}
const wall = Number(seconds);
const share = (cpu) => `${cpu.toFixed(1)} s (${(100 * cpu / wall).toFixed(0)}% of a core)`;
console.log(`  CPU over the ${wall} s (${availableParallelism()} cores): worker ${share(workerCpu)}, host ${share(hostCpu)}, generator ${share(generatorCpu)}, ` +
  `PostgreSQL and the rest ${share(Math.max(0, machineCpu - workerCpu - hostCpu - generatorCpu))}` +
  (pgSamples.length ? `; PostgreSQL connections in use: mean ${(pgSamples.reduce((a, b) => a + b, 0) / pgSamples.length).toFixed(0)}, max ${Math.max(...pgSamples)}` : ''));
steady.sort((a, b) => a - b);
if (steady.length) console.log(`  sent after the first 3 s (the connections' opening burst left out): p50 ${percentile(steady, 0.5)} ms, p95 ${percentile(steady, 0.95)} ms, p99 ${percentile(steady, 0.99)} ms`);
if (result.non2xx > 0) console.log('  status codes:', JSON.stringify(result.statusCodeStats));
process.exitCode = errors === 0 ? 0 : 1;
