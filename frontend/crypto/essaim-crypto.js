/**
 * Essaim's browser crypto module: the ONLY code in Essaim that imports OpenPGP.js (and idb for IndexedDB).
 *
 * The promise it keeps: private keys, passphrases and plaintext never leave this browser.
 *  - A private key is stored (IndexedDB, per account) ONLY in its passphrase-protected armored form.
 *  - Unlocked key objects live in this module's memory only; they are dropped by lock(), after
 *    `idleMinutes` without activity, and when the page goes away.
 *  - Everything returned to callers that may reach the server (and Java) is public: public keys,
 *    fingerprints, ciphertext, status. Plaintext is returned only by decrypt()/verify() for display.
 *
 * Interoperability with GnuPG 2.2 / Thunderbird: v4 keys (config.v6Keys=false) of type
 * ecc/curve25519Legacy, no AEAD key protection (aeadProtect=false, iterated+salted S2K, which gpg reads),
 * and messages always in SEIPDv1 (the session key is chosen without an AEAD algorithm, even when every
 * recipient key advertises SEIPDv2).
 *
 * @module essaim-crypto
 */
import * as openpgp from 'openpgp';
import { openDB } from 'idb';

/** Settings passed to every OpenPGP.js call; see the module comment for why. */
const CONFIG = Object.freeze({
  v6Keys: false,
  aeadProtect: false,
  preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes256,
  // Keys protected with the default iterated+salted S2K stay readable by gpg 2.2 (argon2 is not).
  s2kType: openpgp.enums.s2k.iterated,
});
Object.assign(openpgp.config, CONFIG);
/** Methods of key objects need the complete configuration (top-level functions merge CONFIG with defaults). */
const FULL_CONFIG = openpgp.config;

const DB_NAME = 'essaim-crypto';
const STORE = 'keyrings';
const MIN_PASSPHRASE_LENGTH = 8;

/**
 * Public description of the key state of the selected account (safe to send to the server).
 * @typedef {Object} KeyStatus
 * @property {?string} account - selected account (lower-case e-mail address)
 * @property {boolean} hasKey - this browser holds a private key for the account
 * @property {?string} fingerprint - upper-case hex fingerprint of that key
 * @property {string[]} userIds - user IDs of the key, e.g. "Ada <ada@example.org>"
 * @property {?string} createdAt - ISO date the key was created
 * @property {?string} algorithm - e.g. "eddsaLegacy/ed25519" or "rsaEncryptSign/3072"
 * @property {?string} source - "generated" or "imported"
 * @property {?string} backup - "pending" (creation not finished), "downloaded", "import-file-kept" or "declined"
 * @property {boolean} reprotected - the key was imported without passphrase and protected here
 * @property {boolean} unlocked - the key is unlocked in this page's memory
 * @property {number} idleMinutes - the idle time after which the key locks itself
 * @property {number} retiredKeys - older keys kept (protected) to read old mail
 */

/**
 * A signature check result.
 * @typedef {Object} SignatureResult
 * @property {string} keyId - hex key ID of the signing key
 * @property {boolean} valid - the signature verified against a known key
 * @property {?string} error - why it did not verify (unknown key, bad signature...)
 */

let account = null;
let idleMinutes = 15;
/** @type {Map<string, openpgp.PrivateKey>} unlocked keys by fingerprint; memory only */
const unlocked = new Map();
let idleTimer = null;
const lockListeners = new Set();
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

function requireAccount() {
  if (!account) throw new Error('No account selected');
  return account;
}

async function loadRecord() {
  return (await (await db()).get(STORE, requireAccount())) || null;
}

async function saveRecord(record) {
  await (await db()).put(STORE, record);
}

async function requireRecord() {
  const record = await loadRecord();
  if (!record || !record.current) throw new Error('This browser holds no private key for ' + account);
  return record;
}

/**
 * Splits text holding several armored blocks (as gpg exports them) into one string per block,
 * because openpgp.readKeys reads only the first block of concatenated armor.
 * @param {string} text
 * @returns {{kind: string, armor: string}[]} kind is e.g. "PUBLIC KEY", "PRIVATE KEY", "SIGNATURE", "MESSAGE"
 */
export function splitArmor(text) {
  const blocks = [];
  // "PUBLIC KEY BLOCK" ends in " BLOCK", "MESSAGE" and "SIGNATURE" do not; the kind leaves it out.
  const pattern = /-----BEGIN PGP ([A-Z ]+?)( BLOCK)?-----[\s\S]*?-----END PGP \1\2-----/g;
  for (const match of String(text || '').matchAll(pattern)) {
    blocks.push({ kind: match[1], armor: match[0] + '\n' });
  }
  return blocks;
}

/**
 * Reads every public key in a text that may hold several armored public key blocks.
 * @param {string|string[]} armored - one text or a list of texts with armored public keys
 * @returns {Promise<openpgp.Key[]>}
 */
async function readPublicKeysFrom(armored) {
  const texts = Array.isArray(armored) ? armored : [armored];
  const keys = [];
  for (const text of texts) {
    const blocks = splitArmor(text).filter((b) => b.kind === 'PUBLIC KEY' || b.kind === 'PRIVATE KEY');
    if (blocks.length === 0 && String(text || '').trim()) throw new Error('Not an armored OpenPGP key');
    for (const block of blocks) {
      for (const key of await openpgp.readKeys({ armoredKeys: block.armor, config: CONFIG })) {
        keys.push(key.isPrivate() ? key.toPublic() : key);
      }
    }
  }
  return keys;
}

function formatFingerprint(key) {
  return key.getFingerprint().toUpperCase();
}

function describeAlgorithm(key) {
  const info = key.getAlgorithmInfo();
  return info.algorithm + '/' + (info.curve || info.bits || '');
}

function userIdsOf(key) {
  return key.getUserIDs();
}

function hasUserIdFor(key, address) {
  return key.users.some((user) => user.userID && user.userID.email && user.userID.email.toLowerCase() === address);
}

function touch() {
  if (unlocked.size === 0) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => lock(), idleMinutes * 60 * 1000);
}

function notifyLockChange() {
  const state = unlocked.size > 0;
  for (const listener of lockListeners) {
    try { listener(state); } catch (e) { /* a listener's bug must not keep a key unlocked */ }
  }
  window.dispatchEvent(new CustomEvent('essaim-crypto-lock-changed', { detail: { unlocked: state } }));
}

// The user working in the page counts as activity: the key locks after idleMinutes without any.
for (const type of ['pointerdown', 'keydown']) {
  window.addEventListener(type, touch, { passive: true, capture: true });
}
window.addEventListener('pagehide', () => lock());

async function checkUsable(key) {
  if (key.keyPacket.version !== 4) {
    throw new Error('This is a v' + key.keyPacket.version + ' key; GnuPG 2.2 and Thunderbird need v4 keys');
  }
  try {
    await key.verifyPrimaryKey(new Date(), undefined, FULL_CONFIG);
  } catch (e) {
    throw new Error('This key cannot be used: it is revoked, expired or its self-signature is invalid (' + e.message + ')');
  }
  try {
    await key.getEncryptionKey(undefined, new Date(), undefined, FULL_CONFIG);
  } catch (e) {
    throw new Error('This key has no usable encryption subkey (' + e.message + ')');
  }
}

async function replaceCurrent(record, current, replace) {
  if (record && record.current && !replace) {
    throw new Error('This browser already holds a key for ' + account + '; choose "replace" to make a new one');
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

/**
 * Sets the idle time after which unlocked keys are dropped from memory.
 * @param {{idleMinutes?: number}} options
 */
export function configure({ idleMinutes: minutes } = {}) {
  if (minutes !== undefined) {
    if (!(minutes > 0)) throw new Error('idleMinutes must be positive');
    idleMinutes = minutes;
    touch();
  }
}

/**
 * Chooses the account whose keys the other functions use (the logged-in user). Locks keys of another account.
 * @param {string} email - the account's address
 * @returns {Promise<KeyStatus>}
 */
export async function selectAccount(email) {
  const next = String(email || '').trim().toLowerCase();
  if (!next.includes('@')) throw new Error('Not an e-mail address: ' + email);
  if (account !== next) lock();
  account = next;
  return status();
}

/**
 * The public state of the selected account's key.
 * @returns {Promise<KeyStatus>}
 */
export async function status() {
  const record = account ? await loadRecord() : null;
  const current = record && record.current;
  let key = null;
  if (current) key = await openpgp.readKey({ armoredKey: current.armoredPublic, config: CONFIG });
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
    unlocked: isUnlocked(),
    idleMinutes,
    retiredKeys: record && record.retired ? record.retired.length : 0,
  };
}

/**
 * Generates a v4 curve25519Legacy key pair (GnuPG 2.2 compatible) for the selected account, protects it
 * with the passphrase, stores the protected form and keeps the key unlocked. Creation is not finished
 * (status().backup === "pending") until markBackup() records a downloaded or declined backup.
 * @param {{name: string, email: string, passphrase: string, replace?: boolean}} options
 *        email must be the selected account's address (selected automatically if none is)
 * @returns {Promise<KeyStatus>}
 */
export async function generateKey({ name, email, passphrase, replace = false }) {
  const address = String(email || '').trim().toLowerCase();
  if (!account) await selectAccount(address);
  if (address !== account) throw new Error('The key must carry the account address ' + account);
  checkNewPassphrase(passphrase);
  const record = await loadRecord();
  if (record && record.current && !replace) {
    throw new Error('This browser already holds a key for ' + account + '; choose "replace" to make a new one');
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
  lock();
  unlocked.set(current.fingerprint, unlockedKey);
  touch();
  notifyLockChange();
  return status();
}

function checkNewPassphrase(passphrase) {
  if (typeof passphrase !== 'string' || passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new Error('The passphrase must have at least ' + MIN_PASSPHRASE_LENGTH + ' characters');
  }
}

/**
 * Imports a private key made elsewhere (GnuPG, Thunderbird, an Essaim backup) for the selected account.
 * Checks that it is a private key (public-only keys are refused), that the passphrase decrypts it, that it is
 * a usable v4 key with an encryption subkey and a user ID with the account's address. A key that came without
 * passphrase protection is protected with the given passphrase before it is stored.
 * @param {string|Uint8Array} armored - armored text (or binary packets) of ONE private key
 * @param {string} passphrase - the key's passphrase (or the new one for an unprotected key)
 * @param {{replace?: boolean}} [options] - replace the key this browser already holds for the account
 * @returns {Promise<KeyStatus & {reprotected: boolean}>}
 */
export async function importPrivateKey(armored, passphrase, { replace = false } = {}) {
  requireAccount();
  let key;
  if (armored instanceof Uint8Array) {
    const keys = await openpgp.readKeys({ binaryKeys: armored, config: CONFIG }).catch(() => {
      throw new Error('This file is not an OpenPGP key');
    });
    if (keys.length !== 1) throw new Error('The file holds ' + keys.length + ' keys; import one key at a time');
    key = keys[0];
  } else {
    const blocks = splitArmor(armored);
    const privateBlocks = blocks.filter((b) => b.kind === 'PRIVATE KEY');
    if (privateBlocks.length === 0) {
      if (blocks.some((b) => b.kind === 'PUBLIC KEY')) {
        throw new Error('This is a PUBLIC key only. Import your PRIVATE key, e.g. exported with '
          + '"gpg --export-secret-keys --armor ' + account + '"');
      }
      throw new Error('No armored private key found (it starts with -----BEGIN PGP PRIVATE KEY BLOCK-----)');
    }
    if (privateBlocks.length > 1) throw new Error('The text holds ' + privateBlocks.length + ' private keys; import one at a time');
    const keys = await openpgp.readKeys({ armoredKeys: privateBlocks[0].armor, config: CONFIG }).catch((e) => {
      throw new Error('The private key cannot be read: ' + e.message);
    });
    if (keys.length !== 1) throw new Error('The block holds ' + keys.length + ' keys; import one at a time');
    key = keys[0];
  }
  if (!key.isPrivate()) {
    throw new Error('This is a PUBLIC key only. Import your PRIVATE key, e.g. exported with '
      + '"gpg --export-secret-keys --armor ' + account + '"');
  }
  await checkUsable(key);
  if (!hasUserIdFor(key, account)) {
    throw new Error('This key has no user ID with ' + account + ' (it has: ' + userIdsOf(key).join(', ')
      + '); the server would refuse it. Add one at home, e.g. gpg --quick-add-uid <fingerprint> ' + account);
  }
  const secretPackets = [key.keyPacket, ...key.subkeys.map((s) => s.keyPacket)].filter((p) => p.isDecrypted !== undefined);
  if (secretPackets.some((p) => p.isDummy && p.isDummy())) {
    throw new Error('This export has no secret primary key (gpg stub); export the complete secret key');
  }
  const protectedParts = secretPackets.filter((p) => !p.isDecrypted());
  let unlockedKey;
  let storedKey;
  let reprotected = false;
  if (protectedParts.length === secretPackets.length) {
    if (typeof passphrase !== 'string' || passphrase === '') throw new Error('Enter the passphrase of this key');
    try {
      unlockedKey = await openpgp.decryptKey({ privateKey: key, passphrase, config: CONFIG });
    } catch (e) {
      throw new Error('Wrong passphrase for this key (' + e.message + ')');
    }
    if (secretPackets.some((p) => p.s2kUsage === 253)) {
      throw new Error('This key is protected with AEAD, which GnuPG 2.2 cannot read; export it again from a v4-only tool');
    }
    storedKey = key;
  } else if (protectedParts.length === 0) {
    checkNewPassphrase(passphrase);
    unlockedKey = key;
    storedKey = await openpgp.encryptKey({ privateKey: key, passphrase, config: CONFIG });
    reprotected = true;
  } else {
    throw new Error('Only part of this key is passphrase-protected; protect the whole key at home and export it again');
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
  if (record && record.current && record.current.fingerprint === current.fingerprint) replace = true;
  if (record && record.current && record.current.fingerprint === current.fingerprint) {
    // Importing the key already held (e.g. a restore): no need to retire it.
    record.current = null;
  }
  await replaceCurrent(record, current, replace);
  lock();
  unlocked.set(current.fingerprint, unlockedKey);
  touch();
  notifyLockChange();
  return { ...(await status()), reprotected };
}

/**
 * Records that the user downloaded the backup of the current key, keeps the (protected) file an imported key came
 * from, or explicitly declined a backup after the warning. Until then, creating/importing the key is not finished.
 * @param {"downloaded"|"import-file-kept"|"declined"} outcome
 * @returns {Promise<KeyStatus>}
 */
export async function markBackup(outcome) {
  if (!['downloaded', 'declined', 'import-file-kept'].includes(outcome)) throw new Error('Unknown backup outcome: ' + outcome);
  const current = (await requireRecord()).current;
  if (outcome === 'import-file-kept' && current.source !== 'imported') throw new Error('Only an imported key has an import file');
  if (outcome === 'import-file-kept' && current.reprotected) {
    throw new Error('The imported file has no passphrase; download the protected backup instead');
  }
  const record = await requireRecord();
  record.current.backup = outcome;
  await saveRecord(record);
  return status();
}

/**
 * Unlocks the selected account's key (and any retired key protected with the same passphrase) for this page.
 * @param {string} passphrase
 * @returns {Promise<KeyStatus>}
 * @throws {Error} on a wrong passphrase (nothing unlocked)
 */
export async function unlock(passphrase) {
  const record = await requireRecord();
  const key = await openpgp.readPrivateKey({ armoredKey: record.current.armoredPrivate, config: CONFIG });
  let unlockedKey;
  try {
    unlockedKey = await openpgp.decryptKey({ privateKey: key, passphrase, config: CONFIG });
  } catch (e) {
    throw new Error('Wrong passphrase');
  }
  unlocked.set(record.current.fingerprint, unlockedKey);
  for (const old of record.retired || []) {
    try {
      const oldKey = await openpgp.readPrivateKey({ armoredKey: old.armoredPrivate, config: CONFIG });
      unlocked.set(old.fingerprint, await openpgp.decryptKey({ privateKey: oldKey, passphrase, config: CONFIG }));
    } catch (e) {
      // A retired key with another passphrase stays locked; mail to it is then not readable here.
    }
  }
  touch();
  notifyLockChange();
  return status();
}

/** Drops every unlocked key from memory. */
export function lock() {
  const wasUnlocked = unlocked.size > 0;
  for (const key of unlocked.values()) {
    try { key.clearPrivateParams(); } catch (e) { /* already cleared */ }
  }
  unlocked.clear();
  clearTimeout(idleTimer);
  idleTimer = null;
  if (wasUnlocked) notifyLockChange();
}

/**
 * @returns {boolean} whether the current key is unlocked in this page
 */
export function isUnlocked() {
  return unlocked.size > 0;
}

/**
 * Calls listener(unlocked: boolean) whenever keys get unlocked or locked (also by the idle timer).
 * @param {function(boolean): void} listener
 * @returns {function(): void} a function that removes the listener
 */
export function onLockChange(listener) {
  lockListeners.add(listener);
  return () => lockListeners.delete(listener);
}

async function currentUnlockedKey() {
  const record = await requireRecord();
  const key = unlocked.get(record.current.fingerprint);
  if (!key) throw new Error('The key is locked: unlock it with its passphrase first');
  touch();
  return key;
}

/**
 * The current private key in armored form, STILL protected by its passphrase (the backup file).
 * @returns {Promise<string>}
 */
export async function exportPrivateKey() {
  const record = await requireRecord();
  const key = await openpgp.readPrivateKey({ armoredKey: record.current.armoredPrivate, config: CONFIG });
  const secretPackets = [key.keyPacket, ...key.subkeys.map((s) => s.keyPacket)];
  if (secretPackets.some((p) => p.isDecrypted && p.isDecrypted())) {
    throw new Error('Refusing to export: part of the stored key is not passphrase-protected');
  }
  return record.current.armoredPrivate;
}

/**
 * The current public key, armored.
 * @returns {Promise<string>}
 */
export async function exportPublicKey() {
  return (await requireRecord()).current.armoredPublic;
}

/**
 * The current key's fingerprint (upper-case hex), or null without a key.
 * @returns {Promise<?string>}
 */
export async function fingerprint() {
  const record = await loadRecord();
  return record && record.current ? record.current.fingerprint : null;
}

/**
 * Public facts about armored public keys (several concatenated blocks allowed).
 * @param {string} armored
 * @returns {Promise<{fingerprint: string, userIds: string[], revoked: boolean}[]>}
 */
export async function describePublicKeys(armored) {
  const keys = await readPublicKeysFrom(armored);
  return Promise.all(keys.map(async (key) => ({
    fingerprint: formatFingerprint(key),
    userIds: userIdsOf(key),
    revoked: await key.isRevoked(undefined, undefined, undefined, FULL_CONFIG),
  })));
}

/**
 * Makes a revocation of the current key (needs it unlocked): the public key carrying a revocation signature,
 * armored. Importing it into GnuPG/Thunderbird marks the key revoked. Does not remove the key; see removeKey().
 * @param {{reason?: string, compromised?: boolean}} [options]
 * @returns {Promise<string>} the armored revoked public key (the revocation certificate to hand out)
 */
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

/**
 * Removes the current key of the selected account from this browser (after a revocation, for instance).
 * Retired predecessors stay, protected, unless `everything` is set.
 * @param {{everything?: boolean}} [options]
 * @returns {Promise<KeyStatus>}
 */
export async function removeKey({ everything = false } = {}) {
  requireAccount();
  lock();
  const record = await loadRecord();
  if (!everything && record && record.retired && record.retired.length) {
    record.current = null;
    await saveRecord(record);
  } else {
    await (await db()).delete(STORE, account);
  }
  return status();
}

/**
 * Encrypts (and by default signs) a text for the recipients' public keys and for the account's own key.
 * Always produces SEIPDv1 (readable by GnuPG 2.2).
 * @param {{text: string, recipientsArmored: string|string[], sign?: boolean, encryptToSelf?: boolean}} options
 * @returns {Promise<string>} the armored message
 */
export async function encrypt({ text, recipientsArmored, sign = true, encryptToSelf = true }) {
  const encryptionKeys = await readPublicKeysFrom(recipientsArmored || []);
  if (encryptToSelf) {
    const record = await requireRecord();
    encryptionKeys.push(await openpgp.readKey({ armoredKey: record.current.armoredPublic, config: CONFIG }));
  }
  if (encryptionKeys.length === 0) throw new Error('No recipient key');
  const signingKeys = sign ? [await currentUnlockedKey()] : undefined;
  const generated = await openpgp.generateSessionKey({ encryptionKeys, config: CONFIG });
  // No aeadAlgorithm: OpenPGP.js then writes SEIPDv1 even if all recipients advertise SEIPDv2.
  const sessionKey = { data: generated.data, algorithm: generated.algorithm };
  const message = await openpgp.createMessage({ text: String(text) });
  return openpgp.encrypt({ message, encryptionKeys, signingKeys, sessionKey, format: 'armored', config: CONFIG });
}

async function signatureResults(signatures) {
  return Promise.all((signatures || []).map(async (s) => {
    const result = { keyId: s.keyID.toHex().toUpperCase(), valid: false, error: null };
    try {
      result.valid = (await s.verified) === true;
    } catch (e) {
      result.error = e.message;
    }
    return result;
  }));
}

async function verificationKeysWith(armored) {
  const keys = await readPublicKeysFrom(armored || []);
  const record = account ? await loadRecord() : null;
  if (record && record.current) keys.push(await openpgp.readKey({ armoredKey: record.current.armoredPublic, config: CONFIG }));
  return keys;
}

/**
 * Decrypts an armored message with the unlocked key(s) and checks its signatures.
 * @param {string} armoredMessage
 * @param {{sendersArmored?: string|string[]}} [options] - public keys of possible signers
 * @returns {Promise<{data: string, signatures: SignatureResult[]}>}
 */
export async function decrypt(armoredMessage, { sendersArmored } = {}) {
  await currentUnlockedKey();
  const message = await openpgp.readMessage({ armoredMessage, config: CONFIG });
  const { data, signatures } = await openpgp.decrypt({
    message,
    decryptionKeys: [...unlocked.values()],
    verificationKeys: await verificationKeysWith(sendersArmored),
    config: CONFIG,
  });
  return { data, signatures: await signatureResults(signatures) };
}

/**
 * Signs a text with the unlocked key: a cleartext-signed message, or a detached armored signature.
 * @param {{text: string, detached?: boolean}} options
 * @returns {Promise<string>}
 */
export async function sign({ text, detached = false }) {
  const signingKeys = [await currentUnlockedKey()];
  if (detached) {
    const message = await openpgp.createMessage({ text: String(text) });
    return openpgp.sign({ message, signingKeys, detached: true, format: 'armored', config: CONFIG });
  }
  const message = await openpgp.createCleartextMessage({ text: String(text) });
  return openpgp.sign({ message, signingKeys, format: 'armored', config: CONFIG });
}

/**
 * Verifies a cleartext-signed message, or a text with a detached signature, against public keys (the
 * account's own key is always included). Needs no unlocked key.
 * @param {{cleartextMessage?: string, text?: string, signatureArmored?: string, publicKeysArmored?: string|string[]}} options
 * @returns {Promise<{data: string, signatures: SignatureResult[]}>}
 */
export async function verify({ cleartextMessage, text, signatureArmored, publicKeysArmored }) {
  const verificationKeys = await verificationKeysWith(publicKeysArmored);
  let result;
  if (cleartextMessage) {
    const message = await openpgp.readCleartextMessage({ cleartextMessage, config: CONFIG });
    result = await openpgp.verify({ message, verificationKeys, config: CONFIG });
  } else {
    const message = await openpgp.createMessage({ text: String(text) });
    const signature = await openpgp.readSignature({ armoredSignature: signatureArmored, config: CONFIG });
    result = await openpgp.verify({ message, signature, verificationKeys, config: CONFIG });
  }
  return { data: result.data, signatures: await signatureResults(result.signatures) };
}

/**
 * Encrypts a subject for the `Essaim-Encrypted-Subject` header, so a message list can show real subjects
 * without fetching and decrypting whole messages. Unsigned, SEIPDv1, encrypted to the same keys as the body.
 * The header value is this base64 text (binary OpenPGP message, no armor), folded by whoever writes the header.
 * @param {{subject: string, recipientsArmored?: string|string[], encryptToSelf?: boolean}} options
 * @returns {Promise<string>} base64 of the binary OpenPGP message
 */
export async function encryptSubject({ subject, recipientsArmored = [], encryptToSelf = true }) {
  const encryptionKeys = await readPublicKeysFrom(recipientsArmored);
  if (encryptToSelf) {
    const record = await requireRecord();
    encryptionKeys.push(await openpgp.readKey({ armoredKey: record.current.armoredPublic, config: CONFIG }));
  }
  if (encryptionKeys.length === 0) throw new Error('No recipient key');
  const generated = await openpgp.generateSessionKey({ encryptionKeys, config: CONFIG });
  const sessionKey = { data: generated.data, algorithm: generated.algorithm };
  const message = await openpgp.createMessage({ text: String(subject ?? '') });
  const binary = await openpgp.encrypt({ message, encryptionKeys, sessionKey, format: 'binary', config: CONFIG });
  return bytesToBase64(binary);
}

/**
 * Decrypts an `Essaim-Encrypted-Subject` header value (base64, folding whitespace allowed) with the
 * unlocked key. The result is for display only.
 * @param {string} headerValue
 * @returns {Promise<string>} the subject
 */
export async function decryptSubject(headerValue) {
  await currentUnlockedKey();
  const binaryMessage = base64ToBytes(String(headerValue || '').replace(/\s+/g, ''));
  const message = await openpgp.readMessage({ binaryMessage, config: CONFIG });
  const { data } = await openpgp.decrypt({ message, decryptionKeys: [...unlocked.values()], config: CONFIG });
  return data;
}

function bytesToBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function base64ToBytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// ---------------------------------------------------------------------------------------------------------
// Reader (issue 5): decrypting and verifying whole MIME messages as bytes, with signer fingerprints.
// ---------------------------------------------------------------------------------------------------------

/**
 * A signature check result for display in the reader.
 * @typedef {Object} SignerResult
 * @property {string} status - "valid" (verified against a known key), "bad" (known key, does not verify)
 *           or "unknown-key" (no public key for it here)
 * @property {string} keyId - upper-case hex key ID of the signing (sub)key
 * @property {?string} fingerprint - upper-case primary fingerprint of the known key that made it
 * @property {string[]} userIds - user IDs of that key
 * @property {?string} error - why it did not verify
 */

async function describeSigners(signatures, verificationKeys) {
  return Promise.all((signatures || []).map(async (s) => {
    const key = verificationKeys.find((k) => k.getKeys(s.keyID).length > 0) || null;
    const result = {
      status: 'unknown-key',
      keyId: s.keyID.toHex().toUpperCase(),
      fingerprint: key ? formatFingerprint(key) : null,
      userIds: key ? userIdsOf(key) : [],
      error: null,
    };
    try {
      if ((await s.verified) === true) result.status = 'valid';
    } catch (e) {
      result.error = e.message;
      result.status = key ? 'bad' : 'unknown-key';
    }
    return result;
  }));
}

/**
 * Decrypts a whole message part (PGP/MIME payload or inline PGP block) with the unlocked key(s), as BYTES
 * (format "binary"), so 8-bit MIME and attachments survive untouched, and checks the signatures inside.
 * The result is for display in this page only.
 * @param {string|Uint8Array} bytesOrArmored - armored text, or binary OpenPGP packets
 * @param {{sendersArmored?: string|string[]}} [options] - public keys of possible signers (the account's own
 *        key is always added)
 * @returns {Promise<{data: Uint8Array, signatures: SignerResult[]}>}
 * @throws {Error} when the key is locked, the armor is broken, or no unlocked key can decrypt it
 */
export async function decryptMime(bytesOrArmored, { sendersArmored } = {}) {
  await currentUnlockedKey();
  const message = typeof bytesOrArmored === 'string'
    ? await openpgp.readMessage({ armoredMessage: bytesOrArmored, config: CONFIG })
    : await openpgp.readMessage({ binaryMessage: bytesOrArmored, config: CONFIG });
  const verificationKeys = await verificationKeysWith(sendersArmored);
  const { data, signatures } = await openpgp.decrypt({
    message,
    decryptionKeys: [...unlocked.values()],
    verificationKeys,
    format: 'binary',
    config: CONFIG,
  });
  return { data, signatures: await describeSigners(signatures, verificationKeys) };
}

/**
 * Verifies signed mail that is not encrypted: a detached signature over bytes (RFC 3156 multipart/signed: the
 * signed part exactly as transmitted, line ends CRLF) or a cleartext-signed text. Needs no unlocked key.
 * @param {{data?: Uint8Array, signatureArmored?: string, cleartextMessage?: string, sendersArmored?: string|string[]}} options
 * @returns {Promise<{text: ?string, signatures: SignerResult[]}>} text: the signed text of a cleartext message
 */
export async function verifySigned({ data, signatureArmored, cleartextMessage, sendersArmored }) {
  const verificationKeys = await verificationKeysWith(sendersArmored);
  if (cleartextMessage) {
    const message = await openpgp.readCleartextMessage({ cleartextMessage, config: CONFIG });
    const result = await openpgp.verify({ message, verificationKeys, config: CONFIG });
    return { text: result.data, signatures: await describeSigners(result.signatures, verificationKeys) };
  }
  const message = await openpgp.createMessage({ binary: data });
  const signature = await openpgp.readSignature({ armoredSignature: signatureArmored, config: CONFIG });
  const result = await openpgp.verify({ message, signature, verificationKeys, config: CONFIG });
  return { text: null, signatures: await describeSigners(result.signatures, verificationKeys) };
}
