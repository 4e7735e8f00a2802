/**
 * Search that the server never sees (issue 19, SEARCH.md): an index of the user's mail built here, in the crypto
 * worker, from what only this browser can decrypt, kept in IndexedDB encrypted (search-store.js), searched with
 * MiniSearch (measured in SEARCH.md: fast enough at 10k-50k, supports add/discard/replace). Neither the query nor
 * the index ever leaves the browser: the server is asked only for folder listings and stored messages, as the
 * reader asks for them.
 *
 * Metadata (sender, recipients, decrypted subject, date, folder) is indexed by default; bodies when the user turns
 * it on, newest first, with progress events, pause/resume and a clean stop when the browser's storage is nearly
 * full. sync() brings the index up to date with the server (new mail, moves, deletes, flags); the page calls it
 * on every change it hears of. Locking the key drops the decrypted index from memory.
 *
 * A reload does not index everything again: an encrypted snapshot of the index (frontend/search/snapshot.js) is
 * saved after many changes and at the end of each indexing phase; opening loads it and indexes only the records
 * written after it.
 *
 * @module search
 */
import MiniSearch from 'minisearch';
import * as keyring from './keyring.js';
import * as lock from './lock.js';
import { encrypt, decrypt } from './operations.js';
import { readMessage } from './stored-message.js';
import { decryptSubject } from './subjects.js';
import { bytesToBase64, base64ToBytes } from './bytes.js';
import * as store from './search-store.js';
import { parseQuery, isEmptyQuery, matchesFilters, normalize, normalizedFields } from '../../search/query.js';
import { matchingIds } from '../../search/matching.js';
import { newest, newestFirst } from '../../search/results.js';
import { metadataDoc, withBody, docId, htmlToText } from '../../search/documents.js';
import { conversations as groupConversations } from '../../search/conversations.js';
import * as snapshots from '../../search/snapshot.js';
import { isHiddenSubject } from '../../webmail/subject-lines.js';
import { userError } from './user-error.js';
import { fetchJson, fetchRaw } from './mail-source.js';

const META_BATCH = 200;
const BODY_BATCH = 8;
/** Results handed to the page per query unless it asks for more (the page shows them 50 at a time). */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;
/** Stop indexing bodies when the origin's storage is this full (navigator.storage.estimate()). */
const QUOTA_STOP = 0.9;

let emit = () => {};
/** @param {function(string, Object): void} emitter */
export function setEmitter(emitter) {
  emit = emitter;
}

/**
 * The open index of the account, in worker memory only.
 * @type {?{account: string, source: string, key: CryptoKey, mini: MiniSearch, docs: Map<string, Object>,
 *          state: {folders: Object<string, {uidValidity: number}>, bodies: string},
 *          changes: number, lastSnapshot: number, opened: {fromSnapshot: boolean, replayed: number, ms: number}}}
 */
let session = null;
let opening = null;
let syncing = null;
let syncAgain = false;
let bodyRun = null;

lock.whenLocked(() => {
  session = null;
  opening = null;
});

const MINI_OPTIONS = {
  idField: 'id',
  fields: ['subject', 'from', 'to', 'body'],
  storeFields: [],
  processTerm: (term) => normalize(term),
  searchOptions: { prefix: true, combineWith: 'AND', boost: { subject: 2, from: 1.5 } },
};

function newMini() {
  return new MiniSearch(MINI_OPTIONS);
}

/**
 * The operator fields of each document, normalised once (a document object is replaced, never edited, when its
 * sender, recipients or subject change): `from:` on 10 000 messages no longer normalises 30 000 strings per query.
 */
const normalizedCache = new WeakMap();
function normalizedOf(doc) {
  let fields = normalizedCache.get(doc);
  if (!fields) {
    fields = normalizedFields(doc);
    normalizedCache.set(doc, fields);
  }
  return fields;
}

function requireSession() {
  if (!session || session.account !== keyring.currentAccount()) {
    throw userError('error.searchNotOpen', 'The search index is not open: unlock your key');
  }
  return session;
}

function withoutBody({ body, ...meta }) {
  return meta;
}

/** @returns {Object} public counters of the open index (no content) */
export async function status() {
  if (!session) return { open: false };
  let bodies = 0;
  for (const doc of session.docs.values()) if (doc.bodyIndexed) bodies++;
  return {
    open: true,
    docs: session.docs.size,
    bodiesIndexed: bodies,
    bodies: session.state.bodies,
    syncing: !!syncing,
    opened: session.opened,
  };
}

async function saveState(s) {
  const record = await store.loadIndexRecord(s.account);
  await store.saveIndexRecord({ ...record, state: await store.sealJson(s.key, s.state) });
}

/**
 * Opens (or creates) the account's index: unwraps its key with the unlocked OpenPGP key and loads the stored
 * documents into MiniSearch.
 * @param {{source: string}} options - absolute URL of the page's mail source (folders, lists, stored messages)
 */
export async function open({ source }) {
  const account = keyring.requireAccount();
  await keyring.currentUnlockedKey(); // refuses when locked
  if (session && session.account === account) {
    session.source = source;
    return status();
  }
  if (!opening) {
    opening = openIndex(account, source).finally(() => { opening = null; });
  }
  await opening;
  return status();
}

async function openIndex(account, source) {
  let record = await store.loadIndexRecord(account);
  let key;
  let state;
  if (record) {
    const { data } = await decrypt(record.wrappedKey);
    key = await store.importIndexKey(base64ToBytes(data));
    state = await store.openJson(key, record.state);
  } else {
    const fresh = await store.newIndexKey();
    key = fresh.key;
    state = { folders: {}, bodies: 'off' };
    const wrappedKey = await encrypt({ text: bytesToBase64(fresh.raw), recipientsArmored: [], sign: false, encryptToSelf: true });
    fresh.raw.fill(0);
    record = { account, wrappedKey, state: await store.sealJson(key, state) };
    await store.saveIndexRecord(record);
  }
  const started = performance.now();
  const loaded = (await fromSnapshot(account, key)) || { mini: newMini(), docs: new Map() };
  const { mini, docs } = loaded;
  const liveKeys = await store.docKeys(account);
  const { gone, unknownKeys } = snapshots.changesSince([...docs.values()], liveKeys);
  for (const doc of gone) { // replaced or deleted after the snapshot
    if (mini.has(doc.id)) mini.discard(doc.id);
    docs.delete(doc.id);
  }
  const batch = [];
  const duplicates = [];
  for (let i = 0; i < unknownKeys.length; i += 500) { // written after the snapshot (all of them without one)
    for (const stored of await store.readDocs(unknownKeys.slice(i, i + 500))) {
      const doc = await store.openJson(key, stored);
      doc.recordKey = stored.key;
      const known = docs.get(doc.id);
      if (known && known.recordKey > stored.key) { // two records of one message (writes that crossed): the newer wins
        duplicates.push(stored.key);
        continue;
      }
      if (known) {
        duplicates.push(known.recordKey);
        const queued = batch.findIndex((d) => d.id === doc.id);
        if (queued >= 0) batch.splice(queued, 1); else if (mini.has(doc.id)) mini.discard(doc.id);
      }
      docs.set(doc.id, withoutBody(doc));
      batch.push(doc);
    }
  }
  mini.addAll(batch);
  if (duplicates.length) await store.writeDocs(account, [], duplicates);
  if (state.bodies === 'running') state.bodies = 'paused'; // resumed by the page after a reload
  if (keyring.currentAccount() !== account || !lock.isUnlocked()) throw userError('error.lockedMeanwhile', 'The key was locked meanwhile');
  session = { account, source, key, mini, docs, state, changes: batch.length + gone.length, lastSnapshot: 0,
    hasSnapshot: !!loaded.fromSnapshot,
    opened: { fromSnapshot: !!loaded.fromSnapshot, replayed: batch.length, ms: Math.round(performance.now() - started) } };
}

/** The index and documents of the account's snapshot, or null (none, another format, or unreadable). */
async function fromSnapshot(account, key) {
  const sealed = await store.loadSnapshot(account);
  if (!sealed || sealed.format !== snapshots.FORMAT) return null;
  try {
    const value = await snapshots.unpack(await store.openBytes(key, sealed));
    const mini = MiniSearch.loadJS(value.mini, MINI_OPTIONS);
    return { mini, docs: new Map(value.docs.map((doc) => [doc.id, doc])), fromSnapshot: true };
  } catch (e) {
    await store.dropSnapshot(account); // rebuilt from the records, and saved again after
    return null;
  }
}

let snapshotting = null;

/**
 * Saves a snapshot of the open index when snapshot.js says it is due. The index and the documents are taken at
 * one instant (synchronously); what is written to IndexedDB after that instant is replayed at the next opening.
 */
async function maybeSnapshot(s, endOfPhase = false) {
  if (snapshotting) await snapshotting;
  if (session !== s || !snapshots.snapshotDue({ changes: s.changes, lastMs: s.lastSnapshot, nowMs: Date.now(), endOfPhase,
    hasSnapshot: s.hasSnapshot })) return;
  snapshotting = (async () => {
    const changes = s.changes;
    const value = { mini: s.mini.toJSON(), docs: [...s.docs.values()] };
    try {
      const sealed = await store.sealBytes(s.key, await snapshots.pack(value));
      if (session !== s) return;
      await store.saveSnapshot(s.account, snapshots.FORMAT, sealed);
      s.changes -= changes;
      s.lastSnapshot = Date.now();
      s.hasSnapshot = true;
    } catch (e) {
      // No room for it (QuotaExceededError): the next opening indexes the records instead, as without snapshots.
    }
  })().finally(() => { snapshotting = null; });
  await snapshotting;
}

/**
 * Encrypts and stores documents (full ones, with body) and removes records. A changed document is written as a
 * new record and its previous record deleted, never rewritten in place: that is how a snapshot tells what
 * changed after it. The new record's key is kept in memory.
 */
async function persist(s, fullDocs, deletedKeys = []) {
  const puts = [];
  for (const doc of fullDocs) {
    const { recordKey, ...plain } = doc;
    puts.push(await store.sealJson(s.key, plain));
  }
  const deletes = [...deletedKeys];
  for (const doc of fullDocs) { // taken after the awaits above: the record the document has now
    const current = s.docs.get(doc.id);
    const previous = current && current.recordKey !== undefined ? current.recordKey : doc.recordKey;
    if (previous !== undefined) deletes.push(previous);
  }
  const keys = await store.writeDocs(s.account, puts, deletes);
  s.changes += puts.length + deletes.length;
  fullDocs.forEach((doc, i) => {
    const meta = s.docs.get(doc.id);
    if (meta) meta.recordKey = keys[i];
  });
}

async function storedFullDoc(s, meta) {
  if (meta.recordKey === undefined) return { ...meta, body: '' };
  const record = await store.readDoc(meta.recordKey);
  return record ? { ...(await store.openJson(s.key, record)), recordKey: meta.recordKey } : { ...meta, body: '' };
}

async function readableSubject(row) {
  if (row.encryptedSubject) {
    try {
      return await decryptSubject(row.encryptedSubject);
    } catch (e) {
      return null; // not encrypted to a key of ours: the body, if indexed, may tell
    }
  }
  return isHiddenSubject(row.subject) ? null : row.subject;
}

/**
 * Brings the index up to date with the server: new messages are added (metadata), vanished ones removed, moved
 * ones keep their indexed body (matched by Message-ID), flags follow. Runs once at a time; a call during a run
 * makes it run once more.
 * @returns {Promise<Object>} status()
 */
export async function sync() {
  const s = requireSession();
  if (syncing) {
    syncAgain = true;
    await syncing;
    return status();
  }
  syncing = (async () => {
    do {
      syncAgain = false;
      await syncOnce(s);
    } while (syncAgain && session === s);
  })().finally(() => { syncing = null; });
  await syncing;
  // Text indexing that had finished goes on for the mail that just arrived.
  if (s.state.bodies === 'done' && [...s.docs.values()].some((d) => !d.bodyIndexed)) s.state.bodies = 'running';
  if (s.state.bodies === 'running') startBodies(s);
  return status();
}

async function syncOnce(s) {
  const folders = await fetchJson(s.source, { op: 'folders' });
  const seenFolders = new Set(folders.map((f) => f.name));
  const removed = [];
  for (const meta of s.docs.values()) {
    if (!seenFolders.has(meta.folder)) removed.push(meta);
  }
  const wanted = [];
  for (const folder of folders) {
    const listing = await fetchJson(s.source, { op: 'uids', folder: folder.name });
    const known = s.state.folders[folder.name];
    const reset = known && known.uidValidity !== listing.uidValidity;
    s.state.folders[folder.name] = { uidValidity: listing.uidValidity };
    const present = new Map(listing.messages.map(([uid, seen, flagged]) => [uid, { seen: !!seen, flagged: !!flagged }]));
    const changedFlags = [];
    for (const meta of s.docs.values()) {
      if (meta.folder !== folder.name) continue;
      const flags = present.get(meta.uid);
      if (reset || !flags) {
        removed.push(meta);
      } else if (flags.seen !== meta.seen || flags.flagged !== meta.flagged) {
        meta.seen = flags.seen;
        meta.flagged = flags.flagged;
        changedFlags.push(meta);
      }
    }
    if (changedFlags.length) {
      const full = [];
      for (const meta of changedFlags) full.push({ ...(await storedFullDoc(s, meta)), seen: meta.seen, flagged: meta.flagged });
      await persist(s, full);
    }
    for (const [uid] of present) {
      if (reset || !s.docs.has(docId(folder.name, uid))) wanted.push({ folder: folder.name, uid });
    }
  }
  // Bodies of moved messages come along (matched by Message-ID) instead of being decrypted again.
  const movedBodies = new Map();
  for (const meta of removed) {
    if (meta.bodyIndexed && meta.messageId) movedBodies.set(meta.messageId, meta);
  }
  const carried = new Map();
  for (const meta of movedBodies.values()) carried.set(meta.messageId, await storedFullDoc(s, meta));
  for (const meta of removed) {
    if (s.mini.has(meta.id)) s.mini.discard(meta.id);
    s.docs.delete(meta.id);
  }
  if (removed.length) {
    await store.writeDocs(s.account, [], removed.map((m) => m.recordKey).filter((k) => k !== undefined));
    s.changes += removed.length;
  }

  wanted.sort((a, b) => b.uid - a.uid); // newest first within each folder
  let done = 0;
  const byFolder = new Map();
  for (const w of wanted) {
    if (!byFolder.has(w.folder)) byFolder.set(w.folder, []);
    byFolder.get(w.folder).push(w.uid);
  }
  for (const [folder, uids] of byFolder) {
    for (let i = 0; i < uids.length; i += META_BATCH) {
      if (session !== s) return;
      const rows = await fetchJson(s.source, { op: 'meta', folder, uids: uids.slice(i, i + META_BATCH).join(',') });
      const added = [];
      for (const row of rows) {
        let doc = metadataDoc(folder, row, await readableSubject(row));
        const before = row.messageId && carried.get(row.messageId);
        if (before) {
          doc = { ...before, ...withoutBody(doc), subject: before.subject || doc.subject, body: before.body,
            bodyIndexed: true, hasAttachment: before.hasAttachment, recordKey: undefined };
        }
        if (s.docs.has(doc.id)) s.mini.discard(doc.id);
        s.docs.set(doc.id, withoutBody(doc));
        s.mini.add(doc);
        added.push(doc);
      }
      await persist(s, added);
      done += rows.length;
      emit('search-progress', { phase: 'metadata', done, total: wanted.length });
    }
  }
  await saveState(s);
  await maybeSnapshot(s, true);
  emit('search-progress', { phase: 'metadata', done, total: wanted.length, finished: true });
}

/**
 * Searches the open index. Free words are matched (prefix, accents and case ignored) in subject, sender,
 * recipients and, once indexed, bodies; operators filter (see frontend/search/query.js).
 * Only the newest `limit` results cross to the page (a structured clone per row, and rows the page would not
 * show): the page asks again with a larger limit when the user wants more.
 * @param {string} text
 * @param {{limit?: number}} [options]
 * @returns {Promise<{results: Object[], total: number, ms: number, problems: string[]}>}
 */
export async function query(text, { limit = DEFAULT_LIMIT } = {}) {
  const s = requireSession();
  const started = performance.now();
  const q = parseQuery(text);
  if (isEmptyQuery(q)) return { results: [], total: 0, ms: 0, problems: q.problems };
  let candidates;
  if (q.text) {
    // Results are listed newest first, so the index only says which documents hold the words (no ranking).
    candidates = matchingIds(s.mini, q.text, normalize).map((id) => s.docs.get(id)).filter(Boolean);
  } else {
    candidates = [...s.docs.values()];
  }
  const matching = candidates.filter((doc) => matchesFilters(doc, q, normalizedOf(doc)));
  const wanted = Math.max(1, Math.min(MAX_LIMIT, Number(limit) || DEFAULT_LIMIT));
  const results = newest(matching, wanted).map(({ folder, uid, date, from, to, subject, hasAttachment, seen, flagged, messageId }) =>
    ({ folder, uid, date, from, to, subject, hasAttachment, seen, flagged, messageId }));
  return { results, total: matching.length, ms: performance.now() - started, problems: q.problems };
}

// ---- bodies (opt-in) ---------------------------------------------------------------------------------------------

/**
 * Turns body indexing on ("running": newest first, in the background), pauses it, or turns it off (bodies already
 * indexed stay searchable until clear()).
 * @param {"running"|"paused"|"off"} mode
 */
export async function setBodies(mode) {
  const s = requireSession();
  if (!['running', 'paused', 'off'].includes(mode)) throw new Error('Unknown mode ' + mode);
  s.state.bodies = mode;
  await saveState(s);
  if (mode === 'running') startBodies(s);
  emit('search-progress', { phase: 'bodies', state: mode, ...(await bodyCounts(s)) });
  return status();
}

async function bodyCounts(s) {
  let done = 0;
  for (const doc of s.docs.values()) if (doc.bodyIndexed) done++;
  return { done, total: s.docs.size };
}

function startBodies(s) {
  if (!bodyRun) bodyRun = indexBodies(s).finally(() => { bodyRun = null; });
}

async function nearQuota() {
  if (!(navigator.storage && navigator.storage.estimate)) return false;
  const { usage, quota } = await navigator.storage.estimate();
  return quota > 0 && usage / quota > QUOTA_STOP;
}

async function indexBodies(s) {
  let done = [...s.docs.values()].filter((d) => d.bodyIndexed).length;
  while (session === s && s.state.bodies === 'running') {
    // Newest first; taken again after each round, for mail that arrived meanwhile.
    const pending = [...s.docs.values()].filter((d) => !d.bodyIndexed).sort(newestFirst);
    if (pending.length === 0) {
      s.state.bodies = 'done';
      break;
    }
    for (let from = 0; from < pending.length && session === s && s.state.bodies === 'running'; from += BODY_BATCH) {
      if (from % (BODY_BATCH * 25) === 0 && await nearQuota()) {
        s.state.bodies = 'quota';
        break;
      }
      const batch = pending.slice(from, from + BODY_BATCH).filter((meta) => s.docs.has(meta.id));
      // A few fetches and decryptions at once: the server answers one while the worker decrypts another.
      const bodies = await Promise.all(batch.map((meta) => indexedBody(s, meta)));
      if (session !== s || s.state.bodies !== 'running') break;
      const updated = [];
      batch.forEach((meta, i) => {
        const current = s.docs.get(meta.id);
        if (!current) return; // deleted meanwhile
        const full = { ...bodies[i], seen: current.seen, flagged: current.flagged, recordKey: current.recordKey };
        if (s.mini.has(meta.id)) s.mini.discard(meta.id);
        s.mini.add(full);
        s.docs.set(meta.id, withoutBody(full));
        updated.push(full);
      });
      try {
        await persist(s, updated);
      } catch (e) {
        if (e && e.name === 'QuotaExceededError') { s.state.bodies = 'quota'; break; }
        throw e;
      }
      done += updated.length;
      emit('search-progress', { phase: 'bodies', state: s.state.bodies, done, total: s.docs.size });
      await maybeSnapshot(s);
    }
  }
  if (session === s) {
    await saveState(s);
    await maybeSnapshot(s, true);
    emit('search-progress', { phase: 'bodies', state: s.state.bodies, ...(await bodyCounts(s)) });
  }
}

/** The document with the decrypted body, or marked as indexed without one when it cannot be read here. */
async function indexedBody(s, meta) {
  try {
    const raw = await fetchRaw(s.source, meta.folder, meta.uid);
    if (!raw) return { ...meta, body: '', bodyIndexed: true };
    return withBody({ ...meta, body: '' }, await readMessage(raw));
  } catch (e) {
    return { ...meta, body: '', bodyIndexed: true, bodyError: true };
  }
}

/** Forgets the account's index in this browser (memory and IndexedDB). */
export async function clear() {
  const account = keyring.requireAccount();
  if (session && session.account === account) session = null;
  await store.wipe(account);
  return { open: false };
}

// ---- conversations -----------------------------------------------------------------------------------------------

function summary(doc) {
  const { folder, uid, date, from, subject, seen, flagged, hasAttachment } = doc;
  return { folder, uid, date, from, subject, seen, flagged, hasAttachment };
}

/**
 * The conversations that have a message in a folder (threads span folders: an answer in Sent belongs to the
 * conversation of the message in the inbox), newest first.
 * @param {string} folder
 * @returns {Promise<{key: string, subject: string, latest: number, unread: number, count: number,
 *          participants: string[], messages: Object[]}[]>}
 */
export async function conversations(folder) {
  const s = requireSession();
  return groupConversations([...s.docs.values()])
    .filter((c) => c.messages.some((m) => m.folder === folder))
    .map((c) => ({
      key: c.key,
      subject: c.subject,
      latest: c.latest,
      unread: c.unread,
      count: c.messages.length,
      participants: [...new Set(c.messages.map((m) => (m.from || '').replace(/\s*<.*>$/, '')))],
      messages: c.messages.map(summary),
    }));
}

/**
 * One message of a conversation for the reader, which shows the whole conversation: fetched as stored, decrypted
 * and parsed here like an indexed body (no signature check: the reader checks it when the message is opened).
 * @returns {Promise<?{folder: string, uid: number, text: string}>} null when the message no longer exists
 */
export async function messageText(folder, uid) {
  const s = requireSession();
  const raw = await fetchRaw(s.source, folder, Number(uid));
  if (!raw) return null;
  const email = await readMessage(raw);
  return { folder, uid: Number(uid), text: String(email.text || htmlToText(email.html) || '') };
}

/** The messages of the conversation holding folder/uid, oldest first (just that message when it has no thread). */
export async function conversationOf(folder, uid) {
  const s = requireSession();
  const id = docId(folder, Number(uid));
  const found = groupConversations([...s.docs.values()]).find((c) => c.messages.some((m) => m.id === id));
  return found ? found.messages.map(summary) : [];
}
