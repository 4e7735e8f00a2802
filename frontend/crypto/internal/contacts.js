/**
 * Contact keys: public keys of correspondents kept in this browser per account, in their own IndexedDB
 * database (the key store's schema and version stay untouched).
 *
 * @module contacts
 */
import { openDB } from 'idb';
import { FULL_CONFIG, readPublicKeysFrom, readPublicKey, checkUsable, formatFingerprint, userIdsOf, emailsOf } from './pgp.js';
import { splitArmor } from '../armor.js';
import { requireAccount } from './keyring.js';

const CONTACTS_DB = 'essaim-contacts';
const CONTACTS_STORE = 'contactKeys';
let contactsDbPromise = null;

function contactsDb() {
  if (!contactsDbPromise) {
    contactsDbPromise = openDB(CONTACTS_DB, 1, {
      upgrade(database) {
        const store = database.createObjectStore(CONTACTS_STORE, { keyPath: ['account', 'fingerprint'] });
        store.createIndex('account', 'account');
      },
    });
  }
  return contactsDbPromise;
}

function withoutAccount({ account: ignored, ...rest }) {
  return rest;
}

/** Stores one checked public key for the account; `extra` holds where it came from (e.g. Autocrypt state). */
export async function storeContactKey(key, extra = {}) {
  const owner = requireAccount();
  await checkUsable(key);
  const emails = emailsOf(key);
  if (emails.length === 0) throw new Error('The key ' + formatFingerprint(key) + ' has no user ID with an e-mail address');
  const entry = {
    account: owner,
    fingerprint: formatFingerprint(key),
    userIds: userIdsOf(key),
    emails,
    armored: key.armor(FULL_CONFIG),
    importedAt: new Date().toISOString(),
    ...extra,
  };
  await (await contactsDb()).put(CONTACTS_STORE, entry);
  return withoutAccount(entry);
}

export async function importContactKey(armored) {
  requireAccount();
  const blocks = splitArmor(armored);
  if (blocks.some((b) => b.kind === 'PRIVATE KEY')) {
    throw new Error('This is a PRIVATE key. Import only your contact\'s PUBLIC key (-----BEGIN PGP PUBLIC KEY BLOCK-----)');
  }
  if (!blocks.some((b) => b.kind === 'PUBLIC KEY')) throw new Error('No armored public key found (-----BEGIN PGP PUBLIC KEY BLOCK-----)');
  const keys = await readPublicKeysFrom(armored).catch((e) => { throw new Error('The key cannot be read: ' + e.message); });
  const imported = [];
  for (const key of keys) imported.push(await storeContactKey(key));
  return imported;
}

export async function contactKeys() {
  const owner = requireAccount();
  const all = await (await contactsDb()).getAllFromIndex(CONTACTS_STORE, 'account', owner);
  return all.map(withoutAccount);
}

export async function removeContactKey(fpr) {
  const owner = requireAccount();
  await (await contactsDb()).delete(CONTACTS_STORE, [owner, String(fpr || '').toUpperCase()]);
}

export async function contactKeyFor(email) {
  const address = String(email || '').trim().toLowerCase();
  const candidates = (await contactKeys())
    .filter((k) => k.emails.includes(address))
    .sort((a, b) => b.importedAt.localeCompare(a.importedAt));
  for (const candidate of candidates) {
    try {
      await checkUsable(await readPublicKey(candidate.armored));
      return candidate.armored;
    } catch (e) {
      // revoked or expired since the import: try an older one
    }
  }
  return null;
}
