import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery, matchesFilters, normalize, isEmptyQuery, folderMatches } from './query.js';

test('operators and free words are told apart', () => {
  const q = parseQuery('from:Ada to:bob@example.org subject:"Lunch plans" has:attachment in:Archive budget "next week"');
  assert.equal(q.text, 'budget next week');
  assert.deepEqual(q.from, ['ada']);
  assert.deepEqual(q.to, ['bob@example.org']);
  assert.deepEqual(q.subject, ['lunch plans']);
  assert.equal(q.hasAttachment, true);
  assert.equal(q.folder, 'Archive');
  assert.deepEqual(q.problems, []);
});

test('dates: before is exclusive, after inclusive, in local time; bad dates are reported', () => {
  const q = parseQuery('after:2026-01-01 before:2026-02-01 before:yesterday');
  assert.equal(q.after, new Date(2026, 0, 1).getTime());
  assert.equal(q.before, new Date(2026, 1, 1).getTime());
  assert.deepEqual(q.problems, ['before:yesterday']);
});

test('French operators work like the English ones', () => {
  const q = parseQuery('de:ada à:bob objet:réunion a:pj avant:2026-03-01 après:2026-02-01 dans:corbeille café');
  assert.deepEqual([q.from, q.to, q.subject], [['ada'], ['bob'], ['reunion']]);
  assert.equal(q.hasAttachment, true);
  assert.ok(q.before > q.after);
  assert.equal(q.folder, 'corbeille');
  assert.equal(q.text, 'café');
});

test('unknown prefixes stay words (times, URLs)', () => {
  assert.equal(parseQuery('meet at 10:30 https://x.example').text, 'meet at 10:30 https://x.example');
});

test('accents and case do not matter', () => {
  assert.equal(normalize('Élodie CAFÉ'), 'elodie cafe');
});

test('filters select messages', () => {
  const doc = { folder: 'Trash', date: new Date(2026, 0, 15).getTime(), from: 'Ada Lovelace <ada@example.org>',
    to: 'bob@example.org, Chloé <chloe@example.org>', subject: 'Déjeuner de lundi', hasAttachment: false };
  assert.equal(matchesFilters(doc, parseQuery('from:lovelace to:chloe subject:dejeuner in:corbeille')), true);
  assert.equal(matchesFilters(doc, parseQuery('has:attachment')), false);
  assert.equal(matchesFilters(doc, parseQuery('before:2026-01-15')), false);
  assert.equal(matchesFilters(doc, parseQuery('after:2026-01-15 before:2026-01-16')), true);
  assert.equal(matchesFilters(doc, parseQuery('in:inbox')), false);
  assert.equal(matchesFilters(doc, parseQuery('from:bob')), false);
});

test('folder aliases, and an empty query', () => {
  assert.equal(folderMatches('INBOX', 'inbox'), true);
  assert.equal(folderMatches('Sent', 'envoyés'), true);
  assert.equal(folderMatches('Projects/2026', 'projects/2026'), true);
  assert.equal(isEmptyQuery(parseQuery('   ')), true);
  assert.equal(isEmptyQuery(parseQuery('has:attachment')), false);
});
