/**
 * Armored OpenPGP text, split into blocks. Pure string code, used by the facade (main thread) and the worker.
 *
 * @module armor
 */

/**
 * Splits text holding several armored blocks (as gpg exports them) into one string per block,
 * because openpgp.readKeys reads only the first block of concatenated armor.
 * @param {string} text
 * @returns {{kind: string, armor: string}[]} kind is e.g. "PUBLIC KEY", "PRIVATE KEY", "SIGNATURE", "MESSAGE"
 */
export function splitArmor(text) {
  const blocks = [];
  // "PUBLIC KEY BLOCK" ends in " BLOCK", "MESSAGE" and "SIGNATURE" do not; the kind leaves it out.
  const pattern = /-----BEGIN PGP ([A-Z ]+?)( BLOCK)?-----[\s\S]*?-----END PGP \1\2-----/g;
  for (const match of String(text || '').matchAll(pattern)) {
    blocks.push({ kind: match[1], armor: match[0] + '\n' });
  }
  return blocks;
}
