// Summarises a dotnet-counters CSV of one load run (scripts/load.sh): the worker's thread pool, lock contention,
// GC pauses, and the query-embedding cache's hits and misses (the CoursePlatform.AI meter).
//   node counters.mjs <counters.csv>
import { readFileSync } from 'node:fs';

const rows = readFileSync(process.argv[2], 'utf8').trim().split('\n').slice(1)
  .map((line) => line.split(','))
  .filter((cells) => cells.length >= 5);
const series = new Map();
for (const cells of rows) {
  // A counter's name may hold commas (its tags); the provider comes first, the type and the value last.
  const [provider, name, type, value] = [cells[1], cells.slice(2, -2).join(','), cells.at(-2), Number(cells.at(-1))];
  const key = `${provider}: ${name}`;
  if (!series.has(key)) series.set(key, { type, values: [] });
  series.get(key).values.push(value);
}
const pick = (pattern) => [...series].filter(([key]) => pattern.test(key));
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const sum = (values) => values.reduce((a, b) => a + b, 0);

const parts = [];
for (const [key, { type, values }] of pick(/thread.?pool.*(queue|thread.count)|monitor.*lock|lock.contention|gc.*pause|time.paused/i)) {
  const total = /rate|counter|increment|sum/i.test(type);
  parts.push(total ? `${key.split(': ')[1]} total ${sum(values).toFixed(1)}` : `${key.split(': ')[1]} mean ${mean(values).toFixed(1)}, max ${Math.max(...values)}`);
}
const hits = sum(pick(/query_embeddings\.hits/).flatMap(([, s]) => s.values));
const misses = sum(pick(/query_embeddings\.misses/).flatMap(([, s]) => s.values));
parts.push(hits + misses > 0
  ? `query-embedding cache ${hits} hits, ${misses} misses (hit rate ${(100 * hits / (hits + misses)).toFixed(1)}%)`
  : 'query-embedding cache: no queries');
console.log(`  worker counters (dotnet-counters): ${parts.join('; ')}`);
