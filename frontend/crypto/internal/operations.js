/**
 * Encrypting, decrypting, signing and verifying with the account's keys. Plaintext comes back only from the
 * decrypting and verifying functions, for display in the page that asked.
 *
 * @module operations
 */
import { openpgp, CONFIG, readPublicKeysFrom, formatFingerprint, userIdsOf, seipdV1SessionKey } from './pgp.js';
import * as keyring from './keyring.js';
import * as lock from './lock.js';
import { userError } from './user-error.js';

async function encryptionKeysFor(recipientsArmored, encryptToSelf) {
  const encryptionKeys = await readPublicKeysFrom(recipientsArmored || []);
  if (encryptToSelf) {
    await keyring.requireRecord();
    encryptionKeys.push(await keyring.ownPublicKey());
  }
  if (encryptionKeys.length === 0) throw userError('error.noRecipientKey', 'No recipient key');
  return encryptionKeys;
}

/** Unlocked keys to decrypt with; throws when the current key is locked. */
export async function decryptionKeys() {
  await keyring.currentUnlockedKey();
  return lock.allKeys();
}

async function verificationKeysWith(armored) {
  const keys = await readPublicKeysFrom(armored || []);
  const own = await keyring.ownPublicKey();
  if (own) keys.push(own);
  return keys;
}

async function signatureResults(signatures) {
  return Promise.all((signatures || []).map(async (s) => {
    const result = { keyId: s.keyID.toHex().toUpperCase(), valid: false, error: null };
    try {
      result.valid = (await s.verified) === true;
    } catch (e) {
      result.error = e.message;
    }
    return result;
  }));
}

async function describeSigners(signatures, verificationKeys) {
  return Promise.all((signatures || []).map(async (s) => {
    const key = verificationKeys.find((k) => k.getKeys(s.keyID).length > 0) || null;
    const result = {
      status: 'unknown-key',
      keyId: s.keyID.toHex().toUpperCase(),
      fingerprint: key ? formatFingerprint(key) : null,
      userIds: key ? userIdsOf(key) : [],
      error: null,
    };
    try {
      if ((await s.verified) === true) result.status = 'valid';
    } catch (e) {
      result.error = e.message;
      result.status = key ? 'bad' : 'unknown-key';
    }
    return result;
  }));
}

export async function encrypt({ text, recipientsArmored, sign = true, encryptToSelf = true }) {
  const encryptionKeys = await encryptionKeysFor(recipientsArmored, encryptToSelf);
  const signingKeys = sign ? [await keyring.currentUnlockedKey()] : undefined;
  const sessionKey = await seipdV1SessionKey(encryptionKeys);
  const message = await openpgp.createMessage({ text: String(text) });
  return openpgp.encrypt({ message, encryptionKeys, signingKeys, sessionKey, format: 'armored', config: CONFIG });
}

export async function decrypt(armoredMessage, { sendersArmored } = {}) {
  const keys = await decryptionKeys();
  const message = await openpgp.readMessage({ armoredMessage, config: CONFIG });
  const { data, signatures } = await openpgp.decrypt({
    message,
    decryptionKeys: keys,
    verificationKeys: await verificationKeysWith(sendersArmored),
    config: CONFIG,
  });
  return { data, signatures: await signatureResults(signatures) };
}

export async function sign({ text, detached = false }) {
  const signingKeys = [await keyring.currentUnlockedKey()];
  if (detached) {
    const message = await openpgp.createMessage({ text: String(text) });
    return openpgp.sign({ message, signingKeys, detached: true, format: 'armored', config: CONFIG });
  }
  const message = await openpgp.createCleartextMessage({ text: String(text) });
  return openpgp.sign({ message, signingKeys, format: 'armored', config: CONFIG });
}

export async function verify({ cleartextMessage, text, signatureArmored, publicKeysArmored }) {
  const verificationKeys = await verificationKeysWith(publicKeysArmored);
  let result;
  if (cleartextMessage) {
    const message = await openpgp.readCleartextMessage({ cleartextMessage, config: CONFIG });
    result = await openpgp.verify({ message, verificationKeys, config: CONFIG });
  } else {
    const message = await openpgp.createMessage({ text: String(text) });
    const signature = await openpgp.readSignature({ armoredSignature: signatureArmored, config: CONFIG });
    result = await openpgp.verify({ message, signature, verificationKeys, config: CONFIG });
  }
  return { data: result.data, signatures: await signatureResults(result.signatures) };
}

export async function decryptMime(bytesOrArmored, { sendersArmored } = {}) {
  const keys = await decryptionKeys();
  const message = typeof bytesOrArmored === 'string'
    ? await openpgp.readMessage({ armoredMessage: bytesOrArmored, config: CONFIG })
    : await openpgp.readMessage({ binaryMessage: bytesOrArmored, config: CONFIG });
  const verificationKeys = await verificationKeysWith(sendersArmored);
  const { data, signatures } = await openpgp.decrypt({
    message,
    decryptionKeys: keys,
    verificationKeys,
    format: 'binary',
    config: CONFIG,
  });
  return { data, signatures: await describeSigners(signatures, verificationKeys) };
}

export async function verifySigned({ data, signatureArmored, cleartextMessage, sendersArmored }) {
  const verificationKeys = await verificationKeysWith(sendersArmored);
  if (cleartextMessage) {
    const message = await openpgp.readCleartextMessage({ cleartextMessage, config: CONFIG });
    const result = await openpgp.verify({ message, verificationKeys, config: CONFIG });
    return { text: result.data, signatures: await describeSigners(result.signatures, verificationKeys) };
  }
  const message = await openpgp.createMessage({ binary: data });
  const signature = await openpgp.readSignature({ armoredSignature: signatureArmored, config: CONFIG });
  const result = await openpgp.verify({ message, signature, verificationKeys, config: CONFIG });
  return { text: null, signatures: await describeSigners(result.signatures, verificationKeys) };
}
