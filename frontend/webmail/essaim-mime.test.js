import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEntity, parseContentType, splitMultipart, bodyText, canonicalCrlf, armoredBlock } from './essaim-mime.js';

const bytes = (text) => new TextEncoder().encode(text);
const text = (b) => new TextDecoder('latin1').decode(b);

test('an entity splits into unfolded headers (first occurrence wins) and the body bytes', () => {
  const entity = parseEntity(bytes('Subject: a\r\n long\r\nX-A: 1\r\nx-a: 2\r\nContent-Type: Multipart/Encrypted;\r\n'
    + ' boundary="b c"; protocol="application/pgp-encrypted"\r\n\r\nbody\r\n'));
  assert.equal(entity.headers.get('subject'), 'a long');
  assert.equal(entity.headers.get('x-a'), '1');
  assert.equal(entity.type, 'multipart/encrypted');
  assert.equal(entity.params.boundary, 'b c');
  assert.equal(text(entity.body), 'body\r\n');
});

test('bare LF messages parse too, and a missing Content-Type means text/plain', () => {
  const entity = parseEntity(bytes('From: a@b\n\nhello'));
  assert.equal(entity.type, 'text/plain');
  assert.equal(text(entity.body), 'hello');
});

test('Content-Type parameters: quoted, escaped, case-insensitive names', () => {
  const { type, params } = parseContentType('text/plain; Charset="utf\\"8"; format=flowed');
  assert.equal(type, 'text/plain');
  assert.deepEqual(params, { charset: 'utf"8', format: 'flowed' });
});

test('multipart parts are the raw bytes between delimiters, without the CRLF before the next one', () => {
  const body = bytes('preamble\r\n--XY\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--XY\r\n\r\nsecond\r\n--XY--\r\nepilogue');
  const parts = splitMultipart(body, 'XY');
  assert.equal(parts.length, 2);
  assert.equal(text(parts[0]), 'Content-Type: text/plain\r\n\r\nfirst');
  assert.equal(text(parts[1]), '\r\nsecond');
  assert.throws(() => splitMultipart(body, ''), /no boundary/);
});

test('a boundary with regex characters is matched literally; a missing closing delimiter keeps the last part', () => {
  const parts = splitMultipart(bytes('--a.b+c\r\none\r\n--a.b+c\r\ntwo'), 'a.b+c');
  assert.deepEqual(parts.map(text), ['one', 'two']);
});

test('part bodies decode base64 and quoted-printable', () => {
  assert.equal(bodyText(parseEntity(bytes('Content-Transfer-Encoding: base64\r\n\r\naGVs\r\nbG8=\r\n'))), 'hello');
  assert.equal(bodyText(parseEntity(bytes('Content-Transfer-Encoding: quoted-printable\r\n\r\na=3Db=\r\nc'))), 'a=bc');
  assert.equal(bodyText(parseEntity(bytes('\r\nplain'))), 'plain');
});

test('line ends become CRLF for signature checks, CRLF stays as is', () => {
  assert.equal(text(canonicalCrlf(bytes('a\nb\r\nc\n'))), 'a\r\nb\r\nc\r\n');
  const already = bytes('a\r\nb');
  assert.equal(canonicalCrlf(already), already);
});

test('the first armored block of a kind is found', () => {
  const message = '-----BEGIN PGP MESSAGE-----\n\nAAAA\n-----END PGP MESSAGE-----';
  assert.equal(armoredBlock('before\n' + message + '\nafter', 'MESSAGE'), message + '\n');
  const signed = '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nhi\n-----BEGIN PGP SIGNATURE-----\n\nBBB\n-----END PGP SIGNATURE-----';
  assert.equal(armoredBlock(signed, 'SIGNED MESSAGE'), signed + '\n');
  assert.equal(armoredBlock('no armor', 'MESSAGE'), null);
});

test('a part without headers (it starts with its blank line) has its whole text as body', () => {
  const [, second] = splitMultipart(bytes('--B\r\nA: 1\r\n\r\none\r\n--B\r\n\r\nsecond part\r\n--B--'), 'B');
  const entity = parseEntity(second);
  assert.equal(entity.headers.size, 0);
  assert.equal(text(entity.body), 'second part');
});
