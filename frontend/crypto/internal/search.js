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
 * @module search
 */
import MiniSearch from 'minisearch';
import PostalMime from 'postal-mime';
import * as keyring from './keyring.js';
import * as lock from './lock.js';
import { encrypt, decrypt, decryptMime } from './operations.js';
import { decryptSubject } from './subjects.js';
import { bytesToBase64, base64ToBytes } from './bytes.js';
import * as store from './search-store.js';
import { parseQuery, isEmptyQuery, matchesFilters, normalize, normalizedFields } from '../../search/query.js';
import { matchingIds } from '../../search/matching.js';
import { metadataDoc, withBody, docId, htmlToText } from '../../search/documents.js';
import { conversations as groupConversations } from '../../search/conversations.js';
import { isHiddenSubject } from '../../webmail/subject-lines.js';
import { parseEntity, splitMultipart, bodyText, armoredBlock } from '../../webmail/essaim-mime.js';

const META_BATCH = 200;
const BODY_BATCH = 8;
const MAX_RESULTS = 200;
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
 *          state: {folders: Object<string, {uidValidity: number}>, bodies: string}}}
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

function newMini() {
  return new MiniSearch({
    idField: 'id',
    fields: ['subject', 'from', 'to', 'body'],
    storeFields: [],
    processTerm: (term) => normalize(term),
    searchOptions: { prefix: true, combineWith: 'AND', boost: { subject: 2, from: 1.5 } },
  });
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
    throw new Error('The search index is not open: unlock your key');
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
  const mini = newMini();
  const docs = new Map();
  const batch = [];
  for (const stored of await store.loadDocRecords(account)) {
    const doc = await store.openJson(key, stored);
    doc.recordKey = stored.key;
    if (docs.has(doc.id)) { // a duplicate left by an interrupted write: keep one
      await store.writeDocs(account, [], [stored.key]);
      continue;
    }
    docs.set(doc.id, withoutBody(doc));
    batch.push(doc);
  }
  mini.addAll(batch);
  if (state.bodies === 'running') state.bodies = 'paused'; // resumed by the page after a reload
  if (keyring.currentAccount() !== account || !lock.isUnlocked()) throw new Error('The key was locked meanwhile');
  session = { account, source, key, mini, docs, state };
}

async function fetchJson(s, params) {
  const url = new URL(s.source);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) throw new Error('The mail server answered ' + response.status);
  return response.json();
}

async function fetchRaw(s, folder, uid) {
  const url = new URL(s.source);
  url.searchParams.set('op', 'raw');
  url.searchParams.set('folder', folder);
  url.searchParams.set('uid', String(uid));
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error('The mail server answered ' + response.status);
  return new Uint8Array(await response.arrayBuffer());
}

/** Encrypts and stores documents (full ones, with body), removes records; keeps recordKey in memory. */
async function persist(s, fullDocs, deletedKeys = []) {
  const puts = [];
  for (const doc of fullDocs) {
    const { recordKey, ...plain } = doc;
    const sealed = await store.sealJson(s.key, plain);
    if (recordKey !== undefined) sealed.key = recordKey;
    puts.push(sealed);
  }
  const keys = await store.writeDocs(s.account, puts, deletedKeys);
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
  const folders = await fetchJson(s, { op: 'folders' });
  const seenFolders = new Set(folders.map((f) => f.name));
  const removed = [];
  for (const meta of s.docs.values()) {
    if (!seenFolders.has(meta.folder)) removed.push(meta);
  }
  const wanted = [];
  for (const folder of folders) {
    const listing = await fetchJson(s, { op: 'uids', folder: folder.name });
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
  if (removed.length) await store.writeDocs(s.account, [], removed.map((m) => m.recordKey).filter((k) => k !== undefined));

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
      const rows = await fetchJson(s, { op: 'meta', folder, uids: uids.slice(i, i + META_BATCH).join(',') });
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
  emit('search-progress', { phase: 'metadata', done, total: wanted.length, finished: true });
}

/**
 * Searches the open index. Free words are matched (prefix, accents and case ignored) in subject, sender,
 * recipients and, once indexed, bodies; operators filter (see frontend/search/query.js).
 * @param {string} text
 * @returns {Promise<{results: Object[], total: number, ms: number, problems: string[]}>}
 */
export async function query(text) {
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
  const matching = candidates.filter((doc) => matchesFilters(doc, q, normalizedOf(doc))).sort((a, b) => (b.date || 0) - (a.date || 0));
  const results = matching.slice(0, MAX_RESULTS).map(({ folder, uid, date, from, to, subject, hasAttachment, seen, flagged, messageId }) =>
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
    const pending = [...s.docs.values()].filter((d) => !d.bodyIndexed).sort((a, b) => (b.date || 0) - (a.date || 0));
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
    }
  }
  if (session === s) {
    await saveState(s);
    emit('search-progress', { phase: 'bodies', state: s.state.bodies, ...(await bodyCounts(s)) });
  }
}

/** The document with the decrypted body, or marked as indexed without one when it cannot be read here. */
async function indexedBody(s, meta) {
  try {
    const raw = await fetchRaw(s, meta.folder, meta.uid);
    if (!raw) return { ...meta, body: '', bodyIndexed: true };
    return withBody({ ...meta, body: '' }, await readMessage(raw));
  } catch (e) {
    return { ...meta, body: '', bodyIndexed: true, bodyError: true };
  }
}

/** Decrypts (PGP/MIME or inline) and parses a stored message, as the reader does, without signature checks. */
export async function readMessage(raw) {
  let content = raw;
  const outer = parseEntity(raw);
  if (outer.type === 'multipart/encrypted') {
    const parts = splitMultipart(outer.body, outer.params.boundary);
    const payload = bodyText(parseEntity(parts[1]));
    content = (await decryptMime(armoredBlock(payload, 'MESSAGE') || payload)).data;
  }
  const email = await PostalMime.parse(content);
  if (!email.html && email.text && email.text.includes('-----BEGIN PGP MESSAGE-----')) {
    const { data } = await decryptMime(armoredBlock(email.text, 'MESSAGE'));
    email.text = new TextDecoder().decode(data);
  }
  return email;
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
  const raw = await fetchRaw(s, folder, Number(uid));
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
