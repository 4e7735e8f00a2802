/**
 * Subject lines, pure functions: the placeholder outer Subject of mail with protected headers, which subject to
 * show, and the "Re:"/"Fwd:" of answers.
 *
 * @module subject-lines
 */

/** The outer Subject of encrypted mail whose real subject is protected (RFC 3156 + protected headers). */
export const HIDDEN_SUBJECT = '...';

/** @param {?string} subject @returns {boolean} whether this is the placeholder, not a real subject */
export function isHiddenSubject(subject) {
  return String(subject ?? '').trim() === HIDDEN_SUBJECT;
}

/**
 * The subject to show: the protected (inner) one, else the outer one unless it is the placeholder.
 * @param {?string} inner - Subject of the decrypted part
 * @param {?string} outer - Subject header of the stored message
 * @returns {?string} null when no real subject is known
 */
export function shownSubject(inner, outer) {
  if (inner && !isHiddenSubject(inner)) return inner;
  if (outer && !isHiddenSubject(outer)) return outer;
  return null;
}

/**
 * The subject of an answer: "Re: x" / "Fwd: x", without stacking prefixes ("Re: Re: x") on the same kind.
 * Also recognises the French forms mail clients write ("RE :", "TR :", "Réf :").
 * @param {'Re'|'Fwd'} prefix
 * @param {?string} subject
 */
export function answerSubject(prefix, subject) {
  const text = String(subject || '').trim();
  const same = prefix === 'Re' ? /^(re|aw|réf)\s?:/i : /^(fwd?|tr|wg)\s?:/i;
  return same.test(text) ? text : prefix + ': ' + text;
}

/**
 * The subject without answer prefixes, to group a conversation and to compare subjects.
 * @param {?string} subject
 */
export function baseSubject(subject) {
  let text = String(subject || '').trim();
  const prefix = /^((re|aw|réf|fwd?|tr|wg)\s?(\[\d+\])?\s?:\s*)/i;
  while (prefix.test(text)) text = text.replace(prefix, '');
  return text;
}
