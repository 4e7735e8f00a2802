/**
 * Transform: nothing remote loads unless the user asked, and then only images. Every element's source
 * attributes (src, srcset, background, poster, lowsrc, dynsrc) are dropped unless they hold inline image data
 * (data:image/...) or a cid: reference (resolved by embedCidImages); with `allowRemoteImages`, an <img src>
 * on http(s) stays. Pure function of the tree it is given (it edits that tree and keeps no state).
 *
 * @module remote-content
 */

export const SOURCE_ATTRIBUTES = ['src', 'srcset', 'background', 'poster', 'lowsrc', 'dynsrc'];
const REMOTE = /^\s*(https?:)?\/\//i;

/** @param {string} value @returns {boolean} whether a URL reaches another host (http, https or //host) */
export function isRemoteUrl(value) {
  return REMOTE.test(String(value || ''));
}

/**
 * @param {Element|DocumentFragment} root - sanitized mail HTML
 * @param {{allowRemoteImages?: boolean}} [options]
 * @returns {{remoteImages: number}} how many remote images the mail has (blocked ones, or loaded ones when allowed)
 */
export function blockRemoteContent(root, { allowRemoteImages = false } = {}) {
  let remoteImages = 0;
  const selector = SOURCE_ATTRIBUTES.map((name) => '[' + name + ']').join(',');
  for (const node of root.querySelectorAll(selector)) {
    const tag = node.nodeName.toLowerCase();
    for (const name of SOURCE_ATTRIBUTES) {
      if (!node.hasAttribute(name)) continue;
      const value = node.getAttribute(name).trim();
      const isImage = tag === 'img' && name === 'src';
      if (name === 'src' && /^cid:/i.test(value)) continue; // embedCidImages decides
      if (/^data:image\//i.test(value) && name !== 'srcset') continue; // inline image data loads nothing
      if (isImage && isRemoteUrl(value)) {
        remoteImages++;
        if (allowRemoteImages) continue;
      }
      node.removeAttribute(name);
    }
  }
  return { remoteImages };
}
