/**
 * Contact keys: public keys of correspondents kept in this browser per account, in their own IndexedDB
 * database (the key store's schema and version stay untouched).
 *
 * @module contacts
 */
import { openDB } from 'idb';
import { openpgp, CONFIG, FULL_CONFIG, readPublicKeysFrom, readPublicKey, checkUsable, formatFingerprint, userIdsOf, emailsOf } from './pgp.js';
import { base64ToBytes } from './bytes.js';
import { splitArmor } from '../armor.js';
import { requireAccount } from './keyring.js';
import { userError } from './user-error.js';

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
  if (emails.length === 0 && !extra.autocrypt) throw userError('error.contactNoAddress', 'The key ' + formatFingerprint(key) + ' has no user ID with an e-mail address', formatFingerprint(key));
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
    throw userError('error.contactIsPrivate', 'This is a PRIVATE key. Import only your contact\'s PUBLIC key (-----BEGIN PGP PUBLIC KEY BLOCK-----)');
  }
  if (!blocks.some((b) => b.kind === 'PUBLIC KEY')) throw userError('error.noPublicKeyBlock', 'No armored public key found (-----BEGIN PGP PUBLIC KEY BLOCK-----)');
  const keys = await readPublicKeysFrom(armored).catch((e) => { throw userError('error.publicKeyUnreadable', 'The key cannot be read: ' + e.message, e.message); });
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

/** Keys the user imported come first, then keys from Autocrypt headers, then Autocrypt gossip; newest first. */
function rank(entry) {
  return entry.autocrypt === 'gossip' ? 2 : entry.autocrypt === 'header' ? 1 : 0;
}

export async function contactKeyFor(email) {
  const address = String(email || '').trim().toLowerCase();
  const candidates = (await contactKeys())
    .filter((k) => k.emails.includes(address))
    .sort((a, b) => rank(a) - rank(b) || b.importedAt.localeCompare(a.importedAt));
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

/**
 * Learns a peer's key from an Autocrypt header or gossip, under Autocrypt Level 1's rules (section 2.3-2.4): a key
 * from a message's own Autocrypt header replaces an older one for that address only when the message is newer than
 * the one it came from; gossip is kept only while no Autocrypt header key is known for the address, and also only
 * when newer. The account's own address is never learned. The key must be a usable v4 key with an encryption subkey.
 * @param {{addr: string, keydata: string, date: number, gossip?: boolean}} seen - keydata: base64 binary packets;
 *        date: the message's Date (ms)
 * @returns {Promise<{learned: boolean, fingerprint?: string, addr: string, reason?: string}>}
 */
export async function learnAutocrypt({ addr, keydata, date, gossip = false }) {
  const owner = requireAccount();
  const address = String(addr || '').trim().toLowerCase();
  if (!address.includes('@') || address === owner) return { learned: false, addr: address, reason: 'own address' };
  let key;
  try {
    key = await openpgp.readKey({ binaryKey: base64ToBytes(String(keydata).replace(/\s+/g, '')), config: CONFIG });
    await checkUsable(key);
  } catch (e) {
    return { learned: false, addr: address, reason: e.message };
  }
  if (key.isPrivate()) return { learned: false, addr: address, reason: 'a private key' };
  const timestamp = Number(date) || Date.now();
  const kind = gossip ? 'gossip' : 'header';
  const known = (await contactKeys()).filter((k) => k.autocrypt && k.emails.includes(address));
  const headerKeys = known.filter((k) => k.autocrypt === 'header');
  const sameKind = known.filter((k) => k.autocrypt === kind);
  if (gossip && headerKeys.length) return { learned: false, addr: address, reason: 'an Autocrypt header key is known' };
  if (sameKind.some((k) => (k.autocryptTimestamp || 0) >= timestamp)) {
    return { learned: false, addr: address, reason: 'a newer message already gave a key' };
  }
  const fingerprint = formatFingerprint(key);
  const unchanged = sameKind.some((k) => k.fingerprint === fingerprint);
  for (const old of [...sameKind, ...(gossip ? [] : known.filter((k) => k.autocrypt === 'gossip'))]) {
    if (old.fingerprint !== fingerprint) await removeContactKey(old.fingerprint);
  }
  const stored = await storeContactKey(key, { autocrypt: kind, autocryptTimestamp: timestamp });
  if (!stored.emails.includes(address)) {
    // The key's user IDs may name another address: Autocrypt binds it to this one.
    await (await contactsDb()).put(CONTACTS_STORE, { ...stored, account: owner, emails: [...stored.emails, address] });
  }
  return { learned: !unchanged, fingerprint, addr: address };
}
