/**
 * <essaim-subject>: the Subject cell of the message list.
 *
 * Encrypted mail stored by Essaim has "..." as its outer Subject and the real one in the
 * `Essaim-Encrypted-Subject` header (base64 OpenPGP). The Grid's LitRenderer hands that ciphertext to this
 * element as a property; the element decrypts it here, with the key unlocked in this page, and shows it in its
 * own shadow DOM. The decrypted subject is never put in an attribute, an event or a Flow-bound property: it
 * cannot travel back to the server.
 *
 * Decrypted subjects are cached in page memory (a Map keyed by the ciphertext), so scrolling back or a Grid
 * refresh does not decrypt again; the cache is emptied when the key locks (and dies with the page).
 *
 * Text is always inside an element (not a bare text node of the shadow root), so text search in tests and
 * assistive tools find it.
 *
 * States (attribute `state`, for styling and tests): clear (no encryption), decrypting, decrypted, locked
 * (key locked: hint to unlock), hidden (encrypted without the header, e.g. PGP/MIME from GnuPG: shows
 * "(encrypted subject)" until opened), failed (not decryptable with this key).
 */
import { LitElement, html, css } from 'lit';
import '@vaadin/icon';
import '@vaadin/icons';
import { decryptSubject, isUnlocked, onLockChange } from '../crypto/essaim-crypto.js';
import { isHiddenSubject } from './subject-lines.js';
import { t } from '../i18n/essaim-i18n.js';


/** ciphertext (base64) -> decrypted subject, for this page only. */
const cache = new Map();
/** ciphertext -> pending decryption, so rows showing the same message decrypt once. */
const pending = new Map();
/** Connected elements, told to re-render when the key locks or unlocks. */
const shown = new Set();

window.addEventListener('essaim-language', () => { for (const element of shown) element.requestUpdate(); });

onLockChange((unlocked) => {
  if (!unlocked) {
    cache.clear();
    pending.clear();
  }
  for (const element of shown) element.requestUpdate();
});

function decrypted(ciphertext) {
  if (cache.has(ciphertext)) return Promise.resolve(cache.get(ciphertext));
  let promise = pending.get(ciphertext);
  if (!promise) {
    promise = decryptSubject(ciphertext).then((subject) => {
      if (pending.get(ciphertext) === promise && isUnlocked()) cache.set(ciphertext, subject);
      return subject;
    }).finally(() => {
      if (pending.get(ciphertext) === promise) pending.delete(ciphertext);
    });
    pending.set(ciphertext, promise);
  }
  return promise;
}

class EssaimSubject extends LitElement {
  static properties = {
    /** The Essaim-Encrypted-Subject header value, or null/empty. */
    encrypted: { attribute: false },
    /** The outer Subject header. */
    outer: { attribute: false },
    _failed: { state: true },
  };

  static styles = css`
    :host { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .muted { color: var(--lumo-secondary-text-color); font-style: italic; }
    vaadin-icon { width: var(--lumo-icon-size-s); height: var(--lumo-icon-size-s); vertical-align: -0.2em; }
  `;

  connectedCallback() {
    super.connectedCallback();
    shown.add(this);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    shown.delete(this);
  }

  willUpdate(changed) {
    if (changed.has('encrypted')) this._failed = false;
  }

  render() {
    const ciphertext = this.encrypted || '';
    if (!ciphertext) {
      const outer = this.outer || '';
      if (isHiddenSubject(outer)) {
        this._state('hidden');
        return html`<span class="muted" title=${t('subject.hiddenTitle')}>${t('subject.hidden')}</span>`;
      }
      this._state('clear');
      return outer.trim() ? html`<span>${outer}</span>` : html`<span class="muted">${t('subject.none')}</span>`;
    }
    if (!isUnlocked()) {
      this._state('locked');
      return html`<span class="muted" title=${t('subject.lockedTitle')}
        ><vaadin-icon icon="vaadin:lock"></vaadin-icon> ${t('subject.locked')}</span>`;
    }
    if (this._failed) {
      this._state('failed');
      return html`<span class="muted" title=${t('subject.failedTitle')}>${t('subject.hidden')}</span>`;
    }
    if (cache.has(ciphertext)) {
      this._state('decrypted');
      const subject = cache.get(ciphertext);
      return subject.trim() ? html`<span>${subject}</span>` : html`<span class="muted">${t('subject.none')}</span>`;
    }
    this._state('decrypting');
    decrypted(ciphertext).then(
      () => { if (this.encrypted === ciphertext) this.requestUpdate(); },
      () => { if (this.encrypted === ciphertext && isUnlocked()) this._failed = true; },
    );
    return html`<span class="muted">…</span>`;
  }

  _state(state) {
    if (this.getAttribute('state') !== state) this.setAttribute('state', state);
  }
}

customElements.define('essaim-subject', EssaimSubject);
