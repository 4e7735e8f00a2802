/**
 * The page's side of the crypto worker: starts `crypto-worker.js` once, sends it calls and routes what it answers.
 * One ordered channel (the worker's own port) carries both replies and events, so an event the worker posted
 * before a reply (e.g. "lock": unlocked) is always seen before that reply resolves its promise.
 *
 * Only the facades in frontend/crypto/ use this module (essaim-crypto.js, essaim-search.js); views use the facades.
 *
 * @module worker-client
 */
import { WORKER_SOURCES } from './generated-worker-version.js';
import { t } from '../i18n/essaim-i18n.js';

let worker = null;
let nextId = 1;
/** @type {Map<number, {resolve: Function, reject: Function}>} */
const pending = new Map();
/** @type {Map<string, Set<Function>>} */
const listeners = new Map();

function start() {
  // Vite bundles the worker (and OpenPGP.js with it) as its own file: this exact `new URL(...)` form is what it detects.
  // The name carries the hash of the worker's sources (worker-fingerprint.mjs): importing it is what makes Vaadin
  // rebuild the bundle when only a worker module changed.
  worker = new Worker(new URL('./crypto-worker.js', import.meta.url),
    { type: 'module', name: 'essaim-crypto-' + WORKER_SOURCES.slice(0, 12) });
  worker.onmessage = ({ data }) => {
    if (data.event) {
      for (const listener of listeners.get(data.event) || []) {
        try { listener(data.detail); } catch (e) { console.error(e); }
      }
      return;
    }
    const call = pending.get(data.id);
    if (!call) return;
    pending.delete(data.id);
    if (data.error) {
      const error = new Error(inPageLanguage(data.error));
      if (data.error.name && data.error.name !== 'Error') error.name = data.error.name;
      call.reject(error);
    } else {
      call.resolve(data.result);
    }
  };
  worker.onerror = (event) => {
    // The worker could not start or crashed: every waiting call fails instead of hanging.
    const error = new Error('The crypto worker failed: ' + (event.message || 'unknown error'));
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };
  return worker;
}

/**
 * The text of an error from the worker in the page's language: errors meant for people carry a key of the bundles
 * (internal/user-error.js); the English text stays when the page has no translation for it.
 */
function inPageLanguage({ message, key, params }) {
  if (!key) return message;
  const text = t(key, ...(params || []));
  return text === key ? message : text;
}

/**
 * Calls `module.function` in the worker with structured-cloneable arguments.
 * @param {string} method - e.g. "ops.decryptMime"
 * @param {...*} args
 * @returns {Promise<*>}
 */
export function call(method, ...args) {
  const target = worker || start();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    target.postMessage({ id, method, args });
  });
}

/**
 * Listens to an event the worker emits ("lock", "search-progress", ...).
 * @returns {function(): void} removes the listener
 */
export function onEvent(name, listener) {
  if (!listeners.has(name)) listeners.set(name, new Set());
  listeners.get(name).add(listener);
  return () => listeners.get(name).delete(listener);
}
