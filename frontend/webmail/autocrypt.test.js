import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAutocrypt, headerValues, keydataOfArmored, gossipHeaders } from './autocrypt.js';

const ARMORED = '-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: x\n\nmDMEZabc\nAQID\n=AbCd\n-----END PGP PUBLIC KEY BLOCK-----\n';

test('an Autocrypt header is read; folding whitespace in keydata goes', () => {
  assert.deepEqual(parseAutocrypt('addr=Alice@Example.org; prefer-encrypt=mutual; keydata=\r\n mDMEZabc\r\n AQID'),
    { addr: 'alice@example.org', preferEncrypt: 'mutual', keydata: 'mDMEZabcAQID' });
  assert.equal(parseAutocrypt('addr=a@b; keydata=AAAA').preferEncrypt, null);
});

test('headers to ignore: unknown critical attribute, no addr, no keydata', () => {
  assert.equal(parseAutocrypt('addr=a@b; keydata=AAAA; type=2'), null);
  assert.notEqual(parseAutocrypt('addr=a@b; keydata=AAAA; _extra=1'), null);
  assert.equal(parseAutocrypt('keydata=AAAA'), null);
  assert.equal(parseAutocrypt('addr=a@b'), null);
  assert.equal(parseAutocrypt(null), null);
});

test('header values are found in the header block only, unfolded, all of them', () => {
  const text = 'From: a@b\r\nAutocrypt: addr=a@b;\r\n keydata=AAAA\r\nAutocrypt-Gossip: addr=c@d; keydata=BBBB\r\n'
    + 'Autocrypt-Gossip: addr=e@f; keydata=CCCC\r\n\r\nAutocrypt: in the body';
  assert.deepEqual(headerValues(text, 'Autocrypt'), ['addr=a@b; keydata=AAAA']);
  assert.equal(headerValues(text, 'autocrypt-gossip').length, 2);
});

test('keydata is the armor body without headers and checksum', () => {
  assert.equal(keydataOfArmored(ARMORED), 'mDMEZabcAQID');
});

test('gossip is for several recipients, one folded header each', () => {
  assert.deepEqual(gossipHeaders([{ address: 'a@b', armored: ARMORED }]), []);
  const lines = gossipHeaders([{ address: 'A@b', armored: ARMORED }, { address: 'c@d', armored: ARMORED }]);
  assert.equal(lines.length, 2);
  assert.equal(lines[0], 'Autocrypt-Gossip: addr=a@b; keydata=\r\n mDMEZabcAQID');
  assert.deepEqual(parseAutocrypt(lines[1].slice('Autocrypt-Gossip:'.length)).addr, 'c@d');
});
