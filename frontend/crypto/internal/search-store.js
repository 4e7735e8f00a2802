/**
 * The search index's storage in IndexedDB (`essaim-search`), encrypted: every document (a message's metadata and,
 * when indexed, its body text) is an AES-256-GCM ciphertext with its own random IV, under a key that exists in
 * clear only in the worker's memory. IndexedDB holds that key wrapped: an OpenPGP message to the account's own
 * key, so only an unlocked key opens the index (Proton's design, SEARCH.md). Record keys are plain counters:
 * folder names and UIDs are inside the ciphertext too.
 *
 * @module search-store
 */
import { openDB } from 'idb';

const DB_NAME = 'essaim-search';
const IV_BYTES = 12;
let dbPromise = null;

function db() {
  if (!dbPromise) {
    dbPromise = openDB(DB_NAME, 2, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          database.createObjectStore('indexes', { keyPath: 'account' });
          const docs = database.createObjectStore('docs', { keyPath: 'key', autoIncrement: true });
          docs.createIndex('account', 'account');
        }
        if (oldVersion < 2) database.createObjectStore('snapshots', { keyPath: 'account' });
      },
      blocking() { // another tab's newer version waits for this connection: let it go, reopen on next use
        dbPromise.then((database) => database.close());
        dbPromise = null;
      },
    });
  }
  return dbPromise;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A new random AES-256-GCM key and its raw bytes (to be wrapped to the OpenPGP key, then forgotten). */
export async function newIndexKey() {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  return { raw, key: await importIndexKey(raw) };
}

/** @param {Uint8Array} raw @returns {Promise<CryptoKey>} non-extractable */
export function importIndexKey(raw) {
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

export async function sealJson(key, value) {
  return sealBytes(key, encoder.encode(JSON.stringify(value)));
}

export async function openJson(key, sealed) {
  return JSON.parse(decoder.decode(await openBytes(key, sealed)));
}

/** @param {CryptoKey} key @param {Uint8Array} bytes @returns {Promise<{iv: Uint8Array, data: ArrayBuffer}>} */
export async function sealBytes(key, bytes) {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  return { iv, data: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes) };
}

/** @returns {Promise<Uint8Array>} */
export async function openBytes(key, { iv, data }) {
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, data));
}

/** The account's index record: {account, wrappedKey, state: {iv, data}} or null. */
export async function loadIndexRecord(account) {
  return (await (await db()).get('indexes', account)) || null;
}

export async function saveIndexRecord(record) {
  await (await db()).put('indexes', record);
}

/** Every stored (encrypted) document of the account: [{key, iv, data}]. */
export async function loadDocRecords(account) {
  return (await db()).getAllFromIndex('docs', 'account', account);
}

/**
 * Writes and deletes document records in one transaction.
 * @param {string} account
 * @param {{key?: number, iv: Uint8Array, data: ArrayBuffer}[]} puts - records without key get a new one
 * @param {number[]} deletes - record keys
 * @returns {Promise<number[]>} the keys of the records put, in order
 */
export async function writeDocs(account, puts, deletes) {
  const tx = (await db()).transaction('docs', 'readwrite');
  const keys = [];
  for (const record of puts) {
    const value = { account, iv: record.iv, data: record.data };
    if (record.key !== undefined) value.key = record.key;
    keys.push(await tx.store.put(value));
  }
  for (const key of deletes) await tx.store.delete(key);
  await tx.done;
  return keys;
}

export async function readDoc(key) {
  return (await db()).get('docs', key);
}

/** The keys of the account's document records (no content read). */
export async function docKeys(account) {
  return (await db()).getAllKeysFromIndex('docs', 'account', account);
}

/** @param {number[]} keys @returns {Promise<Object[]>} the records still there, in the keys' order */
export async function readDocs(keys) {
  const tx = (await db()).transaction('docs');
  const records = await Promise.all(keys.map((key) => tx.store.get(key)));
  await tx.done;
  return records.filter(Boolean);
}

/** The account's sealed snapshot {account, format, iv, data}, or null. */
export async function loadSnapshot(account) {
  return (await (await db()).get('snapshots', account)) || null;
}

/** Replaces the account's snapshot (one record: the write is whole or absent). */
export async function saveSnapshot(account, format, sealed) {
  await (await db()).put('snapshots', { account, format, iv: sealed.iv, data: sealed.data });
}

export async function dropSnapshot(account) {
  await (await db()).delete('snapshots', account);
}

/** Removes the account's whole index (wrapped key, snapshot and documents). */
export async function wipe(account) {
  const database = await db();
  const tx = database.transaction(['indexes', 'docs', 'snapshots'], 'readwrite');
  await tx.objectStore('indexes').delete(account);
  await tx.objectStore('snapshots').delete(account);
  let cursor = await tx.objectStore('docs').index('account').openCursor(account);
  while (cursor) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
  await tx.done;
}
