import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitArmor } from './armor.js';

const block = (kind, suffix = ' BLOCK') => `-----BEGIN PGP ${kind}${suffix}-----\n\nAAAA\n-----END PGP ${kind}${suffix}-----`;

test('several concatenated armored blocks come out one by one with their kind', () => {
  const text = 'gpg output\n' + block('PUBLIC KEY') + '\n\n' + block('PRIVATE KEY') + '\n' + block('MESSAGE', '') + '\n'
    + block('SIGNATURE', '');
  assert.deepEqual(splitArmor(text).map((b) => b.kind), ['PUBLIC KEY', 'PRIVATE KEY', 'MESSAGE', 'SIGNATURE']);
  assert.equal(splitArmor(text)[0].armor, block('PUBLIC KEY') + '\n');
});

test('a block whose END does not match its BEGIN is not a block', () => {
  assert.deepEqual(splitArmor('-----BEGIN PGP PUBLIC KEY BLOCK-----\nAAAA\n-----END PGP MESSAGE-----'), []);
});

test('nothing, null and plain text hold no block', () => {
  assert.deepEqual(splitArmor(''), []);
  assert.deepEqual(splitArmor(null), []);
  assert.deepEqual(splitArmor('just words'), []);
});
