/**
 * Essaim's browser crypto facade: the API every view uses for keys and OpenPGP (documented in
 * docs/browser-keys.md). The work happens in a Web Worker (crypto-worker.js, over the internal modules keyring,
 * lock, operations, contacts and subjects), the only place that loads OpenPGP.js, so that key generation, S2K
 * and large messages never freeze the page.
 *
 * The promise it keeps: private keys, passphrases and plaintext never leave this browser.
 *  - A private key is stored (IndexedDB, per account) ONLY in its passphrase-protected armored form.
 *  - Unlocked key objects live in the worker's memory only; they are dropped by lock(), after `idleMinutes`
 *    without activity, and when the page goes away (the worker dies with it). They never cross to the page.
 *  - Everything returned to callers that may reach the server (and Java) is public: public keys,
 *    fingerprints, ciphertext, status. Plaintext is returned only by decrypt()/verify() for display.
 *
 * @module essaim-crypto
 */
import { splitArmor } from './armor.js';
import { call, onEvent } from './worker-client.js';

export { splitArmor };

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
 * @property {boolean} unlocked - the key is unlocked in this page's worker
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

/**
 * A contact's public key as kept in this browser (public facts only).
 * @typedef {Object} ContactKey
 * @property {string} fingerprint - upper-case hex
 * @property {string[]} userIds
 * @property {string[]} emails - lower-case addresses of the key's user IDs
 * @property {string} armored - the armored public key
 * @property {string} importedAt - ISO date
 */

// ---- lock state, mirrored from the worker so that isUnlocked() can stay synchronous ------------------------------

let unlockedHere = false;
const lockListeners = new Set();

function lockStateIs(state) {
  if (state === unlockedHere) return;
  unlockedHere = state;
  for (const listener of lockListeners) {
    try { listener(state); } catch (e) { /* a listener's bug must not keep a key unlocked */ }
  }
  window.dispatchEvent(new CustomEvent('essaim-crypto-lock-changed', { detail: { unlocked: state } }));
}

// The worker announces every change (unlock, lock, idle lock) before it answers the call that caused it.
onEvent('lock', ({ unlocked, reason }) => {
  if (!unlocked && reason !== 'pagehide') forgetTab();
  lockStateIs(unlocked);
});

// ---- "keep unlocked in this tab" (internal/tab-session.js): the page holds only a record id and a random secret ----

const TAB_KEY = 'essaim-keep-unlocked';
let resuming = null;

function forgetTab() {
  try { sessionStorage.removeItem(TAB_KEY); } catch (e) { /* storage disabled: nothing kept */ }
}

/** Keeps the unlocked key usable across reloads of this tab, until the tab closes or the key is locked. */
export async function keepUnlockedInTab() {
  const kept = await call('tab.keep');
  sessionStorage.setItem(TAB_KEY, JSON.stringify(kept));
}

/** @returns {boolean} whether this tab keeps the key unlocked across reloads */
export function isKeptInTab() {
  try { return !!sessionStorage.getItem(TAB_KEY); } catch (e) { return false; }
}

/** Unlocks from this tab's kept session, once, if there is one. @returns {Promise<boolean>} */
function resumeTab() {
  if (!resuming) {
    resuming = (async () => {
      let kept = null;
      try { kept = JSON.parse(sessionStorage.getItem(TAB_KEY) || 'null'); } catch (e) { kept = null; }
      if (!kept) return false;
      const ok = await call('tab.resume', kept).catch(() => false);
      if (!ok) forgetTab();
      return ok;
    })().finally(() => { resuming = null; });
  }
  return resuming;
}

// The user working in the page counts as activity (the worker cannot see it): told at most every 20 s.
let lastTouch = 0;
for (const type of ['pointerdown', 'keydown']) {
  window.addEventListener(type, () => {
    const now = Date.now();
    if (!unlockedHere || now - lastTouch < 20_000) return;
    lastTouch = now;
    call('lock.touch').catch(() => {});
  }, { passive: true, capture: true });
}
// Keys leave memory when the page goes away (or into the back-forward cache); a kept tab session survives it.
window.addEventListener('pagehide', () => {
  call('lock.lock', 'pagehide').catch(() => {}); // first: see lock()
  lockStateIs(false);
});

/**
 * Sets the idle time after which unlocked keys are dropped from memory.
 * @param {{idleMinutes?: number}} options
 */
export function configure({ idleMinutes: minutes } = {}) {
  if (minutes !== undefined) {
    if (!(minutes > 0)) throw new Error('idleMinutes must be positive');
    call('lock.setIdleMinutes', minutes).catch(() => {});
  }
}

/** Drops every unlocked key from memory (at once for this page; the worker follows in order), and ends "keep
 * unlocked in this tab". */
export function lock() {
  forgetTab();
  // The worker is told BEFORE the listeners hear of it: they often ask the worker at once (the key page asks for
  // status()), and the worker answers its messages in order, so every such question is answered after the keys
  // were dropped. The other way round, a question posted first was answered "unlocked" whenever the page's thread
  // paused between the two messages (a busy listener, a GC, a loaded machine), and that page kept showing an
  // unlocked key (KeyGenerationInBrowserTest, full-suite runs).
  call('lock.lock', 'user').catch(() => {});
  lockStateIs(false);
}

/** @returns {boolean} whether the current key is unlocked in this page */
export function isUnlocked() {
  return unlockedHere;
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

// ---- keys ---------------------------------------------------------------------------------------------------------

/**
 * Chooses the account whose keys the other functions use (the logged-in user). Locks keys of another account.
 * @param {string} email - the account's address
 * @returns {Promise<KeyStatus>}
 */
export async function selectAccount(email) {
  const selected = await call('keys.selectAccount', email);
  if (!selected.unlocked && selected.hasKey && isKeptInTab() && await resumeTab()) return call('keys.status');
  return selected;
}

/** @returns {Promise<KeyStatus>} the public state of the selected account's key */
export function status() {
  return call('keys.status');
}

/**
 * Generates a v4 curve25519Legacy key pair (GnuPG 2.2 compatible) for the selected account, protects it
 * with the passphrase, stores the protected form and keeps the key unlocked. Creation is not finished
 * (status().backup === "pending") until markBackup() records a downloaded or declined backup.
 * @param {{name: string, email: string, passphrase: string, replace?: boolean}} options
 * @returns {Promise<KeyStatus>}
 */
export function generateKey(options) {
  return call('keys.generateKey', options);
}

/**
 * Imports a private key made elsewhere (GnuPG, Thunderbird, an Essaim backup) for the selected account.
 * Refuses public keys, wrong passphrases, several keys, v6 or AEAD-protected keys, revoked/expired keys, keys
 * without encryption subkey or without a user ID with the account's address. A key without passphrase
 * protection is protected with the given passphrase before it is stored.
 * @param {string|Uint8Array} armored - armored text (or binary packets) of ONE private key
 * @param {string} passphrase
 * @param {{replace?: boolean}} [options]
 * @returns {Promise<KeyStatus & {reprotected: boolean}>}
 */
export function importPrivateKey(armored, passphrase, options = {}) {
  return call('keys.importPrivateKey', armored, passphrase, options);
}

/**
 * Records the backup outcome that finishes creating/importing a key.
 * @param {"downloaded"|"import-file-kept"|"declined"} outcome
 * @returns {Promise<KeyStatus>}
 */
export function markBackup(outcome) {
  return call('keys.markBackup', outcome);
}

/**
 * Unlocks the selected account's key (and any retired key protected with the same passphrase) for this page.
 * @param {string} passphrase
 * @returns {Promise<KeyStatus>}
 * @throws {Error} on a wrong passphrase (nothing unlocked)
 */
export function unlock(passphrase) {
  return call('keys.unlock', passphrase);
}

/** @returns {Promise<string>} the current private key, armored, STILL protected by its passphrase (the backup) */
export function exportPrivateKey() {
  return call('keys.exportPrivateKey');
}

/** @returns {Promise<string>} the current public key, armored */
export function exportPublicKey() {
  return call('keys.exportPublicKey');
}

/** @returns {Promise<?string>} the current key's fingerprint (upper-case hex), or null without a key */
export function fingerprint() {
  return call('keys.fingerprint');
}

/**
 * Public facts about armored public keys (several concatenated blocks allowed).
 * @param {string} armored
 * @returns {Promise<{fingerprint: string, userIds: string[], revoked: boolean}[]>}
 */
export function describePublicKeys(armored) {
  return call('keys.describePublicKeys', armored);
}

/**
 * Makes a revocation of the current key (needs it unlocked): the armored public key with a revocation signature.
 * @param {{reason?: string, compromised?: boolean}} [options]
 * @returns {Promise<string>}
 */
export function createRevocation(options = {}) {
  return call('keys.createRevocation', options);
}

/**
 * Removes the current key of the selected account from this browser. Retired predecessors stay, protected,
 * unless `everything` is set.
 * @param {{everything?: boolean}} [options]
 * @returns {Promise<KeyStatus>}
 */
export function removeKey(options = {}) {
  return call('keys.removeKey', options);
}

// ---- messages -----------------------------------------------------------------------------------------------------

/**
 * Encrypts (and by default signs) a text for the recipients' public keys and for the account's own key.
 * Always produces SEIPDv1 (readable by GnuPG 2.2).
 * @param {{text: string, recipientsArmored: string|string[], sign?: boolean, encryptToSelf?: boolean}} options
 * @returns {Promise<string>} the armored message
 */
export function encrypt(options) {
  return call('ops.encrypt', options);
}

/**
 * Decrypts an armored message with the unlocked key(s) and checks its signatures.
 * @param {string} armoredMessage
 * @param {{sendersArmored?: string|string[]}} [options]
 * @returns {Promise<{data: string, signatures: SignatureResult[]}>}
 */
export function decrypt(armoredMessage, options = {}) {
  return call('ops.decrypt', armoredMessage, options);
}

/**
 * Signs a text with the unlocked key: a cleartext-signed message, or a detached armored signature.
 * @param {{text: string, detached?: boolean}} options
 * @returns {Promise<string>}
 */
export function sign(options) {
  return call('ops.sign', options);
}

/**
 * Verifies a cleartext-signed message, or a text with a detached signature (the account's own key is always
 * included). Needs no unlocked key.
 * @param {{cleartextMessage?: string, text?: string, signatureArmored?: string, publicKeysArmored?: string|string[]}} options
 * @returns {Promise<{data: string, signatures: SignatureResult[]}>}
 */
export function verify(options) {
  return call('ops.verify', options);
}

/**
 * Decrypts a whole message part (PGP/MIME payload or inline PGP block) as BYTES, so 8-bit MIME and attachments
 * survive untouched, and checks the signatures inside. For display in this page only.
 * @param {string|Uint8Array} bytesOrArmored
 * @param {{sendersArmored?: string|string[]}} [options]
 * @returns {Promise<{data: Uint8Array, signatures: SignerResult[]}>}
 */
export function decryptMime(bytesOrArmored, options = {}) {
  return call('ops.decryptMime', bytesOrArmored, options);
}

/**
 * Verifies signed mail that is not encrypted: a detached signature over bytes (RFC 3156 multipart/signed) or a
 * cleartext-signed text. Needs no unlocked key.
 * @param {{data?: Uint8Array, signatureArmored?: string, cleartextMessage?: string, sendersArmored?: string|string[]}} options
 * @returns {Promise<{text: ?string, signatures: SignerResult[]}>}
 */
export function verifySigned(options) {
  return call('ops.verifySigned', options);
}

/**
 * Encrypts a subject for the `Essaim-Encrypted-Subject` header (base64 of a binary, unsigned SEIPDv1 message).
 * @param {{subject: string, recipientsArmored?: string|string[], encryptToSelf?: boolean}} options
 * @returns {Promise<string>}
 */
export function encryptSubject(options) {
  return call('subjects.encryptSubject', options);
}

/**
 * Decrypts an `Essaim-Encrypted-Subject` header value with the unlocked key. For display only.
 * @param {string} headerValue
 * @returns {Promise<string>}
 */
export function decryptSubject(headerValue) {
  return call('subjects.decryptSubject', headerValue);
}

// ---- contact keys -------------------------------------------------------------------------------------------------

/**
 * Imports public keys of correspondents for the selected account; private key blocks are refused.
 * @param {string} armored
 * @returns {Promise<ContactKey[]>}
 */
export function importContactKey(armored) {
  return call('contacts.importContactKey', armored);
}

/** @returns {Promise<ContactKey[]>} the contact keys of the selected account */
export function contactKeys() {
  return call('contacts.contactKeys');
}

/** @param {string} fpr - fingerprint (any case) */
export function removeContactKey(fpr) {
  return call('contacts.removeContactKey', fpr);
}

/**
 * The armored contact key to encrypt to an address (newest usable one), or null.
 * @param {string} email
 * @returns {Promise<?string>}
 */
export function contactKeyFor(email) {
  return call('contacts.contactKeyFor', email);
}

/**
 * Learns a correspondent's key from a message's Autocrypt header or gossip (Autocrypt Level 1 rules).
 * @param {{addr: string, keydata: string, date: number, gossip?: boolean}} seen
 * @returns {Promise<{learned: boolean, fingerprint?: string, addr: string, reason?: string}>}
 */
export function learnAutocrypt(seen) {
  return call('contacts.learnAutocrypt', seen);
}
