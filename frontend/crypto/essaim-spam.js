/**
 * The page's facade to the member's own spam filter in the crypto worker (internal/spam-filter.js). Messages are
 * read, decrypted and judged in the worker; the page hears back only counts and which UIDs to move.
 *
 * @module essaim-spam
 */
import { call } from './worker-client.js';

/** Opens the filter (the key must be unlocked; selectAccount() first). URLs are resolved against the page. */
export function openSpamFilter(source, store) {
  return call('spam.open', { source: new URL(source, document.baseURI).href, store: new URL(store, document.baseURI).href });
}

/** Learns messages of a folder as spam (true) or not spam (false), before the page moves them. */
export function trainSpamFilter(folder, uids, spam) {
  return call('spam.train', folder, uids, spam);
}

/** @returns {Promise<{refile: {uid: number, score: number}[]}>} new Inbox mail the filter finds spammy */
export function checkInbox() {
  return call('spam.check');
}

export function spamFilterStatus() {
  return call('spam.status');
}

/** Decrypts one message in the worker and shares it with the server as spam (after the member's consent). */
export function shareAsSpam(folder, uid) {
  return call('spam.share', folder, uid);
}
