/**
 * Errors the page shows to people, in the page's language. The worker has no language bundles, so such an error
 * carries a key of the bundles (`js.` + key in src/main/resources/i18n/messages*.properties) and its parameters
 * beside its English text; worker-client.js translates it on the page, and keeps the English text when the key
 * has no translation there.
 *
 * @module user-error
 */

/**
 * @param {string} key - e.g. "error.wrongPassphrase" (bundles: js.error.wrongPassphrase)
 * @param {string} english - the text in English, as logs and tests outside a page see it
 * @param {...*} params - the {0}, {1}... of the translated text
 * @returns {Error}
 */
export function userError(key, english, ...params) {
  const error = new Error(english);
  error.key = key;
  error.params = params.map((p) => String(p));
  return error;
}
