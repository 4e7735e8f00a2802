import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyTable, learn, unlearn, spamminess, chiSquareQ, tokenProbability, MAX_TOKENS } from './classifier.js';
import { tokens, isShape } from './tokenizer.js';

const mail = (subject, text, extra = {}) => ({
  subject, from: { address: extra.from || 'someone@example.org', name: '' }, headers: [], text, html: extra.html || '', attachments: [],
});
const PHARMA = 'cheap pills pharmacy discount viagra order online today click prices best deal offer free shipping '
  + 'limited stock bonus save money guaranteed refill generic brand tablets secure checkout worldwide delivery';
const GARDEN = 'garden group meets thursday evening community hall bring seeds tools shed compost tomatoes beans '
  + 'watering rota minutes agreed plot neighbours harvest soup recipe weeding spring planting';
const SPAMS = [
  mail('Cheap pills online', 'Buy cheap pills now, best pharmacy prices, discount viagra, order today, click here', { from: 'deals@pharma.example' }),
  mail('Best pharmacy deals', 'Order cheap viagra and pills today: discount prices at our online pharmacy, click now', { from: 'offers@pharma.example' }),
  mail('Discount pills', 'Cheap pharmacy, pills with discount, viagra order online now, best prices, click the link', { from: 'sales@pills.example' }),
  mail('Online pharmacy', 'Click here for cheap pills: the best viagra prices online, order your discount today', { from: 'shop@pills.example' }),
];
const HAMS = [
  mail('Garden meeting', 'The garden group meets on Thursday evening at the community hall, bring seeds and tools', { from: 'claire@garden.example' }),
  mail('Thursday at the hall', 'See you Thursday at the hall: the garden tools are in the shed, and Marc brings the seeds', { from: 'marc@garden.example' }),
  mail('Minutes of the meeting', 'Minutes: the garden group agreed on the seeds order; next meeting Thursday at the hall', { from: 'claire@garden.example' }),
  mail('Seeds and tools', 'I sorted the seeds and cleaned the tools for the garden, see you at the hall on Thursday', { from: 'rita@garden.example' }),
];

function trained() {
  const table = emptyTable();
  for (const m of SPAMS) learn(table, tokens(m), true);
  for (const m of HAMS) learn(table, tokens(m), false);
  for (let i = 0; i < 3; i++) {
    learn(table, tokens(mail('Pharmacy ' + i, PHARMA + ' extra' + i, { from: `p${i}@pharma.example` })), true);
    learn(table, tokens(mail('Garden ' + i, GARDEN + ' note' + i, { from: `g${i}@garden.example` })), false);
  }
  return table;
}

test('the formulas are the server classifier\'s (FisherClassifier.java)', () => {
  assert.equal(chiSquareQ(0, 10), 1);
  assert.ok(Math.abs(chiSquareQ(3, 2) - Math.exp(-1.5)) < 1e-12, 'two degrees of freedom: e^(-x/2)');
  assert.ok(Math.abs(chiSquareQ(4, 4) - Math.exp(-2) * 3) < 1e-12, 'four: e^(-m)(1 + m)');
  assert.ok(chiSquareQ(2000, 300) >= 0, 'no underflow with many strong clues');
  // Robinson: a token seen once in spam, among 1 spam and 1 ham message: (0.45*0.5 + 1*1) / 1.45
  assert.ok(Math.abs(tokenProbability(1, 0, 1, 1) - 1.225 / 1.45) < 1e-12);
});

test('an untrained table says nothing: 0.5', () => {
  assert.equal(spamminess(emptyTable(), tokens(SPAMS[0])), 0.5);
});

test('after a handful, new spam scores high and new ham low', () => {
  const table = trained();
  const spam = mail('Cheap viagra', 'Hello! ' + PHARMA.split(' ').reverse().join(' '), { from: 'news@elsewhere.example' });
  const ham = mail('Thursday', 'Dear all, ' + GARDEN.split(' ').slice(3).join(' '), { from: 'sam@garden.example' });
  const short = mail('Pills', 'cheap pills', { from: 'x@y.example' });
  assert.ok(spamminess(table, tokens(short)) < 0.5, 'a few words are not evidence enough');
  assert.ok(spamminess(table, tokens(spam)) > 0.9, `spam ${spamminess(table, tokens(spam))}`);
  assert.ok(spamminess(table, tokens(ham)) < 0.2, `ham ${spamminess(table, tokens(ham))}`);
});

test('unlearning takes a vote back exactly', () => {
  const table = trained();
  const before = JSON.stringify(table);
  const extra = mail('Another pharmacy', 'cheap pills again');
  learn(table, tokens(extra), true);
  unlearn(table, tokens(extra), true);
  assert.equal(JSON.stringify(table), before);
});

test('the table survives JSON (it is stored encrypted as one blob) and stays bounded', () => {
  const table = trained();
  const copy = JSON.parse(JSON.stringify(table));
  const probe = tokens(SPAMS[1]);
  assert.equal(spamminess(copy, probe), spamminess(table, probe));
  const big = emptyTable();
  const many = Array.from({ length: MAX_TOKENS + 10 }, (_, i) => 'w' + i);
  learn(big, many, true);
  assert.equal(Object.keys(big.tokens).length, MAX_TOKENS);
});

test('the tokenizer counts words, sender, links and the shape of HTML, with the server\'s prefixes', () => {
  const t = tokens({
    subject: 'FREE OFFER!!', from: { address: 'Promo@Shop.Example.com', name: 'Best Shop' },
    headers: [{ key: 'list-unsubscribe', value: '<mailto:x@shop.example.com>' }, { key: 'content-type', value: 'text/html; charset=utf-8' }],
    text: '', html: '<p>Visit <a href="https://deals.shop.example.com/x">our shop</a></p><img src="http://203.0.113.9/t.gif">',
    attachments: [{ mimeType: 'image/png' }],
  });
  for (const expected of ['s:free', 's:offer!!', 'from:promo@shop.example.com', 'fromdom:shop.example.com', 'fn:best',
    'ct:text/html', 'h:list-unsubscribe', 'part:image/png', 'part:html', 'tag:p', 'attr:a.href', 'visit', 'shop',
    'url:deals.shop.example.com', 'urldom:example.com', 'url:ip-address', 'subject:caps', 'subject:!', 'body:html-only',
    'links:to-sender']) {
    assert.ok(t.has(expected), expected + ' in ' + [...t].join(' '));
  }
  assert.ok(isShape('tag:p') && isShape('h:list-unsubscribe') && !isShape('shop') && !isShape('s:free'));
});
