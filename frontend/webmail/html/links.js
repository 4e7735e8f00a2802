/**
 * Transform: links open outside Essaim, without telling the target where they came from. Absolute http(s) and
 * mailto links get target="_blank" rel="noopener noreferrer"; in-message anchors (#id) stay in the frame;
 * anything else (relative links, which would open on the Essaim origin, and other schemes) loses its href.
 * Non-link elements lose href/xlink:href (SVG <image>/<use> would load remote content). Pure function of the tree.
 *
 * @module links
 */

const OPENS_OUTSIDE = /^\s*(https?:\/\/|mailto:)/i;

/**
 * @param {Element|DocumentFragment} root
 * @returns {{external: number, removed: number}}
 */
export function secureLinks(root) {
  let external = 0;
  let removed = 0;
  for (const node of root.querySelectorAll('[href], [xlink\\:href]')) {
    const tag = node.nodeName.toLowerCase();
    for (const name of ['href', 'xlink:href']) {
      if (!node.hasAttribute(name)) continue;
      const value = node.getAttribute(name).trim();
      if (tag === 'a' || tag === 'area') {
        if (OPENS_OUTSIDE.test(value)) {
          node.setAttribute('target', '_blank');
          node.setAttribute('rel', 'noopener noreferrer');
          external++;
          continue;
        }
        if (value.startsWith('#') && value.length > 1) {
          node.removeAttribute('target');
          continue;
        }
      } else if (value.startsWith('#')) {
        continue; // SVG references inside the document load nothing
      }
      node.removeAttribute(name);
      removed++;
    }
  }
  return { external, removed };
}
