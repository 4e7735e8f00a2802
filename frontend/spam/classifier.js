/**
 * The member's own spam classifier, in the browser: the server's algorithm (src/main/java/org/essaim/spam/
 * FisherClassifier.java) with the same constants, over a table trained only on this member's decrypted mail.
 * Gary Robinson's token probabilities, Fisher's chi-square combination of the strongest clues (SpamBayes' method);
 * at most MAX_SHAPE_CLUES shape clues join the word clues, and below FULL_EVIDENCE_CLUES word clues the verdict is
 * pulled towards FEW_CLUES_PRIOR. Pure functions over plain objects: the table is JSON-serialisable, so it can be
 * encrypted to the member's key and stored as one blob (internal/spam-filter.js).
 *
 * @module spam/classifier
 */
import { isShape } from './tokenizer.js';

export const UNKNOWN_WORD_STRENGTH = 0.45;
export const UNKNOWN_WORD_PROBABILITY = 0.5;
export const MINIMUM_PROBABILITY_STRENGTH = 0.1;
export const MAX_DISCRIMINATORS = 100;
export const MAX_SHAPE_CLUES = 5;
export const FULL_EVIDENCE_CLUES = 25;
export const FEW_CLUES_PRIOR = 0.2;
/** A member's table keeps at most this many tokens (the rarest are dropped first): the blob stays small. */
export const MAX_TOKENS = 60000;

/** @returns {{version: number, spam: number, ham: number, tokens: Object<string, number[]>}} */
export function emptyTable() {
  return { version: 1, spam: 0, ham: 0, tokens: {} };
}

/** Counts one message's tokens (each once) as spam or ham. */
export function learn(table, tokens, spam) {
  for (const token of new Set(tokens)) {
    const counts = Object.prototype.hasOwnProperty.call(table.tokens, token) ? table.tokens[token] : (table.tokens[token] = [0, 0]);
    counts[spam ? 0 : 1]++;
  }
  if (spam) table.spam++; else table.ham++;
  prune(table);
  return table;
}

/** Takes back a learning (the member changed their mind: "Not spam" on a message they had called spam). */
export function unlearn(table, tokens, spam) {
  for (const token of new Set(tokens)) {
    const counts = table.tokens[token];
    if (!counts) continue;
    counts[spam ? 0 : 1] = Math.max(0, counts[spam ? 0 : 1] - 1);
    if (counts[0] + counts[1] === 0) delete table.tokens[token];
  }
  if (spam) table.spam = Math.max(0, table.spam - 1); else table.ham = Math.max(0, table.ham - 1);
  return table;
}

function prune(table) {
  const names = Object.keys(table.tokens);
  if (names.length <= MAX_TOKENS) return;
  names.sort((a, b) => (table.tokens[a][0] + table.tokens[a][1]) - (table.tokens[b][0] + table.tokens[b][1]));
  for (const name of names.slice(0, names.length - MAX_TOKENS)) delete table.tokens[name];
}

export function tokenProbability(spam, ham, spamMessages, hamMessages) {
  const spamRatio = spam / spamMessages;
  const hamRatio = ham / hamMessages;
  const probability = spamRatio + hamRatio === 0 ? 0.5 : spamRatio / (spamRatio + hamRatio);
  const n = spam + ham;
  return (UNKNOWN_WORD_STRENGTH * UNKNOWN_WORD_PROBABILITY + n * probability) / (UNKNOWN_WORD_STRENGTH + n);
}

/** P(chi-square with `freedom` (even) degrees of freedom > x2), summed in log space (no underflow). */
export function chiSquareQ(x2, freedom) {
  const m = x2 / 2;
  if (m <= 0) return 1;
  const logM = Math.log(m);
  let logTerm = -m;
  let largest = logTerm;
  const logTerms = [logTerm];
  for (let i = 1; i < freedom / 2; i++) {
    logTerm += logM - Math.log(i);
    logTerms.push(logTerm);
    largest = Math.max(largest, logTerm);
  }
  let sum = 0;
  for (const each of logTerms) sum += Math.exp(each - largest);
  return Math.min(Math.exp(largest + Math.log(sum)), 1);
}

const byStrength = (a, b) => Math.abs(b - 0.5) - Math.abs(a - 0.5);

/**
 * The spamminess of a message (0 ham … 1 spam); 0.5 while the table has not seen both kinds yet.
 * @param {Object} table - see emptyTable()
 * @param {Iterable<string>} tokens
 */
export function spamminess(table, tokens) {
  if (!table || table.spam === 0 || table.ham === 0) return 0.5;
  const clues = [];
  const shapeClues = [];
  for (const token of new Set(tokens)) {
    const counts = Object.prototype.hasOwnProperty.call(table.tokens, token) ? table.tokens[token] : null;
    if (!counts) continue;
    const p = tokenProbability(counts[0], counts[1], table.spam, table.ham);
    if (Math.abs(p - 0.5) >= MINIMUM_PROBABILITY_STRENGTH) (isShape(token) ? shapeClues : clues).push(p);
  }
  const wordClues = Math.min(clues.length, MAX_DISCRIMINATORS);
  shapeClues.sort(byStrength);
  clues.push(...shapeClues.slice(0, MAX_SHAPE_CLUES));
  if (clues.length === 0) return 0.5;
  clues.sort(byStrength);
  const strongest = clues.slice(0, MAX_DISCRIMINATORS);
  let logHam = 0;
  let logSpam = 0;
  for (const p of strongest) {
    logHam += Math.log(p);
    logSpam += Math.log(1 - p);
  }
  const n = strongest.length;
  const spam = 1 - chiSquareQ(-2 * logSpam, 2 * n);
  const ham = 1 - chiSquareQ(-2 * logHam, 2 * n);
  const combined = (spam - ham + 1) / 2;
  return FEW_CLUES_PRIOR + (combined - FEW_CLUES_PRIOR) * Math.min(1, wordClues / FULL_EVIDENCE_CLUES);
}
