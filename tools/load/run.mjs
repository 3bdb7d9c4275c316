// The load of scripts/load.sh: autocannon against the running app with the tokens load-seed wrote.
//   node run.mjs <base url> <seed.json> <worker pid> reads|writes <connections> <seconds>
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

const [base, seedFile, workerPid, scenario, connections, seconds] = process.argv.slice(2);
const seed = JSON.parse(readFileSync(seedFile, 'utf8'));
const pick = (items) => items[Math.floor(Math.random() * items.length)];
const words = ['subnet', 'routing table', 'firewall rule', 'mask', 'packet', 'gateway', 'DNS cache', 'port 443'];

function rssMiB() {
  const status = readFileSync(`/proc/${workerPid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

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
const latencies = [];
const result = await new Promise((resolve, reject) => {
  const instance = autocannon({
    url: base,
    connections: Number(connections),
    duration: Number(seconds),
    requests: scenario === 'writes' ? Array.from({ length: 10000 }, () => ({ setupRequest: write })) : [{ setupRequest: read }],
  }, (error, done) => (error ? reject(error) : resolve(done)));
  instance.on('response', (client, statusCode, bytes, responseTime) => latencies.push(responseTime));
});
const after = rssMiB();
latencies.sort((a, b) => a - b);
const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
const errors = result.errors + result.timeouts + result.non2xx;
console.log(`${scenario}: ${connections} connections, ${seconds} s: ${result.requests.total} requests, ` +
  `${(result.requests.total / Number(seconds)).toFixed(0)} req/s; latency p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms; ` +
  `errors ${errors} (non-2xx ${result.non2xx}, socket ${result.errors}, timeouts ${result.timeouts}); ` +
  `worker RSS ${before.toFixed(0)} -> ${after.toFixed(0)} MiB`);
if (result.non2xx > 0) console.log('  status codes:', JSON.stringify(result.statusCodeStats));
process.exitCode = errors === 0 ? 0 : 1;
