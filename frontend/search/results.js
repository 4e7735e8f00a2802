/**
 * The results of a search, as the page lists them: newest first, a page at a time.
 *
 * @module results
 */

const dateOf = (doc) => doc.date || 0;

/**
 * Newest first: by date, then, for the same date (many messages share one: a Date header counts whole seconds, a
 * bulk import or a mailing list stamps one for all), the later arrival first (higher UID), then by folder. A total
 * order: the list never depends on the order in which the index happened to learn of the messages (a snapshot,
 * the records replayed after it, syncs that each added some), so the same search always lists the same way.
 * @param {{date?: number, uid?: number, folder?: string}} a
 * @param {{date?: number, uid?: number, folder?: string}} b
 * @returns {number} negative when `a` comes first
 */
export function newestFirst(a, b) {
  return (dateOf(b) - dateOf(a)) || ((b.uid || 0) - (a.uid || 0))
    || (a.folder === b.folder ? 0 : (a.folder || '') < (b.folder || '') ? -1 : 1);
}

/**
 * The `n` first documents in {@link newestFirst} order, without sorting them all: a common word matches thousands
 * of messages and the page shows 50.
 * @template {{date?: number, uid?: number, folder?: string}} T
 * @param {T[]} docs
 * @param {number} n
 * @returns {T[]}
 */
export function newest(docs, n) {
  if (docs.length <= n) return docs.slice().sort(newestFirst);
  const top = [];
  for (const doc of docs) {
    if (top.length === n && newestFirst(doc, top[n - 1]) >= 0) continue;
    let low = 0;
    let high = top.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (newestFirst(top[middle], doc) <= 0) low = middle + 1; else high = middle;
    }
    top.splice(low, 0, doc);
    if (top.length > n) top.pop();
  }
  return top;
}
