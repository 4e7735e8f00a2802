/**
 * The search index's snapshot (SEARCH.md B4): the whole MiniSearch index and the documents' metadata, saved so
 * that a reload loads them instead of decrypting and indexing every stored document again. Pure functions; the
 * worker encrypts what pack() returns before it reaches IndexedDB (search-store.js).
 *
 * A snapshot names the stored record behind each document (its `recordKey`). A record is never rewritten in
 * place: a changed document gets a new record and its old one is deleted (record keys only grow), so after
 * loading a snapshot, what changed since is exactly: the documents whose record is gone, and the records it does
 * not name.
 *
 * @module snapshot
 */

/** The snapshot's own format; a snapshot of another format is ignored (the index is rebuilt from the records). */
export const FORMAT = 1;

/** @param {Object} value @returns {Promise<Uint8Array>} its JSON, gzipped (the index is about a third of that) */
export async function pack(value) {
  const stream = new Blob([JSON.stringify(value)]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** @param {Uint8Array|ArrayBuffer} bytes - from pack() @returns {Promise<Object>} */
export async function unpack(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(stream).text());
}

/**
 * What changed since a snapshot.
 * @param {{id: string, recordKey?: number}[]} docs - the snapshot's documents
 * @param {Iterable<number>} liveKeys - the keys of the account's records now in IndexedDB
 * @returns {{kept: Object[], gone: Object[], unknownKeys: number[]}} documents whose record is still there, those
 *          whose record was replaced or deleted since, and records written since (to decrypt and index)
 */
export function changesSince(docs, liveKeys) {
  const live = new Set(liveKeys);
  const named = new Set();
  const kept = [];
  const gone = [];
  for (const doc of docs) {
    if (doc.recordKey !== undefined && live.has(doc.recordKey)) {
      kept.push(doc);
      named.add(doc.recordKey);
    } else {
      gone.push(doc);
    }
  }
  const unknownKeys = [...live].filter((key) => !named.has(key)).sort((a, b) => a - b);
  return { kept, gone, unknownKeys };
}

/**
 * Whether to write a snapshot now. A snapshot of 10 000 indexed bodies costs the worker a second or more, and
 * replaying a few records at the next opening costs little, so: after many changes (not more often than every
 * 30 s), at the end of a phase (a sync, body indexing) that changed a fair number of documents, and at the end
 * of the first phase when there is no snapshot yet — not after every new message.
 * @param {{changes: number, lastMs: number, nowMs: number, endOfPhase?: boolean, hasSnapshot?: boolean}} facts
 */
export function snapshotDue({ changes, lastMs, nowMs, endOfPhase = false, hasSnapshot = true }) {
  if (changes <= 0) return false;
  if (endOfPhase && (changes >= 50 || !hasSnapshot)) return true;
  return changes >= 500 && nowMs - lastMs >= 30_000;
}
