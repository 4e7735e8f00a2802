/**
 * Transform: mail CSS loads nothing. Consent to remote images covers <img> only (docs/webmail.md), so CSS
 * url() (backgrounds, fonts, cursors) never loads anything but inline data, whatever the user chose, and
 * @import rules go. Applies to <style> elements and style attributes. Pure functions.
 *
 * @module styles
 */

const URL_FUNCTION = /url\(\s*(['"]?)(.*?)\1\s*\)/gi;
const IMPORT_RULE = /@import\s+(url\([^)]*\)|'[^']*'|"[^"]*")[^;]*;?/gi;

/**
 * @param {string} css
 * @returns {{css: string, removed: number}} the CSS with every non-data: url() replaced by `none`
 */
export function containCss(css) {
  let removed = 0;
  const withoutImports = String(css || '').replace(IMPORT_RULE, () => { removed++; return ''; });
  const contained = withoutImports.replace(URL_FUNCTION, (whole, quote, target) => {
    if (/^data:/i.test(target.trim())) return whole;
    removed++;
    return 'none';
  });
  return { css: contained, removed };
}

/**
 * @param {Element|DocumentFragment} root
 * @returns {{removed: number}} how many url() and @import were taken out
 */
export function containStyles(root) {
  let removed = 0;
  for (const sheet of root.querySelectorAll('style')) {
    const result = containCss(sheet.textContent);
    if (result.removed) sheet.textContent = result.css;
    removed += result.removed;
  }
  for (const node of root.querySelectorAll('[style]')) {
    const result = containCss(node.getAttribute('style'));
    if (result.removed) node.setAttribute('style', result.css);
    removed += result.removed;
  }
  return { removed };
}
