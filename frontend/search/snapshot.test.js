import { test } from 'node:test';
import assert from 'node:assert/strict';
import MiniSearch from 'minisearch';
import { pack, unpack, changesSince, snapshotDue } from './snapshot.js';

const OPTIONS = { idField: 'id', fields: ['subject', 'body'], storeFields: [] };

test('an index packed and unpacked finds what it found, and packing compresses', async () => {
  const mini = new MiniSearch(OPTIONS);
  const docs = Array.from({ length: 300 }, (_, i) => ({ id: 'INBOX\u0000' + i, subject: 'Subject ' + (i % 7), body: 'word' + i + ' common text again' }));
  mini.addAll(docs);
  mini.discard('INBOX\u00005');
  const json = JSON.stringify({ mini });
  const packed = await pack({ mini, docs: [] });
  assert.ok(packed.length < json.length / 3, `${packed.length} bytes packed for ${json.length} of JSON`);
  const loaded = MiniSearch.loadJS((await unpack(packed)).mini, OPTIONS);
  for (const q of ['word12', 'common', 'subject 3', 'word5']) {
    assert.deepEqual(loaded.search(q).map((h) => h.id).sort(), mini.search(q).map((h) => h.id).sort(), q);
  }
  assert.equal(loaded.search('word5', { prefix: false }).length, 0);
  assert.equal(loaded.has('INBOX\u00006'), true);
});

test('after a snapshot: replaced and deleted records are gone, records written since are to be read', () => {
  const docs = [{ id: 'a', recordKey: 1 }, { id: 'b', recordKey: 2 }, { id: 'c', recordKey: 3 }, { id: 'd' }];
  // b was replaced (record 2 deleted, 7 written), c deleted, e added (8), record 1 untouched.
  const { kept, gone, unknownKeys } = changesSince(docs, [8, 1, 7]);
  assert.deepEqual(kept.map((d) => d.id), ['a']);
  assert.deepEqual(gone.map((d) => d.id), ['b', 'c', 'd']);
  assert.deepEqual(unknownKeys, [7, 8]);
});

test('snapshots are written after many changes, not too often, and at the end of a phase', () => {
  assert.equal(snapshotDue({ changes: 0, lastMs: 0, nowMs: 100_000, endOfPhase: true }), false);
  assert.equal(snapshotDue({ changes: 1, lastMs: 0, nowMs: 100_000, endOfPhase: true }), false, 'not for one new message');
  assert.equal(snapshotDue({ changes: 1, lastMs: 0, nowMs: 100_000, endOfPhase: true, hasSnapshot: false }), true);
  assert.equal(snapshotDue({ changes: 50, lastMs: 90_000, nowMs: 100_000, endOfPhase: true }), true);
  assert.equal(snapshotDue({ changes: 499, lastMs: 0, nowMs: 100_000 }), false);
  assert.equal(snapshotDue({ changes: 500, lastMs: 0, nowMs: 100_000 }), true);
  assert.equal(snapshotDue({ changes: 5000, lastMs: 90_000, nowMs: 100_000 }), false);
});
