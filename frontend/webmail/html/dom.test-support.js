/** A DOM for the transforms' unit tests in Node (linkedom: a small DOM implementation, no browser). */
import { parseHTML } from 'linkedom';

/** @param {string} html - body content @returns {HTMLElement} the body holding it */
export function bodyOf(html) {
  const { document } = parseHTML('<!DOCTYPE html><html><head></head><body>' + html + '</body></html>');
  return document.body;
}
