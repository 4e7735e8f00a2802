/**
 * Autocrypt Level 1 (autocrypt.org/level1.html), the parts that are pure text: reading `Autocrypt:` and
 * `Autocrypt-Gossip:` header values, finding them in a message's header block, and writing gossip headers for
 * the inner (encrypted) part. The key itself is checked and kept by the crypto worker (internal/contacts.js).
 *
 * @module autocrypt
 */

/**
 * @param {?string} value - an Autocrypt or Autocrypt-Gossip header value (unfolded or not)
 * @returns {?{addr: string, preferEncrypt: ?string, keydata: string}} null when the header must be ignored:
 *          no addr or keydata, or an unknown critical attribute (one not starting with "_"), as the spec says
 */
export function parseAutocrypt(value) {
  if (!value) return null;
  const attributes = {};
  for (const part of String(value).split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    attributes[name] = part.slice(eq + 1);
  }
  for (const name of Object.keys(attributes)) {
    if (!['addr', 'prefer-encrypt', 'keydata'].includes(name) && !name.startsWith('_')) return null;
  }
  const addr = (attributes.addr || '').trim().toLowerCase();
  const keydata = (attributes.keydata || '').replace(/\s+/g, '');
  if (!addr.includes('@') || !/^[A-Za-z0-9+/]+=*$/.test(keydata)) return null;
  const preferEncrypt = attributes['prefer-encrypt'] ? attributes['prefer-encrypt'].trim().toLowerCase() : null;
  return { addr, preferEncrypt, keydata };
}

/**
 * Every value of a header in a header block (the text before the first empty line), unfolded.
 * @param {string} text - a message or part, as text (latin1 is fine: header values are ASCII here)
 * @param {string} name
 * @returns {string[]}
 */
export function headerValues(text, name) {
  const block = String(text || '').split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const wanted = name.toLowerCase() + ':';
  return block.split(/\r?\n/).filter((line) => line.toLowerCase().startsWith(wanted))
    .map((line) => line.slice(wanted.length).trim());
}

/** The base64 of an armored key's binary packets (what keydata= holds). */
export function keydataOfArmored(armored) {
  const lines = String(armored || '').replace(/\r\n/g, '\n').split('\n');
  const body = [];
  let inBody = false;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith('-----BEGIN ')) { inBody = false; continue; }
    if (trimmed.startsWith('-----END ')) break;
    if (!inBody) { inBody = trimmed === ''; continue; }
    if (/^=[A-Za-z0-9+/]{4}$/.test(trimmed)) break; // CRC-24 checksum
    body.push(trimmed);
  }
  return body.join('');
}

/**
 * `Autocrypt-Gossip:` header lines for the inner part of a message to several recipients, so each can encrypt to
 * the others when answering all (section 2.7).
 * @param {{address: string, armored: string}[]} recipients - those with a key
 * @returns {string[]} header lines (folded, CRLF), one per recipient
 */
export function gossipHeaders(recipients) {
  if (recipients.length < 2) return [];
  return recipients.map((r) => {
    const keydata = keydataOfArmored(r.armored);
    const folded = keydata.match(/.{1,76}/g) || [];
    return 'Autocrypt-Gossip: addr=' + r.address.toLowerCase() + '; keydata=' + folded.map((l) => '\r\n ' + l).join('');
  });
}
