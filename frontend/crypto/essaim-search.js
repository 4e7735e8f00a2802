/**
 * The page's facade to the search index in the crypto worker (internal/search.js). Queries and results stay in
 * this page: call these from client-side elements only, never hand a query or a result to a Vaadin field.
 *
 * @module essaim-search
 */
import { call, onEvent } from './worker-client.js';

/**
 * Opens the account's index (the key must be unlocked; selectAccount() first).
 * @param {string} source - URL of the page's mail source (relative URLs are resolved against the page)
 * @returns {Promise<{open: boolean, docs?: number, bodiesIndexed?: number, bodies?: string}>}
 */
export function openIndex(source) {
  return call('search.open', { source: new URL(source, document.baseURI).href });
}

/** Brings the index up to date (new mail, moves, deletes, flags). */
export function syncIndex() {
  return call('search.sync');
}

/**
 * @param {string} text - words and operators (from: to: subject: has:attachment before: after: in:)
 * @param {{limit?: number}} [options] - how many of the newest results to return (50 unless asked; total counts all)
 * @returns {Promise<{results: {folder: string, uid: number, date: number, from: string, to: string, subject: string,
 *          hasAttachment: boolean, seen: boolean}[], total: number, ms: number, problems: string[]}>}
 */
export function search(text, options = {}) {
  return call('search.query', text, options);
}

/** @param {"running"|"paused"|"off"} mode - body indexing */
export function setBodyIndexing(mode) {
  return call('search.setBodies', mode);
}

export function indexStatus() {
  return call('search.status');
}

/** Forgets the index in this browser. */
export function clearIndex() {
  return call('search.clear');
}

/**
 * Progress of indexing: {phase: "metadata"|"bodies", done, total, state?, finished?}.
 * @returns {function(): void} removes the listener
 */
export function onIndexProgress(listener) {
  return onEvent('search-progress', listener);
}

/** The conversations with a message in a folder, newest first (see internal/search.js). */
export function conversationsIn(folder) {
  return call('search.conversations', folder);
}

/** The messages of the conversation holding a message, oldest first. */
export function conversationOf(folder, uid) {
  return call('search.conversationOf', folder, uid);
}

/**
 * The decrypted text of one message of a conversation (the reader shows the whole conversation).
 * @returns {Promise<?{folder: string, uid: number, text: string}>} null when it no longer exists
 */
export function conversationMessage(folder, uid) {
  return call('search.messageText', folder, uid);
}
