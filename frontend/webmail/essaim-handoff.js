/**
 * Hands decrypted content from the reader to the composer (reply, reply-all, forward) inside this page's
 * memory. Vaadin navigates without reloading the page, so a module variable survives the route change.
 * Nothing here is stored (no sessionStorage, no IndexedDB) and nothing is sent to the server.
 *
 * @module essaim-handoff
 */

/**
 * What the reader hands over.
 * @typedef {Object} Quote
 * @property {string} key - "<folder>/<uid>" of the original message; the composer checks it matches its route
 * @property {string} mode - "reply", "reply-all" or "forward"
 * @property {string} subject - the original (decrypted) subject
 * @property {string} from - the original sender as displayed
 * @property {?string} date - ISO date of the original
 * @property {string} text - the original text (the text part, or the HTML part's text)
 * @property {{filename: string, mimeType: string, content: Uint8Array}[]} attachments - for forward only
 */

let pending = null;

/** @param {Quote} quote */
export function handOver(quote) {
  pending = quote;
}

/**
 * Takes the quote for a given original message, once.
 * @param {string} key - "<folder>/<uid>"
 * @returns {?Quote}
 */
export function takeOver(key) {
  const quote = pending;
  pending = null;
  return quote && quote.key === key ? quote : null;
}
