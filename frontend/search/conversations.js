/**
 * Conversations: messages grouped by their Message-ID, In-Reply-To and References headers (RFC 5322 3.6.4), which
 * for encrypted mail are read from the protected headers in the browser. Two messages are in one conversation
 * when one refers to the other, or both refer to a common message (even one this mailbox does not hold, e.g. the
 * original of two replies). Subjects are not used to group: unrelated mails titled "Hello" stay apart. Pure functions.
 *
 * @module conversations
 */
import { baseSubject } from '../webmail/subject-lines.js';

/** @param {?string} header - References / In-Reply-To value @returns {string[]} the message ids, with brackets */
export function messageIds(header) {
  return (String(header || '').match(/<[^<>\s]+>/g) || []).map((id) => id.toLowerCase());
}

function unionFind() {
  const parent = new Map();
  const find = (x) => {
    if (!parent.has(x)) parent.set(x, x);
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root);
    while (parent.get(x) !== root) { const next = parent.get(x); parent.set(x, root); x = next; }
    return root;
  };
  const union = (a, b) => { const ra = find(a); const rb = find(b); if (ra !== rb) parent.set(ra, rb); };
  return { find, union };
}

/**
 * @param {{id: string, date: number, subject: string, seen?: boolean, messageId?: ?string, inReplyTo?: ?string,
 *          references?: ?string}[]} docs
 * @returns {{key: string, subject: string, latest: number, unread: number, messages: Object[]}[]} newest
 *          conversation first; messages oldest first
 */
export function conversations(docs) {
  const { find, union } = unionFind();
  const keyOf = (doc) => {
    const own = messageIds(doc.messageId)[0];
    return own || 'doc:' + doc.id;
  };
  for (const doc of docs) {
    const own = keyOf(doc);
    find(own);
    for (const ref of [...messageIds(doc.references), ...messageIds(doc.inReplyTo)]) union(own, ref);
  }
  const groups = new Map();
  for (const doc of docs) {
    const root = find(keyOf(doc));
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root).push(doc);
  }
  const result = [];
  for (const [key, messages] of groups) {
    // Same Date header (seconds resolution, or a sender's clock): arrival order (the UID) decides.
    messages.sort((a, b) => (a.date || 0) - (b.date || 0) || (a.uid || 0) - (b.uid || 0));
    const first = messages.find((m) => m.subject) || messages[0];
    result.push({
      key,
      subject: baseSubject(first.subject),
      latest: Math.max(...messages.map((m) => m.date || 0)),
      unread: messages.filter((m) => m.seen === false).length,
      messages,
    });
  }
  return result.sort((a, b) => b.latest - a.latest);
}

/** The conversation holding a message, or null. */
export function conversationOf(docs, docId) {
  return conversations(docs).find((c) => c.messages.some((m) => m.id === docId)) || null;
}
