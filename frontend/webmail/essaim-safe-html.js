/**
 * Hostile HTML mail made harmless, per STACK.md's tested recipe: DOMPurify removes scripts, event handlers,
 * javascript: URLs, forms and document-level tags; a hook drops every remote source (src, srcset, background,
 * poster, SVG href) unless the user asked for remote images, and then allows them on <img> only; the result goes
 * into an <iframe sandbox> without allow-scripts, whose own Content-Security-Policy blocks any remaining remote
 * load (CSS url(), fonts, @import) and form submissions.
 *
 * @module essaim-safe-html
 */
import createDOMPurify from 'dompurify';

const purifier = createDOMPurify(window);

const FORBID_TAGS = ['form', 'input', 'button', 'textarea', 'select', 'option', 'base', 'meta', 'link', 'script',
  'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal'];
const FORBID_ATTR = ['action', 'formaction', 'ping', 'srcdoc'];
const SOURCE_ATTRIBUTES = ['src', 'srcset', 'background', 'poster', 'lowsrc', 'dynsrc'];
const REMOTE_URL_IN_CSS = /url\(\s*['"]?\s*(https?:)?\/\//i;

/** The state of one sanitize run, read by the hook (DOMPurify hooks are per instance, not per call). */
let current = null;

purifier.addHook('afterSanitizeAttributes', (node) => {
  if (!current || !node.getAttribute) return;
  const tag = node.nodeName.toLowerCase();
  for (const name of SOURCE_ATTRIBUTES) {
    if (!node.hasAttribute(name)) continue;
    const value = node.getAttribute(name).trim();
    if (name === 'src' && /^cid:/i.test(value)) {
      const inline = current.cidUrls.get(value.slice(4).replace(/^<|>$/g, '').toLowerCase());
      if (inline) node.setAttribute('src', inline); else node.removeAttribute('src');
    } else if (/^data:image\//i.test(value) && name !== 'srcset') {
      // inline image data: loads nothing
    } else if (current.allowRemoteImages && tag === 'img' && name === 'src' && /^https?:\/\//i.test(value)) {
      current.remote++;
    } else {
      if (/^(https?:)?\/\//i.test(value)) current.remote++;
      node.removeAttribute(name);
    }
  }
  for (const name of ['href', 'xlink:href']) {
    if (!node.hasAttribute(name)) continue;
    if (tag === 'a' || tag === 'area') {
      node.setAttribute('rel', 'noopener noreferrer');
      node.setAttribute('target', '_blank');
    } else if (!node.getAttribute(name).trim().startsWith('#')) {
      node.removeAttribute(name); // SVG <image href>, <use href>: remote loads
    }
  }
  if (node.hasAttribute('style') && REMOTE_URL_IN_CSS.test(node.getAttribute('style'))) current.remote++;
});

/**
 * @param {string} html - the decrypted HTML part
 * @param {{allowRemoteImages?: boolean, cidUrls?: Map<string,string>}} options - cidUrls: Content-ID (lower-case,
 *        no brackets) -> data: URL of inline parts
 * @returns {{html: string, remoteBlocked: number}} the clean body HTML and how many remote references it had
 */
export function sanitizeMailHtml(html, { allowRemoteImages = false, cidUrls = new Map() } = {}) {
  current = { allowRemoteImages, cidUrls, remote: 0 };
  try {
    const clean = purifier.sanitize(String(html || ''), {
      FORBID_TAGS,
      FORBID_ATTR,
      ALLOW_DATA_ATTR: false,
      WHOLE_DOCUMENT: false,
    });
    const styleSheets = (clean.match(/<style[\s\S]*?<\/style>/gi) || []).join('');
    const remote = current.remote + (REMOTE_URL_IN_CSS.test(styleSheets) ? 1 : 0);
    return { html: clean, remoteBlocked: remote };
  } finally {
    current = null;
  }
}

/**
 * The iframe document for sanitized HTML, with the Content-Security-Policy that blocks everything remote
 * (images too, unless allowed) and every form submission.
 * @param {string} cleanHtml - output of sanitizeMailHtml
 * @param {{allowRemoteImages?: boolean}} options
 */
export function frameDocument(cleanHtml, { allowRemoteImages = false } = {}) {
  const images = allowRemoteImages ? 'data: cid: https: http:' : 'data: cid:';
  const policy = `default-src 'none'; img-src ${images}; style-src 'unsafe-inline'; font-src data:; form-action 'none'`;
  return '<!DOCTYPE html><html><head><meta charset="utf-8">'
    + `<meta http-equiv="Content-Security-Policy" content="${policy}">`
    + '<meta name="referrer" content="no-referrer">'
    + '<style>html,body{margin:0;padding:0}body{padding:8px;font-family:sans-serif;overflow-wrap:anywhere}'
    + 'img{max-width:100%;height:auto}</style>'
    + '</head><body>' + cleanHtml + '</body></html>';
}

/**
 * The readable text of sanitized HTML (for quoting in answers). DOMParser documents run no scripts and load nothing.
 * @param {string} cleanHtml
 */
export function textOfHtml(cleanHtml) {
  const doc = new DOMParser().parseFromString(cleanHtml, 'text/html');
  for (const block of doc.querySelectorAll('p, div, br, li, tr, h1, h2, h3, h4, h5, h6')) {
    block.append('\n');
  }
  return (doc.body.textContent || '').replace(/\n{3,}/g, '\n\n').trim();
}
