/**
 * OpenPGP.js with Essaim's settings, and the small helpers every other internal module shares. Runs in the
 * crypto worker only (frontend/crypto/crypto-worker.js); the build check keeps every other file from importing
 * openpgp.
 *
 * Interoperability with GnuPG 2.2 / Thunderbird: v4 keys (config.v6Keys=false) of type
 * ecc/curve25519Legacy, no AEAD key protection (aeadProtect=false, iterated+salted S2K, which gpg reads),
 * and messages always in SEIPDv1 (the session key is chosen without an AEAD algorithm, even when every
 * recipient key advertises SEIPDv2).
 *
 * @module pgp
 */
import * as openpgp from 'openpgp';
import { splitArmor } from '../armor.js';
import { userError } from './user-error.js';

export { openpgp };

/** Settings passed to every OpenPGP.js call; see the module comment for why. */
export const CONFIG = Object.freeze({
  v6Keys: false,
  aeadProtect: false,
  preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes256,
  // Keys protected with the default iterated+salted S2K stay readable by gpg 2.2 (argon2 is not).
  s2kType: openpgp.enums.s2k.iterated,
});
Object.assign(openpgp.config, CONFIG);
/** Methods of key objects need the complete configuration (top-level functions merge CONFIG with defaults). */
export const FULL_CONFIG = openpgp.config;

/**
 * Reads every public key in a text that may hold several armored public key blocks.
 * @param {string|string[]} armored - one text or a list of texts with armored public keys
 * @returns {Promise<openpgp.Key[]>}
 */
export async function readPublicKeysFrom(armored) {
  const texts = Array.isArray(armored) ? armored : [armored];
  const keys = [];
  for (const text of texts) {
    const blocks = splitArmor(text).filter((b) => b.kind === 'PUBLIC KEY' || b.kind === 'PRIVATE KEY');
    if (blocks.length === 0 && String(text || '').trim()) throw userError('error.notArmoredKey', 'Not an armored OpenPGP key');
    for (const block of blocks) {
      for (const key of await openpgp.readKeys({ armoredKeys: block.armor, config: CONFIG })) {
        keys.push(key.isPrivate() ? key.toPublic() : key);
      }
    }
  }
  return keys;
}

export function readPublicKey(armored) {
  return openpgp.readKey({ armoredKey: armored, config: CONFIG });
}

export function formatFingerprint(key) {
  return key.getFingerprint().toUpperCase();
}

export function describeAlgorithm(key) {
  const info = key.getAlgorithmInfo();
  return info.algorithm + '/' + (info.curve || info.bits || '');
}

export function userIdsOf(key) {
  return key.getUserIDs();
}

export function hasUserIdFor(key, address) {
  return key.users.some((user) => user.userID && user.userID.email && user.userID.email.toLowerCase() === address);
}

export function emailsOf(key) {
  return [...new Set(key.users
    .filter((user) => user.userID && user.userID.email)
    .map((user) => user.userID.email.toLowerCase()))];
}

/** Refuses keys GnuPG 2.2 cannot use or that cannot receive mail: not v4, revoked, expired, no encryption subkey. */
export async function checkUsable(key) {
  if (key.keyPacket.version !== 4) {
    throw userError('error.keyVersion', 'This is a v' + key.keyPacket.version + ' key; GnuPG 2.2 and Thunderbird need v4 keys', key.keyPacket.version);
  }
  try {
    await key.verifyPrimaryKey(new Date(), undefined, FULL_CONFIG);
  } catch (e) {
    throw userError('error.keyUnusable', 'This key cannot be used: it is revoked, expired or its self-signature is invalid (' + e.message + ')', e.message);
  }
  try {
    await key.getEncryptionKey(undefined, new Date(), undefined, FULL_CONFIG);
  } catch (e) {
    throw userError('error.noEncryptionSubkey', 'This key has no usable encryption subkey (' + e.message + ')', e.message);
  }
}

/**
 * A session key without AEAD algorithm: OpenPGP.js then writes SEIPDv1 even if every recipient advertises
 * SEIPDv2 (GnuPG 2.2 reads only SEIPDv1).
 */
export async function seipdV1SessionKey(encryptionKeys) {
  const generated = await openpgp.generateSessionKey({ encryptionKeys, config: CONFIG });
  return { data: generated.data, algorithm: generated.algorithm };
}
