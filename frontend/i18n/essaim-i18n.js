/**
 * The browser elements' words, from the same bundles as the Vaadin views (src/main/resources/i18n/messages*.properties,
 * keys starting with "js."): the main layout hands this page's language and its strings to setStrings() when the
 * page opens. Elements call t(key, ...params) when they render and re-render on the "essaim-language" event.
 * Formats ({0}, {1}) follow java.text.MessageFormat's simple form; plurals are separate keys.
 *
 * @module essaim-i18n
 */
import { format } from './format.js';

let strings = {};

/**
 * @param {string} language - BCP 47 tag, e.g. "fr"
 * @param {Object<string,string>|string} values - key (without "js.") -> text, or that map as JSON
 */
export function setStrings(language, values) {
  strings = typeof values === 'string' ? JSON.parse(values) : { ...values };
  document.documentElement.lang = language;
  window.dispatchEvent(new CustomEvent('essaim-language', { detail: { language } }));
}

/** @returns {string} the page's language */
export function language() {
  return document.documentElement.lang || 'en';
}

/**
 * @param {string} key - without the "js." prefix
 * @param {...*} params
 * @returns {string} the text, or the key itself while strings are missing (visible, never an exception)
 */
export function t(key, ...params) {
  const pattern = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
  return format(pattern, params);
}

/** Makes a Lit element re-render when the language changes: call in connectedCallback, keep the result to remove it. */
export function followLanguage(element) {
  const listener = () => element.requestUpdate();
  window.addEventListener('essaim-language', listener);
  return () => window.removeEventListener('essaim-language', listener);
}

// The main layout (Java) calls this with executeJs once the page is there.
window.essaimI18n = { setStrings };
