// Query time of the search index, without a browser: the corpus and query mix of webmail/SearchBenchmark (made-up
// Zipf-like vocabulary of 30 000 words, ~4 KB of text per message; a word, a 3-letter prefix, from:, subject: +
// after:, two words), indexed with the worker's MiniSearch options, then every query timed with MiniSearch's ranked
// search (before) and with matching.js (now), interleaved, in one process. Not a test (node --test skips it):
//
//   node --max-old-space-size=4096 frontend/search/matching.bench.mjs [messages=10000] [rounds=3]
//
// See docs/benchmarks.md (search in the browser).
import MiniSearch from 'minisearch';
import { parseQuery, matchesFilters, normalize, normalizedFields } from './query.js';
import { matchingIds } from './matching.js';

const count = Number(process.argv[2] || 10_000);
const rounds = Number(process.argv[3] || 3);
const VOCABULARY = 30_000;
let seed = 12345;
const random = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x80000000; };
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'su', 'ta', 'ri', 'po', 'da', 'fe', 'gu', 'va', 'zo', 'be', 'chi', 'ra'];
const word = (rank) => { let w = ''; for (let n = rank + 17; n > 0; n = Math.floor(n / 16)) w += SYLLABLES[n % 16]; return w; };
const zipf = () => Math.min(VOCABULARY - 1, Math.floor(Math.pow(VOCABULARY, random())) - 1);

const docs = [];
for (let n = 1; n <= count; n++) {
  let body = '';
  while (body.length < 4000) body += word(zipf()) + (random() < 1 / 12 ? '.\n' : ' ');
  docs.push({ id: 'INBOX\u0000' + n, folder: 'INBOX', uid: n, date: Date.UTC(2026, 10, 25) + n, hasAttachment: false,
    from: `Sender ${n} <sender${n}@example.org>`, to: 'user@example.org', subject: `${word(zipf())} ${word(zipf())} ${word(zipf())}`, body });
}
const KINDS = ['word', '3-letter prefix', 'from:', 'subject: + after:', 'two words'];
const queries = Array.from({ length: 200 }, (_, i) => [
  () => word(zipf()), () => word(zipf()).substring(0, 3), () => 'from:sender' + (1 + Math.floor(random() * (count - 1))),
  () => 'subject:' + word(zipf()) + ' after:2026-01-01', () => word(zipf()) + ' ' + word(zipf())][i % 5]());

const mini = new MiniSearch({ idField: 'id', fields: ['subject', 'from', 'to', 'body'], storeFields: [],
  processTerm: (term) => normalize(term), searchOptions: { prefix: true, combineWith: 'AND', boost: { subject: 2, from: 1.5 } } });
const started = performance.now();
mini.addAll(docs);
console.log(`${count} messages indexed in ${Math.round(performance.now() - started)} ms, ${mini.termCount} terms`);
const meta = new Map(docs.map(({ body, ...m }) => [m.id, m]));
const normalized = new Map([...meta.values()].map((m) => [m, normalizedFields(m)]));

const ways = {
  before: (q) => (q.text ? mini.search(q.text).map((hit) => meta.get(hit.id)) : [...meta.values()]).filter((d) => matchesFilters(d, q)),
  now: (q) => (q.text ? matchingIds(mini, q.text, normalize).map((id) => meta.get(id)) : [...meta.values()])
    .filter((d) => matchesFilters(d, q, normalized.get(d))),
};
function run(way, text) {
  const found = ways[way](parseQuery(text)).sort((a, b) => b.date - a.date);
  return found.slice(0, 200).length + found.length;
}
for (const text of queries) { // same documents both ways, and a warm-up
  const a = new Set(ways.before(parseQuery(text)).map((d) => d.id));
  const b = ways.now(parseQuery(text));
  if (a.size !== b.length || b.some((d) => !a.has(d.id))) throw new Error('different results for ' + text);
}
const percentile = (values, p) => { const s = [...values].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)]; };
for (let round = 1; round <= rounds; round++) {
  for (const way of ['before', 'now']) {
    const times = KINDS.map(() => []);
    queries.forEach((text, i) => { const t = performance.now(); run(way, text); times[i % 5].push(performance.now() - t); });
    const all = times.flat();
    console.log(`round ${round} ${way.padEnd(6)} p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms | p95 by kind: `
      + KINDS.map((k, i) => `${k} ${percentile(times[i], 95).toFixed(1)}`).join(', '));
  }
}
