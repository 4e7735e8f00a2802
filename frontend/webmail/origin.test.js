import { test } from 'node:test';
import assert from 'node:assert/strict';
import { originOf } from './origin.js';

const ours = 'mx.b.test;\tspf=pass smtp.mailfrom=a.test; dkim=pass header.d=a.test header.s=e1; dmarc=pass header.from=a.test';

test('a DMARC pass written by this server verifies the From domain', () => {
  assert.deepEqual(originOf([ours], 'mx.b.test'), { status: 'verified', domain: 'a.test' });
});

test('a DMARC failure is a warning', () => {
  assert.equal(originOf(['MX.B.TEST; spf=fail smtp.mailfrom=x.test; dkim=none; dmarc=fail header.from=bank.test'],
    'mx.b.test').status, 'failed');
});

test('fields written by other hosts are not trusted', () => {
  assert.equal(originOf(['evil.example; dmarc=pass header.from=bank.test'], 'mx.b.test'), null);
  assert.equal(originOf([], 'mx.b.test'), null);
});

test('no DMARC record: unverified, not a warning', () => {
  assert.equal(originOf(['mx.b.test; spf=none smtp.mailfrom=c.test; dkim=none; dmarc=none header.from=c.test'],
    'mx.b.test').status, 'unverified');
});
