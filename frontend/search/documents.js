/**
 * What the search index keeps of a message: metadata (from the list: outer headers and the decrypted subject) and,
 * when the user turned body indexing on, the text of the decrypted body. Pure functions.
 *
 * @module documents
 */

/** Body text kept per message: enough for search, bounded so the index stays small (SEARCH.md: 20 KB). */
export const MAX_BODY_CHARS = 20_000;

/** @returns {string} the index's id of a message */
export function docId(folder, uid) {
  return folder + '\u0000' + uid;
}

/**
 * A metadata document from a row of the server's list.
 * @param {string} folder
 * @param {{uid: number, from: string, to: string, cc: string, date: ?number, size: number, seen: boolean,
 *          flagged: boolean, subject: ?string, messageId: ?string, inReplyTo: ?string, references: ?string,
 *          multipart: ?string}} row - `multipart` is the outer Content-Type (clear mail: attachments are visible)
 * @param {?string} subject - the decrypted protected subject, or the outer one
 */
export function metadataDoc(folder, row, subject) {
  return {
    id: docId(folder, row.uid),
    folder,
    uid: row.uid,
    date: row.date || 0,
    from: row.from || '',
    to: [row.to, row.cc].filter(Boolean).join(', '),
    subject: subject || '',
    body: '',
    bodyIndexed: false,
    hasAttachment: /^multipart\/mixed/i.test(row.contentType || ''),
    seen: !!row.seen,
    flagged: !!row.flagged,
    size: row.size || 0,
    messageId: row.messageId || null,
    inReplyTo: row.inReplyTo || null,
    references: row.references || null,
  };
}

function addressText(a) {
  if (!a) return '';
  if (a.group) return a.group.map(addressText).join(', ');
  return a.name ? `${a.name} <${a.address}>` : (a.address || '');
}

/** Plain text of an HTML body without a DOM (the worker has none): tags out, entities for the common cases. */
export function htmlToText(html) {
  return String(html || '')
    .replace(/<(style|script)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ').replace(/&lt;/gi, '<').replace(/&gt;/gi, '>').replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'").replace(/&amp;/gi, '&')
    .replace(/[ \t]+/g, ' ').replace(/ *\n */g, '\n').replace(/\n+/g, '\n').trim();
}

/**
 * The document with the decrypted message's content: body text (bounded), the protected headers where the
 * outer ones were placeholders, and whether it has attachments.
 * @param {Object} doc - a metadata document
 * @param {Object} email - postal-mime's parse of the decrypted message
 */
export function withBody(doc, email) {
  const text = email.text || htmlToText(email.html);
  const attachments = (email.attachments || []).filter((a) => !/^application\/pgp-(signature|encrypted|keys)$/i.test(a.mimeType || ''));
  return {
    ...doc,
    subject: email.subject && email.subject !== '...' ? email.subject : doc.subject,
    from: email.from ? addressText(email.from) : doc.from,
    to: email.to || email.cc ? [...(email.to || []), ...(email.cc || [])].map(addressText).join(', ') : doc.to,
    body: String(text || '').slice(0, MAX_BODY_CHARS),
    bodyIndexed: true,
    hasAttachment: attachments.length > 0 || doc.hasAttachment,
    messageId: email.messageId || doc.messageId,
    inReplyTo: email.inReplyTo || doc.inReplyTo,
    references: email.references || doc.references,
  };
}
