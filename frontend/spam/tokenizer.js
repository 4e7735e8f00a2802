/**
 * The tokens of a decrypted message, for the member's own classifier (classifier.js): the server's tokenizer
 * (src/main/java/org/essaim/spam/Tokenizer.java) on postal-mime's parse of the message, with the same prefixes,
 * so that words and shapes count the same way on both sides. Each token once per message.
 *
 * @module spam/tokenizer
 */

const MAX_TEXT = 100000;
const MAX_TAGS = 2000;
const TRIM = `"'()[]{}<>,.;:?*-_=#+/\\|\`~^&@`;
const URL = /(?:https?|ftp):\/\/([a-z0-9.-]+)/gi;
const HTML_TAG = /<\s*(\/?)([a-zA-Z][a-zA-Z0-9]{0,15})([^>]{0,500})>/g;
const ATTRIBUTE = /([a-zA-Z-]{1,20})\s*=/g;
const IP_HOST = /^\d{1,3}(\.\d{1,3}){3}$/;
/** Headers whose presence the server's tokenizer counts (MessageText.COUNTED_HEADERS). */
const COUNTED_HEADERS = new Set(['reply-to', 'cc', 'sender', 'in-reply-to', 'references', 'list-id',
  'list-unsubscribe', 'precedence', 'organization', 'content-transfer-encoding', 'x-mailer', 'user-agent',
  'x-priority', 'x-msmail-priority', 'importance', 'to', 'message-id', 'date', 'mime-version', 'errors-to',
  'x-mimeole', 'disposition-notification-to', 'return-receipt-to', 'comments', 'x-originating-ip',
  'x-accept-language', 'thread-index', 'content-class']);
const SHAPE_PREFIXES = ['tag:', 'attr:', 'mime:', 'html:', 'to:', 'mid:', 'date:', 'links:', 'subject:', 'body:',
  'h:', 'ct:', 'part:', 'charset:'];

/** Tokens that describe a message's form rather than its words (at most a few count: classifier.js). */
export function isShape(token) {
  return SHAPE_PREFIXES.some((prefix) => token.startsWith(prefix));
}

function trim(word) {
  let start = 0;
  let end = word.length;
  while (start < end && TRIM.includes(word[start])) start++;
  while (end > start && TRIM.includes(word[end - 1])) end--;
  return word.slice(start, end);
}

function words(text, prefix, tokens) {
  for (const raw of String(text || '').split(/\s+/)) {
    const word = trim(raw).toLowerCase();
    if (word.length < 3) continue;
    tokens.add(word.length > 12 ? `${prefix}skip:${word[0]} ${Math.floor(word.length / 10) * 10}` : prefix + word);
  }
}

function link(host, tokens) {
  const lower = host.toLowerCase();
  tokens.add('url:' + lower);
  if (IP_HOST.test(lower)) {
    tokens.add('url:ip-address');
    return;
  }
  const labels = lower.split('.');
  if (labels.length >= 2) tokens.add(`urldom:${labels[labels.length - 2]}.${labels[labels.length - 1]}`);
}

function links(text, tokens) {
  for (const match of String(text).matchAll(URL)) link(match[1], tokens);
}

function htmlShape(html, tokens) {
  links(html, tokens);
  let count = 0;
  for (const tag of html.matchAll(HTML_TAG)) {
    if (count++ >= MAX_TAGS) break;
    if (tag[1]) continue;
    const name = tag[2].toLowerCase();
    tokens.add('tag:' + name);
    for (const attribute of tag[3].matchAll(ATTRIBUTE)) tokens.add(`attr:${name}.${attribute[1].toLowerCase()}`);
  }
  if (html.includes('<!--')) tokens.add('html:comment');
  if (html.includes('&#')) tokens.add('html:numeric-entity');
}

function subjectShape(subject, tokens) {
  const letters = subject.replace(/[^\p{L}]/gu, '');
  const upper = letters.replace(/[^\p{Lu}]/gu, '');
  if (letters.length >= 6 && upper.length * 10 >= letters.length * 7) tokens.add('subject:caps');
  if (subject.includes('!')) tokens.add('subject:!');
  if (subject.includes('$')) tokens.add('subject:$');
  if (/^\s*(re|fwd?|aw|tr)\s*:/is.test(subject)) tokens.add('subject:reply');
  if (!subject.trim()) tokens.add('subject:empty');
}

/**
 * @param {Object} email - postal-mime's parse: {subject, from: {address, name}, headers: [{key, value}], text,
 *        html, attachments: [{mimeType}]}
 * @returns {Set<string>}
 */
export function tokens(email) {
  const tokens = new Set();
  const subject = String(email.subject || '');
  words(subject, 's:', tokens);
  const from = String((email.from && email.from.address) || '').toLowerCase();
  if (from) {
    tokens.add('from:' + from);
    const at = from.lastIndexOf('@');
    if (at >= 0) tokens.add('fromdom:' + from.slice(at + 1));
  } else {
    tokens.add('from:none');
  }
  words(email.from && email.from.name, 'fn:', tokens);
  const headers = new Map((email.headers || []).map((h) => [String(h.key).toLowerCase(), String(h.value || '')]));
  const contentType = (headers.get('content-type') || 'text/plain').split(';')[0].trim().toLowerCase();
  tokens.add('ct:' + contentType);
  for (const [name, value] of headers) {
    if (!COUNTED_HEADERS.has(name)) continue;
    tokens.add('h:' + name);
    if (name === 'x-mailer' || name === 'user-agent') words(value, 'xm:', tokens);
  }
  for (const attachment of email.attachments || []) {
    tokens.add('part:' + String(attachment.mimeType || 'application/octet-stream').toLowerCase());
  }
  let budget = MAX_TEXT;
  if (email.text) {
    const text = String(email.text).slice(0, budget);
    links(text, tokens);
    words(text, '', tokens);
    budget -= text.length;
  }
  if (email.html) {
    tokens.add('part:html');
    const html = String(email.html).slice(0, Math.max(0, budget));
    htmlShape(html, tokens);
    words(html.replace(/<[^>]*>/g, ' '), '', tokens);
    if (!email.text) tokens.add('body:html-only');
  }
  subjectShape(subject, tokens);
  const at = from.lastIndexOf('@');
  const labels = at < 0 ? [] : from.slice(at + 1).split('.');
  const fromDomain = labels.length >= 2 ? `${labels[labels.length - 2]}.${labels[labels.length - 1]}` : '';
  const domains = [...tokens].filter((t) => t.startsWith('urldom:')).length;
  if (domains === 0) {
    tokens.add('links:none');
  } else {
    tokens.add('links:domains ' + Math.min(domains, 5));
    tokens.add(tokens.has('urldom:' + fromDomain) ? 'links:to-sender' : 'links:elsewhere');
  }
  return tokens;
}
