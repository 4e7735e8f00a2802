/**
 * The little MIME structure the reader needs before a full parse: the top-level Content-Type, and the raw
 * bytes of the parts of a multipart entity exactly as transmitted (RFC 3156: a multipart/signed signature covers
 * the first part's bytes; multipart/encrypted carries the OpenPGP payload in its second part). postal-mime parses
 * the content afterwards but does not hand out raw part bytes, hence these few functions. Pure functions of
 * bytes; nothing leaves the page.
 *
 * @module essaim-mime
 */

const LATIN1 = new TextDecoder('latin1');

/**
 * Bytes as a string of the same length, one character per byte, so string indices are byte offsets.
 * @param {Uint8Array} bytes
 */
function byteString(bytes) {
  return LATIN1.decode(bytes);
}

/**
 * @typedef {Object} Entity
 * @property {Map<string,string>} headers - lower-case name -> unfolded value (first occurrence)
 * @property {string} type - lower-case media type, "text/plain" when absent
 * @property {Object<string,string>} params - Content-Type parameters, lower-case names
 * @property {Uint8Array} body - the body bytes (still transfer-encoded)
 */

/**
 * Splits an entity into headers and body.
 * @param {Uint8Array} bytes
 * @returns {Entity}
 */
export function parseEntity(bytes) {
  const text = byteString(bytes.subarray(0, Math.min(bytes.length, 256 * 1024)));
  // A part without headers starts with its blank line (RFC 2046 5.1.1); otherwise the first empty line ends them.
  const match = /^\r?\n/.exec(text) || /\r?\n\r?\n/.exec(text);
  const headerEnd = match ? match.index : text.length;
  const bodyStart = match ? match.index + match[0].length : bytes.length;
  const headers = new Map();
  const unfolded = text.slice(0, headerEnd).replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  const { type, params } = parseContentType(headers.get('content-type'));
  return { headers, type, params, body: bytes.subarray(bodyStart) };
}

/**
 * @param {?string} value - a Content-Type header value
 * @returns {{type: string, params: Object<string,string>}}
 */
export function parseContentType(value) {
  const [first, ...rest] = String(value || 'text/plain').split(';');
  const params = {};
  const paramPattern = /([^=\s;]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;\s]+)/g;
  for (const m of rest.join(';').matchAll(paramPattern)) {
    params[m[1].toLowerCase()] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2];
  }
  return { type: first.trim().toLowerCase() || 'text/plain', params };
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The parts of a multipart body, as raw bytes (headers and body of each part), without the line break that
 * belongs to the following delimiter (RFC 2046 5.1.1).
 * @param {Uint8Array} body
 * @param {string} boundary
 * @returns {Uint8Array[]}
 */
export function splitMultipart(body, boundary) {
  if (!boundary) throw new Error('The multipart message has no boundary');
  const text = byteString(body);
  const delimiter = new RegExp('(^|\\r?\\n)--' + escapeRegExp(boundary) + '(--)?[ \\t]*(\\r?\\n|$)', 'g');
  const parts = [];
  let start = -1;
  for (const m of text.matchAll(delimiter)) {
    if (start >= 0) parts.push(body.subarray(start, m.index));
    if (m[2] === '--') return parts;
    start = m.index + m[0].length;
  }
  if (start >= 0) parts.push(body.subarray(start)); // no closing delimiter: keep what is there
  return parts;
}

/**
 * The decoded body of a part as ASCII text (for armored OpenPGP data: 7bit, or base64 / quoted-printable by
 * senders that encode everything).
 * @param {Entity} entity
 */
export function bodyText(entity) {
  const encoding = (entity.headers.get('content-transfer-encoding') || '7bit').trim().toLowerCase();
  const raw = byteString(entity.body);
  if (encoding === 'base64') return atob(raw.replace(/[^A-Za-z0-9+/=]/g, ''));
  if (encoding === 'quoted-printable') {
    return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  }
  return raw;
}

/**
 * Line ends as CRLF, the canonical form signatures over MIME are made on (RFC 3156 5).
 * @param {Uint8Array} bytes
 * @returns {Uint8Array}
 */
export function canonicalCrlf(bytes) {
  let bare = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10 && (i === 0 || bytes[i - 1] !== 13)) bare++;
  if (bare === 0) return bytes;
  const out = new Uint8Array(bytes.length + bare);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10 && (i === 0 || bytes[i - 1] !== 13)) out[j++] = 13;
    out[j++] = bytes[i];
  }
  return out;
}

/**
 * The first armored block of a kind in a text, e.g. "MESSAGE" or "SIGNED MESSAGE".
 * @param {string} text
 * @param {string} kind
 * @returns {?string}
 */
export function armoredBlock(text, kind) {
  const end = kind === 'SIGNED MESSAGE' ? 'SIGNATURE' : kind;
  const pattern = new RegExp('-----BEGIN PGP ' + kind + '-----[\\s\\S]*?-----END PGP ' + end + '-----');
  const m = pattern.exec(String(text || ''));
  return m ? m[0] + '\n' : null;
}
