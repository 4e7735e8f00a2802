/** Base64 of bytes and back, in chunks (String.fromCharCode takes a bounded number of arguments). @module bytes */

/** @param {Uint8Array} bytes @returns {string} */
export function bytesToBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** @param {string} text - base64 without whitespace @returns {Uint8Array} */
export function base64ToBytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
