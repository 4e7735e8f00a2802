/**
 * The member's own spam filter (issue 16), in the crypto worker: a classifier (../../spam/classifier.js, the
 * server's algorithm) trained only on this member's decrypted mail when they say "Spam" or "Not spam", applied to
 * new Inbox mail while the webmail is open. Its table is stored encrypted to the member's own key as one opaque
 * blob on the server (GET/PUT of the `store` URL, /api/spam/classifier): the server only ever holds ciphertext, and
 * learns only that the member moved a message, as it would from any mail client.
 *
 * @module spam-filter
 */
import * as keyring from './keyring.js';
import * as lock from './lock.js';
import { encrypt, decrypt } from './operations.js';
import { readMessage, innerEntity } from './stored-message.js';
import { request, fetchJson, fetchRaw } from './mail-source.js';
import { userError } from './user-error.js';
import { emptyTable, learn, unlearn, spamminess } from '../../spam/classifier.js';
import { tokens } from '../../spam/tokenizer.js';

/** New Inbox mail at least this spammy is moved to Spam (the page says so, with an undo). */
export const REFILE_AT = 0.8;
/** The table must have learnt at least this many of each kind before it moves anything. */
export const MINIMUM_TRAINING = 2;
const INBOX = 'INBOX';

/** @type {?{account: string, source: string, store: string, state: Object}} in worker memory only */
let session = null;
let opening = null;

/** Training and checking one at a time: both read and rewrite the table. */
let queue = Promise.resolve();
function serially(work) {
  const run = queue.then(work, work);
  queue = run.catch(() => {});
  return run;
}

lock.whenLocked(() => {
  session = null;
  opening = null;
});

function requireSession() {
  if (!session || session.account !== keyring.currentAccount()) throw new Error('The spam filter is not open: unlock your key');
  return session;
}

async function readStored(s, folder, uid) {
  const raw = await fetchRaw(s.source, folder, uid);
  return raw && readMessage(raw);
}

async function save(s) {
  const armored = await encrypt({ text: JSON.stringify(s.state), recipientsArmored: [], sign: false, encryptToSelf: true });
  const response = await request(s.store, { method: 'PUT', headers: { 'Content-Type': 'application/pgp-encrypted', 'X-Requested-With': 'essaim' }, body: armored });
  if (!response.ok) throw new Error('The server did not keep the spam filter (' + response.status + ')');
}

function summary(s) {
  const { table } = s.state;
  return { open: true, spam: table.spam, ham: table.ham, ready: table.spam >= MINIMUM_TRAINING && table.ham >= MINIMUM_TRAINING };
}

/**
 * Opens the member's filter: reads and decrypts the stored table, or starts an empty one (which will judge only
 * mail that arrives from now on).
 * @param {{source: string, store: string}} urls - the page's mail source and the blob's URL (absolute)
 */
export async function open({ source, store }) {
  const account = keyring.requireAccount();
  await keyring.currentUnlockedKey();
  if (session && session.account === account) return summary(session);
  if (!opening) opening = load(account, source, store).finally(() => { opening = null; });
  await opening;
  return summary(requireSession());
}

async function load(account, source, store) {
  const response = await request(store);
  let state;
  if (response.status === 200) {
    state = JSON.parse((await decrypt(await response.text())).data);
  } else if (response.status === 204 || response.status === 404) {
    state = { table: emptyTable(), labels: {}, inbox: null };
  } else {
    throw new Error('The server answered ' + response.status);
  }
  if (keyring.currentAccount() !== account || !lock.isUnlocked()) throw new Error('The key was locked meanwhile');
  session = { account, source, store, state };
  if (!state.inbox) {
    await checkInbox(session, false); // from now on: mail already there is the member's business
    await save(session);
  }
}

/**
 * Learns the given messages as spam or not spam (the member pressed Spam / Not spam, or moved them into or out of
 * Spam), before they move. A message learnt the other way before is unlearnt first; one learnt the same way is
 * skipped.
 * @returns {Promise<{learned: number}>}
 */
export async function train(folder, uids, spam) {
  return serially(() => trainNow(folder, uids, spam));
}

async function trainNow(folder, uids, spam) {
  const s = requireSession();
  let learned = 0;
  for (const uid of uids) {
    const email = await readStored(s, folder, uid);
    if (!email) continue;
    const id = email.messageId || `${folder}/${uid}`;
    const before = s.state.labels[id];
    if (before === (spam ? 's' : 'h')) continue;
    const words = [...tokens(email)];
    if (before) unlearn(s.state.table, words, before === 's');
    learn(s.state.table, words, spam);
    s.state.labels[id] = spam ? 's' : 'h';
    learned++;
  }
  if (learned > 0) await save(s);
  return { learned, ...summary(s) };
}

/**
 * Judges the Inbox mail that arrived since the last look.
 * @returns {Promise<{refile: {uid: number, score: number}[]}>} the messages the page should move to Spam
 */
export async function check() {
  return serially(checkNow);
}

async function checkNow() {
  const s = requireSession();
  const refile = await checkInbox(s, summary(s).ready);
  await save(s);
  return { refile };
}

async function checkInbox(s, judge) {
  const listing = await fetchJson(s.source, { op: 'uids', folder: INBOX });
  const uids = listing.messages.map((m) => m[0]);
  const last = s.state.inbox && s.state.inbox.uidValidity === listing.uidValidity ? s.state.inbox.lastUid : null;
  const refile = [];
  if (judge && last !== null) {
    for (const uid of uids.filter((u) => u > last)) {
      const email = await readStored(s, INBOX, uid).catch(() => null);
      if (!email) continue;
      if (email.messageId && s.state.labels[email.messageId]) continue; // the member judged it: theirs to file
      const score = spamminess(s.state.table, tokens(email));
      if (score >= REFILE_AT) refile.push({ uid, score: Math.round(score * 100) / 100 });
    }
  }
  s.state.inbox = { uidValidity: listing.uidValidity, lastUid: Math.max(last || 0, ...uids, 0) };
  return refile;
}

/**
 * "Report spam and share it", after the member agreed in the page's consent dialog: decrypts that one message here
 * and sends it, as the sender wrote it, to the server (POST shared, next to the store URL), which learns from it
 * as spam and keeps nothing of it.
 * @returns {Promise<{status: number}>} the server's answer (204 learnt, 413 too large, 429 daily limit reached)
 */
export async function share(folder, uid) {
  const s = requireSession();
  const raw = await fetchRaw(s.source, folder, uid);
  if (!raw) throw userError('error.serverAnswered', 'The mail server answered 404', 404);
  const content = await innerEntity(raw);
  const sent = await request(new URL('shared', s.store), {
    method: 'POST', headers: { 'Content-Type': 'message/rfc822', 'X-Requested-With': 'essaim' }, body: content,
  });
  return { status: sent.status };
}

/** @returns {{open: boolean, spam?: number, ham?: number, ready?: boolean}} counts only */
export async function status() {
  return session && session.account === keyring.currentAccount() ? summary(session) : { open: false };
}
