import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conversations, conversationOf, messageIds } from './conversations.js';

const msg = (id, date, extra = {}) => ({ id: 'INBOX\u0000' + id, date, subject: 'Lunch', seen: true, messageId: `<${id}@x>`, ...extra });

test('a three-message thread is one conversation, oldest first, named without prefixes', () => {
  const docs = [
    msg('c', 3, { subject: 'Re: Re: Lunch', references: '<a@x> <b@x>', inReplyTo: '<b@x>', seen: false }),
    msg('a', 1),
    msg('b', 2, { subject: 'RE: Lunch', inReplyTo: '<a@x>' }),
    msg('other', 4, { subject: 'Hello' }),
  ];
  const result = conversations(docs);
  assert.equal(result.length, 2);
  assert.equal(result[0].subject, 'Hello', 'the newest conversation comes first');
  const thread = result[1];
  assert.deepEqual(thread.messages.map((m) => m.messageId), ['<a@x>', '<b@x>', '<c@x>']);
  assert.equal(thread.subject, 'Lunch');
  assert.equal(thread.unread, 1);
  assert.equal(thread.latest, 3);
});

test('two replies to an original this mailbox lacks are one conversation', () => {
  const docs = [msg('r1', 1, { inReplyTo: '<gone@x>' }), msg('r2', 2, { references: '<gone@x>' })];
  assert.equal(conversations(docs).length, 1);
});

test('same subject, no references: separate conversations; no Message-ID: its own', () => {
  const docs = [msg('a', 1, { subject: 'Hello' }), msg('b', 2, { subject: 'Hello' }), { id: 'x', date: 3, subject: 'Hello' }];
  assert.equal(conversations(docs).length, 3);
});

test('message ids are read from header values, case-insensitively', () => {
  assert.deepEqual(messageIds(' <A@X> <b@y>\r\n <c@z>'), ['<a@x>', '<b@y>', '<c@z>']);
  assert.deepEqual(messageIds(null), []);
  const docs = [msg('a', 1), msg('b', 2, { inReplyTo: '<A@X>' })];
  assert.equal(conversationOf(docs, 'INBOX\u0000b').messages.length, 2);
});

test('messages with the same date keep their arrival order (UID)', () => {
  const docs = [msg('c', 5, { uid: 3, inReplyTo: '<b@x>' }), msg('a', 5, { uid: 1 }), msg('b', 5, { uid: 2, inReplyTo: '<a@x>' })];
  assert.deepEqual(conversations(docs)[0].messages.map((m) => m.uid), [1, 2, 3]);
});
