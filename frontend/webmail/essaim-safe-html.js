/**
 * Hostile HTML mail made harmless, per STACK.md's tested recipe, as a pipeline: DOMPurify removes scripts, event
 * handlers, javascript: URLs, forms and document-level tags; then small pure transforms (html/*.js, each with its
 * own unit test) edit the clean tree: remote content, embedded cid: images, links, styles. The result goes into
 * an <iframe sandbox> without allow-scripts, whose own Content-Security-Policy blocks any remaining remote load
 * and form submissions. No DOMPurify hook and no module state: every call is independent.
 *
 * @module essaim-safe-html
 */
import createDOMPurify from 'dompurify';
import { blockRemoteContent } from './html/remote-content.js';
import { embedCidImages } from './html/cid-images.js';
import { secureLinks } from './html/links.js';
import { containStyles } from './html/styles.js';

const purifier = createDOMPurify(window);

const FORBID_TAGS = ['form', 'input', 'button', 'textarea', 'select', 'option', 'base', 'meta', 'link', 'script',
  'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal'];
const FORBID_ATTR = ['action', 'formaction', 'ping', 'srcdoc'];

/**
 * @param {string} html - the decrypted HTML part
 * @param {{allowRemoteImages?: boolean, cidUrls?: Map<string,string>}} options - cidUrls: Content-ID (lower-case,
 *        no brackets) -> data: URL of inline parts
 * @returns {{html: string, remoteBlocked: number, remoteImages: number}} the clean body HTML; remoteImages: how many
 *          remote images it has; remoteBlocked: how many of them are blocked (0 once allowed)
 */
export function sanitizeMailHtml(html, { allowRemoteImages = false, cidUrls = new Map() } = {}) {
  const body = purifier.sanitize(String(html || ''), {
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_DATA_ATTR: false,
    WHOLE_DOCUMENT: false,
    RETURN_DOM: true,
  });
  embedCidImages(body, cidUrls);
  const { remoteImages } = blockRemoteContent(body, { allowRemoteImages });
  secureLinks(body);
  containStyles(body);
  return { html: body.innerHTML, remoteImages, remoteBlocked: allowRemoteImages ? 0 : remoteImages };
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
