import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyOf } from './dom.test-support.js';
import { containCss, containStyles } from './styles.js';

test('remote and relative url() become none; data: stays', () => {
  const { css, removed } = containCss("body { background: url(https://t.example/bg.png) no-repeat; }"
    + " .a { background-image: url('//cdn.example/x.png') } .b { cursor: url(\"rel.cur\"), auto }"
    + " .c { background: url(data:image/png;base64,AAAA) }");
  assert.equal(removed, 3);
  assert.doesNotMatch(css, /t\.example|cdn\.example|rel\.cur/);
  assert.match(css, /background: none no-repeat/);
  assert.match(css, /url\(data:image\/png;base64,AAAA\)/);
});

test('@import rules are removed', () => {
  const { css, removed } = containCss("@import url(https://x.example/a.css); @import 'b.css' screen; p { color: red }");
  assert.equal(removed, 2);
  assert.equal(css.trim(), 'p { color: red }');
});

test('style elements and style attributes are both contained', () => {
  const body = bodyOf('<style>@font-face { font-family: x; src: url(https://f.example/font.woff) }</style>'
    + '<div id="d" style="background-image:url(\'https://t.example/inline-bg.png\'); color: blue">styled</div>');
  assert.deepEqual(containStyles(body), { removed: 2 });
  assert.doesNotMatch(body.querySelector('style').textContent, /f\.example/);
  assert.equal(body.querySelector('#d').getAttribute('style'), 'background-image:none; color: blue');
});

test('CSS without url() is left as written', () => {
  const body = bodyOf('<p id="p" style="color: red">x</p>');
  assert.deepEqual(containStyles(body), { removed: 0 });
  assert.equal(body.querySelector('#p').getAttribute('style'), 'color: red');
});
