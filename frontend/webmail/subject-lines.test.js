import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HIDDEN_SUBJECT, isHiddenSubject, shownSubject, answerSubject, baseSubject } from './subject-lines.js';

test('the placeholder "..." is not a subject', () => {
  assert.equal(isHiddenSubject(HIDDEN_SUBJECT), true);
  assert.equal(isHiddenSubject(' ... '), true);
  assert.equal(isHiddenSubject('... and more'), false);
  assert.equal(isHiddenSubject(null), false);
});

test('the protected subject wins over the outer one; the placeholder is never shown', () => {
  assert.equal(shownSubject('Real subject', '...'), 'Real subject');
  assert.equal(shownSubject(null, 'Outer subject'), 'Outer subject');
  assert.equal(shownSubject('...', 'Outer'), 'Outer');
  assert.equal(shownSubject(null, '...'), null);
  assert.equal(shownSubject('', ''), null);
});

test('answers prefix once', () => {
  assert.equal(answerSubject('Re', 'Lunch'), 'Re: Lunch');
  assert.equal(answerSubject('Re', 'RE: Lunch'), 'RE: Lunch');
  assert.equal(answerSubject('Re', 'Réf : Déjeuner'), 'Réf : Déjeuner');
  assert.equal(answerSubject('Fwd', 'Re: Lunch'), 'Fwd: Re: Lunch');
  assert.equal(answerSubject('Fwd', 'TR : Lunch'), 'TR : Lunch');
  assert.equal(answerSubject('Re', ''), 'Re: ');
});

test('the base subject drops every answer prefix', () => {
  assert.equal(baseSubject('Re: Fwd: RE[2]: Lunch'), 'Lunch');
  assert.equal(baseSubject('TR : Réf : Déjeuner'), 'Déjeuner');
  assert.equal(baseSubject('Reunion'), 'Reunion');
});
