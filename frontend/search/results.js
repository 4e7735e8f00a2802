/**
 * The results of a search, as the page lists them: newest first, a page at a time.
 *
 * @module results
 */

const dateOf = (doc) => doc.date || 0;

/**
 * The `n` newest documents, newest first; documents of the same date keep their order (as a stable sort would).
 * Without sorting them all: a common word matches thousands of messages and the page shows 50.
 * @template {{date?: number}} T
 * @param {T[]} docs
 * @param {number} n
 * @returns {T[]}
 */
export function newest(docs, n) {
  if (docs.length <= n) return docs.slice().sort((a, b) => dateOf(b) - dateOf(a));
  const top = [];
  for (const doc of docs) {
    const date = dateOf(doc);
    if (top.length === n && date <= dateOf(top[n - 1])) continue;
    let low = 0;
    let high = top.length;
    while (low < high) { // after every document at least as new: same-date documents keep their order
      const middle = (low + high) >> 1;
      if (dateOf(top[middle]) >= date) low = middle + 1; else high = middle;
    }
    top.splice(low, 0, doc);
    if (top.length > n) top.pop();
  }
  return top;
}
