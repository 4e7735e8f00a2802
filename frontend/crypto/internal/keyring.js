/**
 * The private key store: one record per account in IndexedDB, holding ONLY passphrase-protected armored keys
 * (the current one and retired ones kept to read older mail), and the account the page works for.
 *
 * @module keyring
 */
import { openDB } from 'idb';
import {
  openpgp, CONFIG, FULL_CONFIG, formatFingerprint, describeAlgorithm, userIdsOf, hasUserIdFor, checkUsable,
  readPublicKeysFrom, readPublicKey,
} from './pgp.js';
import { splitArmor } from '../armor.js';
import * as lock from './lock.js';
import { userError } from './user-error.js';

const DB_NAME = 'essaim-crypto';
const STORE = 'keyrings';
const MIN_PASSPHRASE_LENGTH = 8;

let account = null;
let dbPromise = null;

function db() {
  if (!dbPromise) {
    dbPromise = openDB(DB_NAME, 1, {
      upgrade(database) {
        database.createObjectStore(STORE, { keyPath: 'account' });
      },
    });
  }
  return dbPromise;
}

export function currentAccount() {
  return account;
}

export function requireAccount() {
  if (!account) throw new Error('No account selected');
  return account;
}

async function loadRecord() {
  return (await (await db()).get(STORE, requireAccount())) || null;
}

async function saveRecord(record) {
  await (await db()).put(STORE, record);
}

export async function requireRecord() {
  const record = await loadRecord();
  if (!record || !record.current) throw userError('error.noPrivateKey', 'This browser holds no private key for ' + account, account);
  return record;
}

/** The account's own public key object, or null without a key. */
export async function ownPublicKey() {
  const record = account ? await loadRecord() : null;
  return record && record.current ? readPublicKey(record.current.armoredPublic) : null;
}

/** The unlocked current key (for signing); throws when locked. Counts as activity. */
export async function currentUnlockedKey() {
  const record = await requireRecord();
  const key = lock.keyFor(record.current.fingerprint);
  if (!key) throw userError('error.locked', 'The key is locked: unlock it with its passphrase first');
  lock.touch();
  return key;
}

async function replaceCurrent(record, current, replace) {
  if (record && record.current && !replace) {
    throw userError('error.keyExists', 'This browser already holds a key for ' + account + '; choose "replace" to make a new one', account);
  }
  const retired = record ? [...(record.retired || [])] : [];
  if (record && record.current) {
    // Kept, still protected, so that mail encrypted to the old key stays readable after a replacement.
    retired.push({ ...record.current, retiredAt: new Date().toISOString() });
  }
  const next = { account, current, retired };
  await saveRecord(next);
  return next;
}

function checkNewPassphrase(passphrase) {
  if (typeof passphrase !== 'string' || passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw userError('error.passphraseTooShort', 'The passphrase must have at least ' + MIN_PASSPHRASE_LENGTH + ' characters', MIN_PASSPHRASE_LENGTH);
  }
}

export async function selectAccount(email) {
  const next = String(email || '').trim().toLowerCase();
  if (!next.includes('@')) throw userError('error.notAnAddress', 'Not an e-mail address: ' + email, email);
  if (account !== next) lock.lock('account');
  account = next;
  return status();
}

export async function status() {
  const record = account ? await loadRecord() : null;
  const current = record && record.current;
  let key = null;
  if (current) key = await readPublicKey(current.armoredPublic);
  return {
    account,
    hasKey: !!current,
    fingerprint: current ? current.fingerprint : null,
    userIds: key ? userIdsOf(key) : [],
    createdAt: key ? key.getCreationTime().toISOString() : null,
    algorithm: key ? describeAlgorithm(key) : null,
    source: current ? current.source : null,
    backup: current ? current.backup : null,
    reprotected: current ? !!current.reprotected : false,
    unlocked: lock.isUnlocked(),
    idleMinutes: lock.idleMinutesSetting(),
    retiredKeys: record && record.retired ? record.retired.length : 0,
  };
}

export async function generateKey({ name, email, passphrase, replace = false }) {
  const address = String(email || '').trim().toLowerCase();
  if (!account) await selectAccount(address);
  if (address !== account) throw userError('error.keyAddress', 'The key must carry the account address ' + account, account);
  checkNewPassphrase(passphrase);
  const record = await loadRecord();
  if (record && record.current && !replace) {
    throw userError('error.keyExists', 'This browser already holds a key for ' + account + '; choose "replace" to make a new one', account);
  }
  const userID = { email: address };
  if (name && String(name).trim()) userID.name = String(name).trim();
  const { privateKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [userID],
    passphrase,
    format: 'object',
    config: CONFIG,
  });
  const unlockedKey = await openpgp.decryptKey({ privateKey, passphrase, config: CONFIG });
  const current = {
    fingerprint: formatFingerprint(privateKey),
    armoredPrivate: privateKey.armor(FULL_CONFIG),
    armoredPublic: privateKey.toPublic().armor(FULL_CONFIG),
    source: 'generated',
    backup: 'pending',
    storedAt: new Date().toISOString(),
  };
  await replaceCurrent(record, current, replace);
  lock.hold([[current.fingerprint, unlockedKey]], { replaceAll: true });
  return status();
}

async function readOnePrivateKey(armored) {
  if (armored instanceof Uint8Array) {
    const keys = await openpgp.readKeys({ binaryKeys: armored, config: CONFIG }).catch(() => {
      throw userError('error.notAKeyFile', 'This file is not an OpenPGP key');
    });
    if (keys.length !== 1) throw userError('error.severalKeysInFile', 'The file holds ' + keys.length + ' keys; import one key at a time', keys.length);
    return keys[0];
  }
  const blocks = splitArmor(armored);
  const privateBlocks = blocks.filter((b) => b.kind === 'PRIVATE KEY');
  if (privateBlocks.length === 0) {
    if (blocks.some((b) => b.kind === 'PUBLIC KEY')) {
      throw userError('error.publicKeyOnly', 'This is a PUBLIC key only. Import your PRIVATE key, e.g. exported with '
        + '"gpg --export-secret-keys --armor ' + account + '"', account);
    }
    throw userError('error.noPrivateKeyBlock', 'No armored private key found (it starts with -----BEGIN PGP PRIVATE KEY BLOCK-----)');
  }
  if (privateBlocks.length > 1) throw userError('error.severalPrivateKeys', 'The text holds ' + privateBlocks.length + ' private keys; import one at a time', privateBlocks.length);
  const keys = await openpgp.readKeys({ armoredKeys: privateBlocks[0].armor, config: CONFIG }).catch((e) => {
    throw userError('error.privateKeyUnreadable', 'The private key cannot be read: ' + e.message, e.message);
  });
  if (keys.length !== 1) throw userError('error.severalKeysInBlock', 'The block holds ' + keys.length + ' keys; import one at a time', keys.length);
  return keys[0];
}

export async function importPrivateKey(armored, passphrase, { replace = false } = {}) {
  requireAccount();
  const key = await readOnePrivateKey(armored);
  if (!key.isPrivate()) {
    throw userError('error.publicKeyOnly', 'This is a PUBLIC key only. Import your PRIVATE key, e.g. exported with '
      + '"gpg --export-secret-keys --armor ' + account + '"', account);
  }
  await checkUsable(key);
  if (!hasUserIdFor(key, account)) {
    throw userError('error.noUserIdForAccount', 'This key has no user ID with ' + account + ' (it has: ' + userIdsOf(key).join(', ')
      + '); the server would refuse it. Add one at home, e.g. gpg --quick-add-uid <fingerprint> ' + account, account, userIdsOf(key).join(', '));
  }
  const secretPackets = [key.keyPacket, ...key.subkeys.map((s) => s.keyPacket)].filter((p) => p.isDecrypted !== undefined);
  if (secretPackets.some((p) => p.isDummy && p.isDummy())) {
    throw userError('error.gpgStub', 'This export has no secret primary key (gpg stub); export the complete secret key');
  }
  const protectedParts = secretPackets.filter((p) => !p.isDecrypted());
  let unlockedKey;
  let storedKey;
  let reprotected = false;
  if (protectedParts.length === secretPackets.length) {
    if (typeof passphrase !== 'string' || passphrase === '') throw userError('error.passphraseMissing', 'Enter the passphrase of this key');
    try {
      unlockedKey = await openpgp.decryptKey({ privateKey: key, passphrase, config: CONFIG });
    } catch (e) {
      throw userError('error.wrongPassphraseForKey', 'Wrong passphrase for this key (' + e.message + ')', e.message);
    }
    if (secretPackets.some((p) => p.s2kUsage === 253)) {
      throw userError('error.aead', 'This key is protected with AEAD, which GnuPG 2.2 cannot read; export it again from a v4-only tool');
    }
    storedKey = key;
  } else if (protectedParts.length === 0) {
    checkNewPassphrase(passphrase);
    unlockedKey = key;
    storedKey = await openpgp.encryptKey({ privateKey: key, passphrase, config: CONFIG });
    reprotected = true;
  } else {
    throw userError('error.partlyProtected', 'Only part of this key is passphrase-protected; protect the whole key at home and export it again');
  }
  const record = await loadRecord();
  const current = {
    fingerprint: formatFingerprint(key),
    armoredPrivate: storedKey.armor(FULL_CONFIG),
    armoredPublic: key.toPublic().armor(FULL_CONFIG),
    source: 'imported',
    reprotected,
    backup: 'pending',
    storedAt: new Date().toISOString(),
  };
  if (record && record.current && record.current.fingerprint === current.fingerprint) {
    // Importing the key already held (e.g. a restore): no need to retire it.
    replace = true;
    record.current = null;
  }
  await replaceCurrent(record, current, replace);
  lock.hold([[current.fingerprint, unlockedKey]], { replaceAll: true });
  return { ...(await status()), reprotected };
}

export async function markBackup(outcome) {
  if (!['downloaded', 'declined', 'import-file-kept'].includes(outcome)) throw new Error('Unknown backup outcome: ' + outcome);
  const record = await requireRecord();
  const current = record.current;
  if (outcome === 'import-file-kept' && current.source !== 'imported') throw new Error('Only an imported key has an import file');
  if (outcome === 'import-file-kept' && current.reprotected) {
    throw userError('error.importFileUnprotected', 'The imported file has no passphrase; download the protected backup instead');
  }
  current.backup = outcome;
  await saveRecord(record);
  return status();
}

export async function unlock(passphrase) {
  const record = await requireRecord();
  const key = await openpgp.readPrivateKey({ armoredKey: record.current.armoredPrivate, config: CONFIG });
  let unlockedKey;
  try {
    unlockedKey = await openpgp.decryptKey({ privateKey: key, passphrase, config: CONFIG });
  } catch (e) {
    throw userError('error.wrongPassphrase', 'Wrong passphrase');
  }
  const entries = [[record.current.fingerprint, unlockedKey]];
  for (const old of record.retired || []) {
    try {
      const oldKey = await openpgp.readPrivateKey({ armoredKey: old.armoredPrivate, config: CONFIG });
      entries.push([old.fingerprint, await openpgp.decryptKey({ privateKey: oldKey, passphrase, config: CONFIG })]);
    } catch (e) {
      // A retired key with another passphrase stays locked; mail to it is then not readable here.
    }
  }
  lock.hold(entries);
  return status();
}

export async function exportPrivateKey() {
  const record = await requireRecord();
  const key = await openpgp.readPrivateKey({ armoredKey: record.current.armoredPrivate, config: CONFIG });
  const secretPackets = [key.keyPacket, ...key.subkeys.map((s) => s.keyPacket)];
  if (secretPackets.some((p) => p.isDecrypted && p.isDecrypted())) {
    throw userError('error.exportUnprotected', 'Refusing to export: part of the stored key is not passphrase-protected');
  }
  return record.current.armoredPrivate;
}

export async function exportPublicKey() {
  return (await requireRecord()).current.armoredPublic;
}

export async function fingerprint() {
  const record = await loadRecord();
  return record && record.current ? record.current.fingerprint : null;
}

export async function describePublicKeys(armored) {
  const keys = await readPublicKeysFrom(armored);
  return Promise.all(keys.map(async (key) => ({
    fingerprint: formatFingerprint(key),
    userIds: userIdsOf(key),
    revoked: await key.isRevoked(undefined, undefined, undefined, FULL_CONFIG),
  })));
}

export async function createRevocation({ reason = '', compromised = false } = {}) {
  const key = await currentUnlockedKey();
  const { publicKey } = await openpgp.revokeKey({
    key,
    reasonForRevocation: {
      flag: compromised ? openpgp.enums.reasonForRevocation.keyCompromised : openpgp.enums.reasonForRevocation.keyRetired,
      string: reason,
    },
    format: 'armored',
    config: CONFIG,
  });
  return publicKey;
}

export async function removeKey({ everything = false } = {}) {
  requireAccount();
  lock.lock();
  const record = await loadRecord();
  if (!everything && record && record.retired && record.retired.length) {
    record.current = null;
    await saveRecord(record);
  } else {
    await (await db()).delete(STORE, account);
  }
  return status();
}
