import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newest } from './results.js';

function corpus(count, seed = 7) {
  let x = seed;
  const random = () => { x = (x * 48271) % 2147483647; return x; };
  return Array.from({ length: count }, (_, i) => ({ id: i, date: random() % 500 })); // many equal dates
}

test('the n newest are what a full stable sort puts first, same-date order kept', () => {
  const docs = corpus(5000);
  const sorted = docs.slice().sort((a, b) => b.date - a.date);
  for (const n of [1, 50, 100, 4999, 5000, 6000]) {
    assert.deepEqual(newest(docs, n).map((d) => d.id), sorted.slice(0, n).map((d) => d.id), `n = ${n}`);
  }
});

test('documents without a date come last, and the input is not changed', () => {
  const docs = [{ id: 'a' }, { id: 'b', date: 5 }, { id: 'c', date: 9 }];
  assert.deepEqual(newest(docs, 2).map((d) => d.id), ['c', 'b']);
  assert.deepEqual(newest(docs, 10).map((d) => d.id), ['c', 'b', 'a']);
  assert.deepEqual(docs.map((d) => d.id), ['a', 'b', 'c']);
});
