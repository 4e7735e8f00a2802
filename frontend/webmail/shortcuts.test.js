import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionFor, isTyping, SHORTCUTS } from './shortcuts.js';

const element = (localName, extra = {}) => ({ nodeType: 1, localName, isContentEditable: false, getAttribute: () => null, ...extra });

test('the Gmail/Roundcube keys map to actions', () => {
  assert.equal(actionFor({ key: 'c' }), 'compose');
  assert.equal(actionFor({ key: 'r' }), 'reply');
  assert.equal(actionFor({ key: 'a' }), 'reply-all');
  assert.equal(actionFor({ key: 'f' }), 'forward');
  assert.equal(actionFor({ key: '/' }), 'search');
  assert.equal(actionFor({ key: 'j' }), 'next');
  assert.equal(actionFor({ key: 'k' }), 'previous');
  assert.equal(actionFor({ key: 'e' }), 'archive');
  assert.equal(actionFor({ key: '#' }), 'delete');
  assert.equal(actionFor({ key: '?' }), 'help');
  assert.equal(actionFor({ key: 'x' }), null);
});

test('nothing happens while typing or with modifier keys', () => {
  assert.equal(actionFor({ key: 'c' }, [element('input')]), null);
  assert.equal(actionFor({ key: 'r' }, [element('div', { isContentEditable: true })]), null);
  assert.equal(actionFor({ key: 'j' }, [element('span'), element('textarea')]), null);
  assert.equal(actionFor({ key: 'c', ctrlKey: true }), null);
  assert.equal(actionFor({ key: 'c', metaKey: true }), null);
  assert.equal(isTyping([element('vaadin-grid')]), false);
  assert.equal(isTyping([{ nodeType: 9 }, element('div', { getAttribute: (n) => (n === 'role' ? 'textbox' : null) })]), true);
});

test('every key is listed once', () => {
  const keys = SHORTCUTS.map((s) => s.key);
  assert.equal(new Set(keys).size, keys.length);
});
