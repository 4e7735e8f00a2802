/**
 * The search field's language, parsed into words and filters. Pure functions, shared by the page and the
 * search index in the crypto worker.
 *
 *   from:ada to:bob subject:"lunch plans" has:attachment before:2026-01-31 after:2025-12-01 in:archive words
 *
 * French forms work too: de: à: objet: a:pj avant: après: dans:. Values may be quoted. Dates are YYYY-MM-DD,
 * in the browser's time zone; `before:` is exclusive, `after:` inclusive of that day.
 *
 * @module query
 */

const OPERATORS = {
  from: 'from', de: 'from',
  to: 'to', 'à': 'to',
  subject: 'subject', objet: 'subject',
  has: 'has', a: 'has',
  before: 'before', avant: 'before',
  after: 'after', 'après': 'after', apres: 'after',
  in: 'in', dans: 'in',
};
const ATTACHMENT = new Set(['attachment', 'attachments', 'pj', 'piece-jointe', 'pièce-jointe', 'fichier']);
const TOKEN = /(\S+?):("[^"]*"|\S+)|"([^"]*)"|(\S+)/g;

/** Lower case without accents, so "Café" finds "cafe" and the other way round. */
export function normalize(text) {
  return String(text ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** @param {string} value @returns {?number} the local midnight of a YYYY-MM-DD date, in ms */
function dayStart(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(date.getTime()) ? null : date.getTime();
}

/**
 * @typedef {Object} Query
 * @property {string} text - the free words (phrases keep their words), for the full-text index
 * @property {string[]} from - each must occur in the sender
 * @property {string[]} to - each must occur in a recipient (To or Cc)
 * @property {string[]} subject - each must occur in the subject
 * @property {boolean} hasAttachment
 * @property {?number} before - ms; the message is older than this
 * @property {?number} after - ms; the message is this old or newer
 * @property {?string} folder - a folder name (any case)
 * @property {string[]} problems - parts not understood (e.g. a bad date), to show the user
 */

/** @param {string} input @returns {Query} */
export function parseQuery(input) {
  const query = { text: '', from: [], to: [], subject: [], hasAttachment: false, before: null, after: null, folder: null, problems: [] };
  const words = [];
  for (const m of String(input || '').matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      const operator = OPERATORS[m[1].toLowerCase()];
      const value = m[2].replace(/^"|"$/g, '').trim();
      if (!operator) {
        words.push(m[0]); // "http://x" or "10:30": an ordinary word
        continue;
      }
      if (!value) continue;
      if (operator === 'has') {
        if (ATTACHMENT.has(normalize(value))) query.hasAttachment = true; else query.problems.push(m[0]);
      } else if (operator === 'before' || operator === 'after') {
        const day = dayStart(value);
        if (day === null) query.problems.push(m[0]);
        else if (operator === 'before') query.before = day;
        else query.after = day;
      } else if (operator === 'in') {
        query.folder = value;
      } else {
        query[operator].push(normalize(value));
      }
    } else {
      words.push(m[3] !== undefined ? m[3] : m[4]);
    }
  }
  query.text = words.join(' ').trim();
  return query;
}

/** @param {Query} query @returns {boolean} whether the query asks for anything */
export function isEmptyQuery(query) {
  return !query.text && !query.from.length && !query.to.length && !query.subject.length && !query.hasAttachment
    && query.before === null && query.after === null && query.folder === null;
}

const FOLDER_ALIASES = {
  inbox: 'INBOX', 'boîte de réception': 'INBOX', reception: 'INBOX', 'réception': 'INBOX',
  sent: 'Sent', 'envoyés': 'Sent', envoyes: 'Sent', drafts: 'Drafts', brouillons: 'Drafts',
  trash: 'Trash', corbeille: 'Trash', archive: 'Archive', archives: 'Archive',
};

/** @returns {boolean} whether a folder name is what `in:` asked for */
export function folderMatches(folder, wanted) {
  if (wanted === null || wanted === undefined) return true;
  const alias = FOLDER_ALIASES[wanted.toLowerCase()] || wanted;
  return String(folder).toLowerCase() === alias.toLowerCase();
}

/**
 * The fields the operators look into, as they compare them (see normalize): a search index keeps them per
 * document instead of normalising every document again for every query.
 * @param {{from: string, to: string, subject: string}} doc
 */
export function normalizedFields(doc) {
  return { from: normalize(doc.from), to: normalize(doc.to), subject: normalize(doc.subject) };
}

/**
 * Whether an indexed message passes the query's filters (the free words are the index's business).
 * @param {{folder: string, date: number, from: string, to: string, subject: string, hasAttachment: boolean}} doc
 * @param {Query} query
 * @param {{from: string, to: string, subject: string}} [normalized] - normalizedFields(doc), when kept
 */
export function matchesFilters(doc, query, normalized = normalizedFields(doc)) {
  const { from, to, subject } = normalized;
  return query.from.every((v) => from.includes(v))
    && query.to.every((v) => to.includes(v))
    && query.subject.every((v) => subject.includes(v))
    && (!query.hasAttachment || doc.hasAttachment === true)
    && (query.before === null || (doc.date || 0) < query.before)
    && (query.after === null || (doc.date || 0) >= query.after)
    && folderMatches(doc.folder, query.folder);
}
