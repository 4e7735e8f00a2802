/**
 * A message as the server stores it, opened in the worker: the one place that takes off the PGP/MIME envelope
 * (RFC 3156 multipart/encrypted) and, for the search index and the spam filter, parses what is inside. Signatures
 * are not checked here; the reader does that on the page.
 *
 * @module stored-message
 */
import PostalMime from 'postal-mime';
import { decryptMime } from './operations.js';
import { parseEntity, splitMultipart, bodyText, armoredBlock } from '../../webmail/essaim-mime.js';

/**
 * The MIME entity the sender wrote: the decrypted content of a PGP/MIME message, or the stored bytes unchanged when
 * the message is not PGP/MIME (clear mail from before encryption at delivery, or inline PGP, see readMessage).
 * @param {Uint8Array} raw the stored message
 * @returns {Promise<Uint8Array>}
 */
export async function innerEntity(raw) {
  const outer = parseEntity(raw);
  if (outer.type !== 'multipart/encrypted') return raw;
  const parts = splitMultipart(outer.body, outer.params.boundary);
  const payload = bodyText(parseEntity(parts[1]));
  return (await decryptMime(armoredBlock(payload, 'MESSAGE') || payload)).data;
}

/**
 * Decrypts (PGP/MIME or an inline PGP text body) and parses a stored message, as the reader does.
 * @param {Uint8Array} raw the stored message
 * @returns {Promise<Object>} postal-mime's parsed email
 */
export async function readMessage(raw) {
  const email = await PostalMime.parse(await innerEntity(raw));
  if (!email.html && email.text && email.text.includes('-----BEGIN PGP MESSAGE-----')) {
    const { data } = await decryptMime(armoredBlock(email.text, 'MESSAGE'));
    email.text = new TextDecoder().decode(data);
  }
  return email;
}
