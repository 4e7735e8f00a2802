/**
 * The `Essaim-Encrypted-Subject` header: the real subject as a small unsigned SEIPDv1 OpenPGP message, base64
 * of the binary packets, encrypted to the same keys as the body, so a message list can show subjects without
 * fetching whole messages.
 *
 * @module subjects
 */
import { openpgp, CONFIG, readPublicKeysFrom, seipdV1SessionKey } from './pgp.js';
import * as keyring from './keyring.js';
import { decryptionKeys } from './operations.js';
import { bytesToBase64, base64ToBytes } from './bytes.js';
import { userError } from './user-error.js';

export async function encryptSubject({ subject, recipientsArmored = [], encryptToSelf = true }) {
  const encryptionKeys = await readPublicKeysFrom(recipientsArmored);
  if (encryptToSelf) {
    await keyring.requireRecord();
    encryptionKeys.push(await keyring.ownPublicKey());
  }
  if (encryptionKeys.length === 0) throw userError('error.noRecipientKey', 'No recipient key');
  const sessionKey = await seipdV1SessionKey(encryptionKeys);
  const message = await openpgp.createMessage({ text: String(subject ?? '') });
  const binary = await openpgp.encrypt({ message, encryptionKeys, sessionKey, format: 'binary', config: CONFIG });
  return bytesToBase64(binary);
}

export async function decryptSubject(headerValue) {
  const keys = await decryptionKeys();
  const binaryMessage = base64ToBytes(String(headerValue || '').replace(/\s+/g, ''));
  const message = await openpgp.readMessage({ binaryMessage, config: CONFIG });
  const { data } = await openpgp.decrypt({ message, decryptionKeys: keys, config: CONFIG });
  return data;
}
