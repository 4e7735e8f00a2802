/**
 * The crypto worker: OpenPGP.js and every private key live here, off the page's main thread, so long operations
 * (key generation, S2K, big messages, indexing) never freeze the page. The page talks to it only through the
 * facades (essaim-crypto.js, essaim-search.js) via worker-client.js.
 *
 * Messages in: {id, method: "module.function", args}. Out: {id, result} or {id, error: {message, name}}, and
 * events {event, detail}. A module joins the worker by exporting async functions (structured-cloneable
 * arguments and results) and being listed in MODULES below; its events go through `emit`.
 *
 * @module crypto-worker
 */
import * as keyring from './internal/keyring.js';
import * as lock from './internal/lock.js';
import * as operations from './internal/operations.js';
import * as contacts from './internal/contacts.js';
import * as subjects from './internal/subjects.js';
import * as search from './internal/search.js';
import * as tabSession from './internal/tab-session.js';
import * as spamFilter from './internal/spam-filter.js';

function emit(event, detail) {
  self.postMessage({ event, detail });
}
lock.setEmitter(emit);
search.setEmitter(emit);

/** The functions the page may call, by module. Nothing else in the worker is reachable. */
const MODULES = {
  // Listed one by one: keyring also has internal helpers (e.g. the unlocked key object) that must not be reachable.
  keys: pick(keyring, ['selectAccount', 'status', 'generateKey', 'importPrivateKey', 'markBackup', 'unlock',
    'exportPrivateKey', 'exportPublicKey', 'fingerprint', 'describePublicKeys', 'createRevocation', 'removeKey']),
  lock: {
    lock: async (reason) => lock.lock(reason === 'pagehide' ? 'pagehide' : 'user'),
    touch: async () => lock.touch(),
    isUnlocked: async () => lock.isUnlocked(),
    setIdleMinutes: async (minutes) => lock.setIdleMinutes(minutes),
  },
  ops: pick(operations, ['encrypt', 'decrypt', 'sign', 'verify', 'decryptMime', 'verifySigned']),
  contacts: pick(contacts, ['importContactKey', 'contactKeys', 'removeContactKey', 'contactKeyFor', 'learnAutocrypt']),
  subjects: pick(subjects, ['encryptSubject', 'decryptSubject']),
  tab: pick(tabSession, ['keep', 'resume']),
  search: pick(search, ['open', 'sync', 'query', 'setBodies', 'status', 'clear', 'conversations', 'conversationOf', 'messageText']),
  spam: pick(spamFilter, ['open', 'train', 'check', 'status', 'share']),
};

function pick(module, names) {
  return Object.fromEntries(names.map((name) => {
    if (typeof module[name] !== 'function') throw new Error('Missing worker function ' + name);
    return [name, module[name]];
  }));
}

function methodFor(name) {
  const [module, fn] = String(name).split('.');
  const table = Object.prototype.hasOwnProperty.call(MODULES, module) ? MODULES[module] : null;
  const method = table && Object.prototype.hasOwnProperty.call(table, fn) ? table[fn] : null;
  if (typeof method !== 'function') throw new Error('No such crypto worker method: ' + name);
  return method;
}

self.onmessage = async ({ data }) => {
  const { id, method, args } = data;
  try {
    const result = await methodFor(method)(...(args || []));
    self.postMessage({ id, result });
  } catch (e) {
    // key/params: an error for people (internal/user-error.js), translated on the page.
    self.postMessage({ id, error: { message: (e && e.message) || String(e), name: e && e.name,
      key: e && typeof e.key === 'string' ? e.key : null, params: e && Array.isArray(e.params) ? e.params : [] } });
  }
};
