/**
 * "Keep unlocked in this tab": a reload (or an in-tab navigation that reloads) does not ask the passphrase again,
 * while the tab stays open. The unlocked keys are protected again, here in the worker, with a random secret
 * (OpenPGP S2K, as with a passphrase) and stored in IndexedDB (`essaim-tab-sessions`); the page keeps only the
 * record's id and that secret, in sessionStorage, which the browser forgets when the tab closes. Key material is
 * never in localStorage, and never in clear anywhere. Locking the key (the button, or idle time) deletes the record;
 * records of tabs closed long ago are deleted at the next start.
 *
 * @module tab-session
 */
import { openDB } from 'idb';
import { openpgp, CONFIG, FULL_CONFIG } from './pgp.js';
import * as keyring from './keyring.js';
import * as lock from './lock.js';

const DB_NAME = 'essaim-tab-sessions';
const STORE = 'sessions';
/** A tab left open longer than this without a reload starts over with the passphrase. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;
let dbPromise = null;
let currentId = null;

function db() {
  if (!dbPromise) {
    dbPromise = openDB(DB_NAME, 1, { upgrade(database) { database.createObjectStore(STORE, { keyPath: 'id' }); } });
  }
  return dbPromise;
}

function randomHex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

lock.whenLocked((reason) => {
  if (reason === 'pagehide' || !currentId) return;
  const id = currentId;
  currentId = null;
  db().then((database) => database.delete(STORE, id)).catch(() => {});
});

/**
 * Protects the unlocked keys of the selected account for this tab.
 * @returns {Promise<{id: string, secret: string}>} for the page's sessionStorage
 */
export async function keep() {
  await keyring.currentUnlockedKey();
  const secret = randomHex(32);
  const keys = [];
  for (const key of lock.allKeys()) {
    const protectedKey = await openpgp.encryptKey({ privateKey: key, passphrase: secret, config: CONFIG });
    keys.push(protectedKey.armor(FULL_CONFIG));
  }
  const id = randomHex(16);
  const database = await db();
  if (currentId) await database.delete(STORE, currentId);
  await database.put(STORE, { id, account: keyring.requireAccount(), keys, createdAt: Date.now() });
  currentId = id;
  return { id, secret };
}

/**
 * Unlocks the keys kept for this tab, if the record is there and belongs to the selected account.
 * @param {{id: string, secret: string}} kept
 * @returns {Promise<boolean>} whether the keys are unlocked now
 */
export async function resume({ id, secret }) {
  const database = await db();
  for (const old of await database.getAll(STORE)) {
    if (Date.now() - old.createdAt > MAX_AGE_MS && old.id !== id) await database.delete(STORE, old.id);
  }
  const record = await database.get(STORE, String(id));
  if (!record || record.account !== keyring.currentAccount() || Date.now() - record.createdAt > MAX_AGE_MS) return false;
  const entries = [];
  for (const armored of record.keys) {
    const key = await openpgp.readPrivateKey({ armoredKey: armored, config: CONFIG });
    const unlockedKey = await openpgp.decryptKey({ privateKey: key, passphrase: secret, config: CONFIG });
    entries.push([unlockedKey.getFingerprint().toUpperCase(), unlockedKey]);
  }
  currentId = record.id;
  lock.hold(entries);
  return true;
}
