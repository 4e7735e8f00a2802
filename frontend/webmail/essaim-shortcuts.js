/**
 * Keyboard shortcuts of the webmail (see shortcuts.js for the keys), acting on what the page shows: the message
 * list (a Vaadin grid), the reader, the search box. Loaded once by the main layout; nothing here talks to the
 * server but through the buttons and links it presses, as the user would.
 */
import { actionFor, SHORTCUTS } from './shortcuts.js';
import { t } from '../i18n/essaim-i18n.js';

/** The help line of each action: keys js.shortcut.<action> of the bundles. */
const HELP = (action) => t('shortcut.' + action);

const reader = () => document.querySelector('essaim-reader');
const grid = () => document.querySelector('vaadin-grid#messages');

function pressInReader(id) {
  const r = reader();
  const button = r && r.shadowRoot && r.shadowRoot.querySelector('#' + id);
  if (button) { button.click(); return true; }
  return false;
}

function clickLight(selector) {
  const element = document.querySelector(selector);
  if (element && !element.hasAttribute('disabled')) { element.click(); return true; }
  return false;
}

function navigateByDrawer(path) {
  const item = document.querySelector(`vaadin-side-nav-item[path="${path}"]`);
  const link = item && item.shadowRoot && item.shadowRoot.querySelector('a');
  if (link) { link.click(); return true; }
  return false;
}

/** The grid's body cell that has the keyboard focus, or the first one (focused) when none has. */
function focusedCell(list) {
  const active = list.shadowRoot.activeElement;
  if (active && active.localName === 'td' && active.closest('#items')) return active;
  const row = list.shadowRoot.querySelector('#items tr:not([hidden])');
  const cells = row ? [...row.querySelectorAll('td:not([hidden])')] : [];
  const cell = cells[cells.length - 1]; // the last column: never the selection checkbox
  if (cell) cell.focus();
  return cell;
}

function moveInList(key) {
  const list = grid();
  if (!list) return false;
  const hadFocus = list.shadowRoot.activeElement && list.shadowRoot.activeElement.closest && list.shadowRoot.activeElement.closest('#items');
  const cell = focusedCell(list);
  if (!cell) return false;
  if (hadFocus) cell.dispatchEvent(new KeyboardEvent('keydown', { key, code: key, bubbles: true, composed: true }));
  return true;
}

function openFromList() {
  const list = grid();
  if (!list) return false;
  const active = list.shadowRoot.activeElement;
  if (!active || active.localName !== 'td') return false;
  const cells = [...active.parentElement.querySelectorAll('td:not([hidden])')];
  (cells[cells.length - 1] || active).click(); // the last column: a click there opens the message
  return true;
}

function toggleHelp(show) {
  let help = document.getElementById('shortcut-help');
  if (!show) { if (help) help.remove(); return true; }
  if (help) return true;
  help = document.createElement('div');
  help.id = 'shortcut-help';
  help.setAttribute('role', 'dialog');
  help.setAttribute('aria-label', t('shortcut.title'));
  help.style.cssText = 'position:fixed;inset:auto 1em 1em auto;z-index:1000;background:var(--lumo-base-color,#fff);'
    + 'border:1px solid var(--lumo-contrast-20pct,#ccc);border-radius:8px;padding:1em;box-shadow:var(--lumo-box-shadow-l);'
    + 'font-size:var(--lumo-font-size-s,14px);max-width:90vw';
  const title = document.createElement('strong');
  title.textContent = t('shortcut.titleEsc');
  const list = document.createElement('dl');
  list.style.cssText = 'display:grid;grid-template-columns:auto 1fr;gap:2px 1em;margin:.5em 0 0';
  for (const s of SHORTCUTS) {
    const dt = document.createElement('dt');
    const kbd = document.createElement('kbd');
    kbd.textContent = s.key;
    dt.append(kbd);
    const dd = document.createElement('dd');
    dd.style.margin = '0';
    dd.textContent = HELP(s.action);
    list.append(dt, dd);
  }
  help.append(title, list);
  document.body.append(help);
  return true;
}

const ACTIONS = {
  compose: () => navigateByDrawer('compose'),
  reply: () => pressInReader('reply'),
  'reply-all': () => pressInReader('reply-all'),
  forward: () => pressInReader('forward'),
  search: () => {
    const box = document.querySelector('essaim-search-box');
    if (!box) return false;
    box.focusField();
    return true;
  },
  next: () => moveInList('ArrowDown'),
  previous: () => moveInList('ArrowUp'),
  open: () => openFromList(),
  back: () => (reader() ? (history.back(), true) : false),
  archive: () => (reader() ? clickLight('#reader-archive') : clickLight('#archive-button')),
  delete: () => (reader() ? clickLight('#reader-delete') : clickLight('#delete-button')),
  help: () => toggleHelp(!document.getElementById('shortcut-help')),
};

window.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && document.getElementById('shortcut-help')) {
    toggleHelp(false);
    return;
  }
  const action = actionFor(event, event.composedPath());
  if (!action) return;
  if (action === 'open' && event.key === 'Enter' && !grid()) return;
  if (ACTIONS[action]()) event.preventDefault();
});
