/**
 * Which documents hold every word of a query (each word also as the start of a longer one), without ranking them.
 *
 * The search results are listed newest first, never by relevance, so MiniSearch's scoring (BM25 for every
 * matching term of every document, and a record of which term matched in which field) is work thrown away: on
 * 10 000 indexed bodies a 3-letter word expands to thousands of terms and a query took 400 ms (docs/benchmarks.md).
 * Here each word's prefix is looked up in the same index (MiniSearch's radix tree), the documents of every term
 * it covers are marked, and the words' sets are intersected: the same documents as `search(text, {prefix: true,
 * combineWith: 'AND'})`, without the scores.
 *
 * This reads three of MiniSearch's fields (`_index`, the term tree; `_documentIds`, its short ids; `_nextId`): minisearch is
 * pinned (7.2.0) and matching.test.js checks both paths agree on a corpus with removals and replacements. When the
 * fields are not what this expects, it falls back to MiniSearch's own search.
 *
 * @module matching
 */
import MiniSearch from 'minisearch';

/** @returns {boolean} whether the index exposes what the direct path needs */
export function canMatchDirectly(mini) {
  return !!mini && !!mini._index && typeof mini._index.atPrefix === 'function' && mini._documentIds instanceof Map
    && Number.isInteger(mini._nextId);
}

/**
 * @param {MiniSearch} mini
 * @param {string} text - the free words of the query
 * @param {function(string): string} processTerm - the index's own term processing
 * @returns {string[]} ids of the documents holding every word, in no particular order
 */
export function matchingIds(mini, text, processTerm) {
  const terms = MiniSearch.getDefault('tokenize')(text).map((t) => processTerm(t)).filter((t) => !!t);
  if (terms.length === 0) return [];
  if (!canMatchDirectly(mini)) {
    return mini.search(text, { prefix: true, combineWith: 'AND' }).map((hit) => hit.id);
  }
  const live = mini._documentIds;
  // rounds[shortId] = how many of the words a document holds so far (short ids are small integers, given in order).
  const rounds = new Uint8Array(mini._nextId);
  const words = [...new Set(terms)].slice(0, 255);
  let candidates = live.size; // documents that held every word so far
  for (let round = 1; round <= words.length; round++) {
    let advanced = 0;
    terms: for (const [, fields] of mini._index.atPrefix(words[round - 1])) {
      for (const postings of fields.values()) {
        for (const shortId of postings.keys()) {
          if (rounds[shortId] === round - 1 && live.has(shortId)) {
            rounds[shortId] = round;
            // Every candidate found: the longer terms of this prefix cannot add any.
            if (++advanced === candidates) break terms;
          }
        }
      }
    }
    if (advanced === 0) return [];
    candidates = advanced;
  }
  const ids = [];
  for (const [shortId, id] of live) if (rounds[shortId] === words.length) ids.push(id);
  return ids;
}