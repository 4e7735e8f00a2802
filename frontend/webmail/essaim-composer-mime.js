/**
 * Builds the inner MIME message of the composer (what gets encrypted), in the browser.
 *
 * A small builder instead of mimetext / emailjs-mime-builder: Essaim needs exact control of three things those
 * libraries decide for themselves — the protected headers (draft-ietf-lamps-header-protection / Autocrypt
 * "protected-headers=v1": the real Subject, From, To, Cc, Date and Message-ID on the inner root part), a
 * Message-ID chosen by the server (the same one goes on the outer message and the Sent copy), and no Bcc
 * header anywhere. Everything is 7-bit: text and attachments in base64, non-ASCII headers as RFC 2047 words.
 *
 * @module essaim-composer-mime
 */

const CRLF = '\r\n';

/** @param {Uint8Array} bytes @returns {string} base64 in lines of 76 characters */
export function base64Lines(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  const encoded = btoa(binary);
  const lines = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines.join(CRLF);
}

const isPrintableAscii = (text) => /^[\x20-\x7e]*$/.test(text);

/**
 * A header value as RFC 2047 encoded words when it holds non-ASCII or is long; each word stays under 76 chars
 * and never splits a UTF-8 sequence.
 * @param {string} text
 */
export function encodeHeaderText(text) {
  const value = String(text ?? '').replace(/[\r\n]+/g, ' ');
  if (isPrintableAscii(value) && value.length <= 60) return value;
  const words = [];
  let chunk = '';
  for (const char of value) {
    if (new TextEncoder().encode(chunk + char).length > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => '=?UTF-8?B?' + base64Lines(new TextEncoder().encode(w)) + '?=').join(CRLF + ' ');
}

function addressList(addresses) {
  return addresses.join(',' + CRLF + ' ');
}

function fileNameParameters(filename) {
  const name = String(filename || 'attachment').replace(/[\r\n]/g, ' ');
  if (isPrintableAscii(name) && !/["\\]/.test(name)) return { type: `name="${name}"`, disposition: `filename="${name}"` };
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return { type: `name*=UTF-8''${encoded}`, disposition: `filename*=UTF-8''${encoded}` };
}

function safeMimeType(type) {
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i.test(type || '') ? type : 'application/octet-stream';
}

function boundary() {
  const random = new Uint8Array(18);
  crypto.getRandomValues(random);
  return 'essaim-' + Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** RFC 5322 date of a Date object, in UTC. */
export function mailDate(date) {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/**
 * The inner message: protected headers, a text/plain part (UTF-8, base64) and the attachments (base64).
 * @param {Object} m
 * @param {string} m.from @param {string[]} m.to @param {string[]} m.cc
 * @param {string} m.subject @param {Date} m.date @param {string} m.messageId - with angle brackets
 * @param {?string} [m.inReplyTo] @param {?string} [m.references]
 * @param {string} m.text
 * @param {{filename: string, mimeType: string, content: Uint8Array}[]} m.attachments
 * @param {string[]} [m.gossip] - Autocrypt-Gossip header lines for the protected headers
 * @returns {string} the MIME text, CRLF line ends, 7-bit
 */
export function buildMime({ from, to, cc, subject, date, messageId, inReplyTo, references, text, attachments, gossip = [] }) {
  const headers = [
    'Date: ' + mailDate(date),
    'From: ' + from,
  ];
  if (to.length) headers.push('To: ' + addressList(to));
  if (cc.length) headers.push('Cc: ' + addressList(cc));
  headers.push('Subject: ' + encodeHeaderText(subject));
  headers.push('Message-ID: ' + messageId);
  if (inReplyTo) headers.push('In-Reply-To: ' + inReplyTo);
  if (references) headers.push('References: ' + references);
  headers.push(...gossip); // Autocrypt-Gossip lines (autocrypt.js), inside the encryption only
  headers.push('MIME-Version: 1.0');
  const body = new TextEncoder().encode(String(text ?? '').replace(/\r?\n/g, CRLF));
  const textHeaders = ['Content-Transfer-Encoding: base64'];
  const textBody = base64Lines(body);
  if (!attachments.length) {
    return [...headers, 'Content-Type: text/plain; charset=UTF-8; protected-headers="v1"', ...textHeaders, '', textBody, '']
      .join(CRLF);
  }
  const mark = boundary();
  const parts = [
    [...headers, `Content-Type: multipart/mixed; boundary="${mark}"; protected-headers="v1"`, '',
      'This is a multipart message in MIME format.'].join(CRLF),
  ];
  parts.push(['--' + mark, 'Content-Type: text/plain; charset=UTF-8', ...textHeaders, '', textBody].join(CRLF));
  for (const attachment of attachments) {
    const names = fileNameParameters(attachment.filename);
    parts.push(['--' + mark,
      `Content-Type: ${safeMimeType(attachment.mimeType)}; ${names.type}`,
      `Content-Disposition: attachment; ${names.disposition}`,
      'Content-Transfer-Encoding: base64', '',
      base64Lines(attachment.content)].join(CRLF));
  }
  parts.push('--' + mark + '--' + CRLF);
  return parts.join(CRLF);
}
