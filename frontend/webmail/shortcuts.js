/**
 * Keyboard shortcuts as in Gmail and Roundcube, as a pure mapping from a key event to an action name, off while the
 * user types (inputs, text areas, editable content, the search field, open dialogs). Used by essaim-shortcuts.js.
 *
 * @module shortcuts
 */

/** Key -> action. Shown in the help (`?`). */
export const SHORTCUTS = [
  { key: 'c', action: 'compose' },
  { key: 'r', action: 'reply' },
  { key: 'a', action: 'reply-all' },
  { key: 'f', action: 'forward' },
  { key: '/', action: 'search' },
  { key: 'j', action: 'next' },
  { key: 'k', action: 'previous' },
  { key: 'o', action: 'open' },
  { key: 'Enter', action: 'open' },
  { key: 'u', action: 'back' },
  { key: 'e', action: 'archive' },
  { key: '#', action: 'delete' },
  { key: '?', action: 'help' },
];

const EDITABLE = new Set(['input', 'textarea', 'select']);

/** @param {EventTarget[]} path - event.composedPath() @returns {boolean} whether the user is typing somewhere */
export function isTyping(path) {
  return path.some((node) => node && node.nodeType === 1
    && (EDITABLE.has(node.localName) || node.isContentEditable || node.getAttribute('role') === 'textbox'
      || node.localName === 'vaadin-dialog-overlay'));
}

/**
 * @param {{key: string, ctrlKey?: boolean, metaKey?: boolean, altKey?: boolean}} event
 * @param {EventTarget[]} path
 * @returns {?string} the action, or null (modifier keys, typing, unknown key)
 */
export function actionFor(event, path = []) {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (isTyping(path)) return null;
  const found = SHORTCUTS.find((s) => s.key === event.key);
  return found ? found.action : null;
}
