import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyOf } from './dom.test-support.js';
import { blockRemoteContent, isRemoteUrl } from './remote-content.js';

const GIF = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';

test('remote images are blocked and counted; inline data stays', () => {
  const body = bodyOf(`<img id="a" src="https://tracker.example/p.png"><img id="b" src="//cdn.example/x.png">`
    + `<img id="c" src="${GIF}"><img id="d" src="relative.png">`);
  assert.deepEqual(blockRemoteContent(body), { remoteImages: 2 });
  assert.equal(body.querySelector('#a').hasAttribute('src'), false);
  assert.equal(body.querySelector('#b').hasAttribute('src'), false);
  assert.equal(body.querySelector('#c').getAttribute('src'), GIF);
  assert.equal(body.querySelector('#d').hasAttribute('src'), false, 'a relative source would load from the Essaim origin');
});

test('allowing remote images allows <img src> only', () => {
  const body = bodyOf('<img id="img" src="https://a.example/i.png" srcset="https://a.example/i2.png 2x">'
    + '<video id="v" poster="https://a.example/p.png" src="https://a.example/v.mp4"></video>'
    + '<table id="t" background="https://a.example/bg.png"></table>');
  assert.deepEqual(blockRemoteContent(body, { allowRemoteImages: true }), { remoteImages: 1 });
  assert.equal(body.querySelector('#img').getAttribute('src'), 'https://a.example/i.png');
  assert.equal(body.querySelector('#img').hasAttribute('srcset'), false);
  assert.equal(body.querySelector('#v').hasAttribute('poster'), false);
  assert.equal(body.querySelector('#v').hasAttribute('src'), false);
  assert.equal(body.querySelector('#t').hasAttribute('background'), false);
});

test('a mail without remote images counts none (no banner)', () => {
  const body = bodyOf(`<p>Hello</p><img src="${GIF}"><img src="cid:logo@x">`);
  assert.deepEqual(blockRemoteContent(body), { remoteImages: 0 });
  assert.equal(body.querySelector('img[src^="cid:"]').getAttribute('src'), 'cid:logo@x', 'cid: is left to embedCidImages');
});

test('remote URLs are http, https and protocol-relative ones', () => {
  assert.equal(isRemoteUrl('HTTPS://x.example'), true);
  assert.equal(isRemoteUrl(' //x.example/a'), true);
  assert.equal(isRemoteUrl('data:image/png;base64,AA'), false);
  assert.equal(isRemoteUrl('cid:x'), false);
});
