/**
 * Transform: images embedded in the message itself (`<img src="cid:...">`, RFC 2392) shown from the decrypted
 * parts, as data: URLs; a cid: reference to a part the message does not have is dropped. Pure function of the
 * tree and the map it is given.
 *
 * @module cid-images
 */

/** @param {string} reference - "cid:<id>" or "cid:id" @returns {string} the lower-case Content-ID without brackets */
export function contentIdOf(reference) {
  return String(reference || '').trim().replace(/^cid:/i, '').replace(/^<|>$/g, '').toLowerCase();
}

/**
 * @param {Element|DocumentFragment} root
 * @param {Map<string,string>} cidUrls - Content-ID (lower-case, no brackets) -> data: URL of the inline part
 * @returns {{embedded: number, missing: number}}
 */
export function embedCidImages(root, cidUrls = new Map()) {
  let embedded = 0;
  let missing = 0;
  for (const node of root.querySelectorAll('[src]')) {
    const value = node.getAttribute('src').trim();
    if (!/^cid:/i.test(value)) continue;
    const inline = node.nodeName.toLowerCase() === 'img' ? cidUrls.get(contentIdOf(value)) : null;
    if (inline) {
      node.setAttribute('src', inline);
      embedded++;
    } else {
      node.removeAttribute('src');
      missing++;
    }
  }
  return { embedded, missing };
}
