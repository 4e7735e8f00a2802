import { test } from 'node:test';
import assert from 'node:assert/strict';
import MiniSearch from 'minisearch';
import { matchingIds, canMatchDirectly } from './matching.js';
import { normalize } from './query.js';

/** The worker's index options (frontend/crypto/internal/search.js). */
function newIndex() {
  return new MiniSearch({
    idField: 'id',
    fields: ['subject', 'from', 'to', 'body'],
    storeFields: [],
    processTerm: (term) => normalize(term),
    searchOptions: { prefix: true, combineWith: 'AND', boost: { subject: 2, from: 1.5 } },
  });
}

const WORDS = ['kalo', 'kalomi', 'kaloneta', 'mine', 'minesu', 'suta', 'tari', 'café', 'Réunion', 'budget', 'budgets', 'po'];

function corpus(count) {
  let seed = 7;
  const random = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x80000000; };
  const pick = () => WORDS[Math.floor(random() * WORDS.length)];
  const docs = [];
  for (let n = 1; n <= count; n++) {
    docs.push({ id: 'INBOX\u0000' + n, subject: pick() + ' ' + pick(), from: `Sender ${n} <s${n}@example.org>`,
      to: 'ada@example.org', body: Array.from({ length: 1 + Math.floor(random() * 6) }, pick).join(' ') });
  }
  return docs;
}

const QUERIES = ['kal', 'kalo', 'kalomi', 'cafe', 'CAFÉ', 'reunion budget', 'mine suta', 'po', 'budgets kalo tari',
  'nothinglikethis', 'kalo nothinglikethis', 's12', 'sender 7', 'example', 'kalo kalo'];

function sameSet(actual, expected, query) {
  assert.deepEqual([...actual].sort(), [...expected].sort(), query);
}

test('finds the same documents as MiniSearch\'s own prefix AND search, after removals and replacements', () => {
  const mini = newIndex();
  const docs = corpus(300);
  mini.addAll(docs);
  for (let n = 1; n <= 300; n += 7) mini.discard('INBOX\u0000' + n); // deleted mail, left in the tree until vacuum
  for (let n = 3; n <= 300; n += 11) { // flags or bodies changed: the document is replaced
    const id = 'INBOX\u0000' + n;
    if (!mini.has(id)) continue;
    mini.discard(id);
    mini.add({ ...docs[n - 1], body: docs[n - 1].body + ' tari budget' });
  }
  assert.ok(canMatchDirectly(mini), 'MiniSearch still exposes its term tree and short ids (else the slow path runs)');
  for (const query of QUERIES) {
    const expected = mini.search(query, { prefix: true, combineWith: 'AND' }).map((hit) => hit.id);
    sameSet(matchingIds(mini, query, normalize), expected, query);
  }
});

test('a query without words matches nothing, and an index without the expected fields falls back to search()', () => {
  const mini = newIndex();
  mini.addAll(corpus(50));
  assert.deepEqual(matchingIds(mini, '  ', normalize), []);
  const opaque = { search: (text, options) => mini.search(text, options) }; // e.g. a future MiniSearch
  assert.equal(canMatchDirectly(opaque), false);
  sameSet(matchingIds(opaque, 'kalo budget', normalize), mini.search('kalo budget').map((hit) => hit.id), 'fallback');
});
