import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newest, newestFirst } from './results.js';

function corpus(count, seed = 7) {
  let x = seed;
  const random = () => { x = (x * 48271) % 2147483647; return x; };
  // Many equal dates, and UIDs that repeat across two folders, in no particular order.
  return Array.from({ length: count }, (_, i) => ({ id: i, date: random() % 500, uid: random() % 3000, folder: i % 2 ? 'INBOX' : 'Archive' }));
}

function shuffled(docs, seed) {
  let x = seed;
  const random = () => { x = (x * 48271) % 2147483647; return x; };
  const copy = docs.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random() % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

test('the n newest are what a full sort puts first', () => {
  const docs = corpus(5000);
  const sorted = docs.slice().sort(newestFirst);
  for (const n of [1, 50, 100, 4999, 5000, 6000]) {
    assert.deepEqual(newest(docs, n).map((d) => d.id), sorted.slice(0, n).map((d) => d.id), `n = ${n}`);
  }
});

test('the same documents in any order give the same list: the later arrival first for one date', () => {
  // As when some messages of one second came from the snapshot and the others from a later sync.
  const sameSecond = Array.from({ length: 57 }, (_, uid) => ({ id: uid, folder: 'INBOX', uid, date: 1_000 }));
  const expected = sameSecond.map((d) => d.id).reverse();
  for (const seed of [1, 2, 3]) {
    const docs = shuffled(sameSecond, seed);
    assert.deepEqual(newest(docs, 100).map((d) => d.id), expected, `all, order ${seed}`);
    assert.deepEqual(newest(docs, 50).map((d) => d.id), expected.slice(0, 50), `first page, order ${seed}`);
  }
  const docs = corpus(3000);
  const once = newest(docs, 50).map((d) => d.id);
  assert.deepEqual(newest(shuffled(docs, 9), 50).map((d) => d.id), once);
  assert.deepEqual(newest(docs.slice().reverse(), 50).map((d) => d.id), once);
});

test('the date comes first, then the UID, then the folder', () => {
  const docs = [
    { id: 'old-high-uid', folder: 'INBOX', uid: 99, date: 5 },
    { id: 'new', folder: 'INBOX', uid: 1, date: 9 },
    { id: 'archive-7', folder: 'Archive', uid: 7, date: 5 },
    { id: 'inbox-7', folder: 'INBOX', uid: 7, date: 5 },
  ];
  assert.deepEqual(newest(docs, 10).map((d) => d.id), ['new', 'old-high-uid', 'archive-7', 'inbox-7']);
  assert.deepEqual(newest(docs, 3).map((d) => d.id), ['new', 'old-high-uid', 'archive-7']);
});

test('documents without a date come last, and the input is not changed', () => {
  const docs = [{ id: 'a' }, { id: 'b', date: 5 }, { id: 'c', date: 9 }];
  assert.deepEqual(newest(docs, 2).map((d) => d.id), ['c', 'b']);
  assert.deepEqual(newest(docs, 10).map((d) => d.id), ['c', 'b', 'a']);
  assert.deepEqual(docs.map((d) => d.id), ['a', 'b', 'c']);
});
