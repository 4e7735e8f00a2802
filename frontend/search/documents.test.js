import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metadataDoc, withBody, htmlToText, docId, MAX_BODY_CHARS } from './documents.js';

const row = { uid: 7, from: 'Ada <ada@example.org>', to: 'bob@example.org', cc: 'chloe@example.org', date: 1000, size: 42,
  seen: true, flagged: false, messageId: '<m@x>', contentType: 'multipart/encrypted; protocol="application/pgp-encrypted"' };

test('metadata documents come from the list row and the decrypted subject', () => {
  const doc = metadataDoc('INBOX', row, 'Lunch');
  assert.equal(doc.id, docId('INBOX', 7));
  assert.equal(doc.to, 'bob@example.org, chloe@example.org');
  assert.equal(doc.subject, 'Lunch');
  assert.equal(doc.hasAttachment, false, 'an encrypted message tells nothing before decryption');
  assert.equal(metadataDoc('INBOX', { ...row, contentType: 'multipart/mixed; boundary=x' }, '').hasAttachment, true);
});

test('the decrypted content adds the body (bounded), protected headers and attachments', () => {
  const doc = withBody(metadataDoc('INBOX', row, null), {
    subject: 'Protected', from: { name: 'Ada', address: 'ada@example.org' }, to: [{ address: 'bob@example.org' }],
    text: 'x'.repeat(MAX_BODY_CHARS + 10), attachments: [{ mimeType: 'application/pdf', filename: 'a.pdf' }],
    inReplyTo: '<p@x>',
  });
  assert.equal(doc.subject, 'Protected');
  assert.equal(doc.body.length, MAX_BODY_CHARS);
  assert.equal(doc.hasAttachment, true);
  assert.equal(doc.bodyIndexed, true);
  assert.equal(doc.inReplyTo, '<p@x>');
});

test('signatures and keys are not attachments; the placeholder subject does not replace a real one', () => {
  const doc = withBody(metadataDoc('INBOX', row, 'Known'), { subject: '...', text: 'hi',
    attachments: [{ mimeType: 'application/pgp-signature' }, { mimeType: 'application/pgp-keys' }] });
  assert.equal(doc.hasAttachment, false);
  assert.equal(doc.subject, 'Known');
});

test('HTML bodies are searched as text', () => {
  assert.equal(htmlToText('<style>p{}</style><p>Caf&eacute; &amp; <b>tea</b></p><p>next</p>'), 'Caf&eacute; & tea\nnext');
});
