import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyOf } from './dom.test-support.js';
import { embedCidImages, contentIdOf } from './cid-images.js';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

test('cid: images take the data URL of their part; unknown ones lose their source', () => {
  const body = bodyOf('<img id="known" src="cid:Logo@Example.org"><img id="unknown" src="cid:nothing@x"><img id="plain" src="https://x/y.png">');
  const result = embedCidImages(body, new Map([['logo@example.org', PNG]]));
  assert.deepEqual(result, { embedded: 1, missing: 1 });
  assert.equal(body.querySelector('#known').getAttribute('src'), PNG);
  assert.equal(body.querySelector('#unknown').hasAttribute('src'), false);
  assert.equal(body.querySelector('#plain').getAttribute('src'), 'https://x/y.png', 'other sources are not its business');
});

test('Content-IDs compare without brackets and case', () => {
  assert.equal(contentIdOf('cid:<Part1.ABC@host>'), 'part1.abc@host');
  assert.equal(contentIdOf('CID:x@y'), 'x@y');
});

test('only images are resolved: a cid: on another element is dropped', () => {
  const body = bodyOf('<audio id="a" src="cid:logo@example.org"></audio>');
  embedCidImages(body, new Map([['logo@example.org', PNG]]));
  assert.equal(body.querySelector('#a').hasAttribute('src'), false);
});
