import { test } from 'node:test';
import assert from 'node:assert/strict';
import { format, humanSize, dateTime } from './format.js';

test('placeholders are filled; a missing one stays visible', () => {
  assert.equal(format('{0} of {1}', [3, 10]), '3 of 10');
  assert.equal(format("l''index {0}", ['x']), "l'index x");
  assert.equal(format('{0} and {2}', ['a']), 'a and {2}');
});

test('sizes in the language: units and decimal separator', () => {
  assert.equal(humanSize(512, 'en'), '512\u00a0B');
  assert.equal(humanSize(4300, 'en'), '4.2\u00a0KB');
  assert.equal(humanSize(4300, 'fr'), '4,2\u00a0Ko');
  assert.equal(humanSize(3 * 1024 * 1024, 'fr-FR'), '3,0\u00a0Mo');
  assert.equal(humanSize(-1), '');
});

test('dates in the language', () => {
  const date = new Date(Date.UTC(2026, 10, 25, 10, 0));
  assert.match(dateTime(date, 'fr'), /25 nov\. 2026/);
  assert.match(dateTime(date, 'en'), /Nov 25, 2026/);
  assert.equal(dateTime('not a date'), '');
});
