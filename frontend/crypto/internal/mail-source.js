import { userError } from './user-error.js';

/**
 * Reads the signed-in member's stored mail from the webmail's mail source endpoint (folders, UID lists, metadata and
 * the stored bytes of one message) for the worker modules that index or judge mail in the browser (search, spam).
 * What comes back is what the server stores: ciphertext, decrypted by the caller in this worker.
 */

/** A same-origin request; X-Requested-With keeps a lapsed session from raising the browser's password dialog. */
export function request(url, init = {}) {
  return fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { 'X-Requested-With': 'essaim' }, ...init });
}

/** The endpoint's JSON answer to one operation (`op`) and its parameters. */
export async function fetchJson(source, params) {
  const url = new URL(source);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const response = await request(url);
  if (!response.ok) throw serverAnswered(response);
  return response.json();
}

/** The stored bytes of one message, or null when it is gone (moved or deleted since it was listed). */
export async function fetchRaw(source, folder, uid) {
  const response = await request(rawUrl(source, folder, uid));
  if (response.status === 404) return null;
  if (!response.ok) throw serverAnswered(response);
  return new Uint8Array(await response.arrayBuffer());
}

function rawUrl(source, folder, uid) {
  const url = new URL(source);
  url.searchParams.set('op', 'raw');
  url.searchParams.set('folder', folder);
  url.searchParams.set('uid', String(uid));
  return url;
}

function serverAnswered(response) {
  return userError('error.serverAnswered', 'The mail server answered ' + response.status, response.status);
}
