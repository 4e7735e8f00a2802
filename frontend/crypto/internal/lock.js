/**
 * Unlocked private keys: held in the worker's memory only, dropped by lock(), after `idleMinutes` without
 * activity (key use here, or the user working in the page, which the facade forwards), and when the page goes
 * away (the worker dies with it). Every change is announced through the emitter the worker entry sets.
 *
 * @module lock
 */

/** @type {Map<string, import('openpgp').PrivateKey>} unlocked keys by fingerprint; memory only */
const unlocked = new Map();
let idleMinutes = 15;
let idleTimer = null;
let emit = () => {};
/** Worker modules that keep decrypted data (the search index) and must drop it when the key locks. */
const lockedListeners = new Set();

/** @param {function(string): void} listener - called with the reason ("user", "idle", "pagehide", ...) when keys get locked */
export function whenLocked(listener) {
  lockedListeners.add(listener);
}

/** @param {function(string, Object): void} emitter - sends an event to the page */
export function setEmitter(emitter) {
  emit = emitter;
}

export function isUnlocked() {
  return unlocked.size > 0;
}

export function idleMinutesSetting() {
  return idleMinutes;
}

/** @param {number} minutes */
export function setIdleMinutes(minutes) {
  if (!(minutes > 0)) throw new Error('idleMinutes must be positive');
  idleMinutes = minutes;
  touch();
}

/** Activity: the key stays unlocked for another idleMinutes. */
export function touch() {
  if (unlocked.size === 0) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => lock('idle'), idleMinutes * 60 * 1000);
}

/**
 * Holds unlocked keys (replacing what was held when `replaceAll`) and announces the change.
 * @param {[string, import('openpgp').PrivateKey][]} entries - fingerprint and decrypted key
 */
export function hold(entries, { replaceAll = false } = {}) {
  if (replaceAll) clearKeys();
  for (const [fingerprint, key] of entries) unlocked.set(fingerprint, key);
  touch();
  announce('unlock');
}

/** @returns {?import('openpgp').PrivateKey} */
export function keyFor(fingerprint) {
  return unlocked.get(fingerprint) || null;
}

/** Every unlocked key (the current one and older ones), for decryption. */
export function allKeys() {
  return [...unlocked.values()];
}

function clearKeys() {
  for (const key of unlocked.values()) {
    try { key.clearPrivateParams(); } catch (e) { /* already cleared */ }
  }
  unlocked.clear();
  clearTimeout(idleTimer);
  idleTimer = null;
}

/**
 * Drops every unlocked key from memory.
 * @param {string} [reason] - "user" (the Lock button), "idle", "account" (another account), "pagehide" (the page
 *        goes away or into the back-forward cache: a "keep unlocked in this tab" session survives it)
 */
export function lock(reason = 'user') {
  const wasUnlocked = unlocked.size > 0;
  clearKeys();
  for (const listener of lockedListeners) {
    try { listener(reason); } catch (e) { /* dropping the rest still matters */ }
  }
  if (wasUnlocked) announce(reason);
}

function announce(reason) {
  emit('lock', { unlocked: unlocked.size > 0, reason });
}
