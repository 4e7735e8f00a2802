import { test } from 'node:test';
import assert from 'node:assert/strict';
import PostalMime from 'postal-mime';
import { buildMime, encodeHeaderText, base64Lines, mailDate } from './essaim-composer-mime.js';

const message = (overrides = {}) => ({
  from: 'ada@example.org',
  to: ['bob@example.org'],
  cc: [],
  subject: 'Hello',
  date: new Date(Date.UTC(2026, 10, 25, 10, 0, 0)),
  messageId: '<id-1@example.org>',
  text: 'Line one\nLine two — café',
  attachments: [],
  ...overrides,
});

test('a text-only message carries the protected headers on its root part, CRLF, 7-bit', async () => {
  const mime = buildMime(message({ inReplyTo: '<p@x>', references: '<o@x> <p@x>' }));
  assert.match(mime, /^Date: Wed, 25 Nov 2026 10:00:00 \+0000\r\nFrom: ada@example.org\r\nTo: bob@example.org\r\n/);
  assert.match(mime, /Content-Type: text\/plain; charset=UTF-8; protected-headers="v1"/);
  assert.doesNotMatch(mime, /[^\r]\n/, 'every line ends in CRLF');
  assert.match(mime, /^[\x00-\x7f]*$/, '7-bit only');
  const parsed = await PostalMime.parse(mime);
  assert.equal(parsed.subject, 'Hello');
  assert.equal(parsed.messageId, '<id-1@example.org>');
  assert.equal(parsed.inReplyTo, '<p@x>');
  assert.equal(parsed.text.replace(/\r\n/g, '\n'), 'Line one\nLine two — café');
});

test('there is never a Bcc header', () => {
  assert.doesNotMatch(buildMime(message({ cc: ['c@example.org'] })), /^Bcc:/im);
});

test('attachments go in a multipart/mixed, names with non-ASCII in RFC 2231 form', async () => {
  const content = new Uint8Array([0, 1, 2, 250, 255]);
  const mime = buildMime(message({ attachments: [{ filename: 'résumé "v2".pdf', mimeType: 'application/pdf', content },
    { filename: 'x.bin', mimeType: 'bad type\r\nX-Injected: 1', content }] }));
  assert.match(mime, /multipart\/mixed; boundary="essaim-[0-9a-f]+"; protected-headers="v1"/);
  assert.match(mime, /filename\*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22.pdf/);
  assert.doesNotMatch(mime, /X-Injected/, 'a hostile MIME type falls back to application/octet-stream');
  const parsed = await PostalMime.parse(mime, { attachmentEncoding: 'arraybuffer' });
  assert.equal(parsed.attachments.length, 2);
  assert.equal(parsed.attachments[0].filename, 'résumé "v2".pdf');
  assert.deepEqual(new Uint8Array(parsed.attachments[0].content), content);
  assert.equal(parsed.attachments[1].mimeType, 'application/octet-stream');
});

test('non-ASCII or long subjects become RFC 2047 words that decode back', async () => {
  const subject = 'Réunion du collectif — ordre du jour très long pour voir le découpage en plusieurs mots';
  const encoded = encodeHeaderText(subject);
  assert.match(encoded, /^=\?UTF-8\?B\?/);
  for (const line of encoded.split('\r\n')) assert.ok(line.length <= 76, line);
  const parsed = await PostalMime.parse(buildMime(message({ subject })));
  assert.equal(parsed.subject, subject);
  assert.equal(encodeHeaderText('Plain ASCII'), 'Plain ASCII');
  assert.equal(encodeHeaderText('two\r\nlines'), 'two lines', 'no header injection');
});

test('base64 lines are 76 characters; dates are RFC 5322 in UTC', () => {
  const lines = base64Lines(new Uint8Array(200)).split('\r\n');
  assert.ok(lines.slice(0, -1).every((l) => l.length === 76));
  assert.equal(mailDate(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), 'Fri, 02 Jan 2026 03:04:05 +0000');
});

test('Autocrypt gossip lines go on the protected headers, and only there', async () => {
  const gossip = ['Autocrypt-Gossip: addr=bob@example.org; keydata=\r\n AAAA', 'Autocrypt-Gossip: addr=c@example.org; keydata=\r\n BBBB'];
  const mime = buildMime(message({ gossip }));
  const headerBlock = mime.split('\r\n\r\n')[0];
  assert.match(headerBlock, /Autocrypt-Gossip: addr=bob@example.org; keydata=\r\n AAAA\r\nAutocrypt-Gossip: addr=c@example.org/);
  const parsed = await PostalMime.parse(mime);
  assert.equal(parsed.headers.filter((h) => h.key === 'autocrypt-gossip').length, 2);
});
