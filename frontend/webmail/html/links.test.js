import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyOf } from './dom.test-support.js';
import { secureLinks } from './links.js';

test('absolute links open in a new tab without opener or referrer', () => {
  const body = bodyOf('<a id="web" href="https://example.org/page">web</a><a id="mail" href="mailto:a@example.org">mail</a>');
  assert.deepEqual(secureLinks(body), { external: 2, removed: 0 });
  for (const id of ['#web', '#mail']) {
    assert.equal(body.querySelector(id).getAttribute('target'), '_blank');
    assert.equal(body.querySelector(id).getAttribute('rel'), 'noopener noreferrer');
  }
});

test('relative links lose their href (they would open the Essaim origin)', () => {
  const body = bodyOf('<a id="rel" href="/admin">x</a><a id="dot" href="../inbox">y</a><a id="ftp" href="ftp://x">z</a>');
  assert.deepEqual(secureLinks(body), { external: 0, removed: 3 });
  for (const id of ['#rel', '#dot', '#ftp']) assert.equal(body.querySelector(id).hasAttribute('href'), false, id);
  assert.equal(body.querySelector('#rel').textContent, 'x', 'the text stays');
});

test('in-message anchors stay in the frame', () => {
  const body = bodyOf('<a id="toc" href="#part2" target="_blank">go</a>');
  secureLinks(body);
  assert.equal(body.querySelector('#toc').getAttribute('href'), '#part2');
  assert.equal(body.querySelector('#toc').hasAttribute('target'), false);
});

test('SVG references to remote resources are removed, local ones kept', () => {
  const body = bodyOf('<svg><image id="img" href="https://x.example/p.png"></image><use id="use" href="#shape"></use></svg>');
  secureLinks(body);
  assert.equal(body.querySelector('#img').hasAttribute('href'), false);
  assert.equal(body.querySelector('#use').getAttribute('href'), '#shape');
});
