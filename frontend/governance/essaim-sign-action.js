/**
 * <essaim-sign-action>: signs admin statements in the admin's browser (issue 7, docs/audit.md).
 *
 * Java (admin/ActionSigner) builds the canonical statement and calls signStatement(text); this element signs it
 * with the account's own key through the crypto module (detached, armored) and returns ONLY the armored signature.
 * The passphrase is typed into a plain input in this element's shadow DOM (never a Flow field), used to unlock the
 * key in page memory and cleared; nothing but the signature goes back to the server.
 *
 * Where it is placed, the element says why the admin cannot act (no key in this browser, a key that is not the
 * published one, no published key) with a link to the Keys page, and asks for the passphrase when a statement
 * waits to be signed and the key is locked (unlocking from the top bar works too).
 */
import { LitElement, html, css, nothing } from 'lit';
import * as crypto from '../crypto/essaim-crypto.js';
import { t, followLanguage } from '../i18n/essaim-i18n.js';

const SHORT = (fingerprint) => (fingerprint ? '…' + fingerprint.slice(-16) : '');

class EssaimSignAction extends LitElement {
  static properties = {
    account: { type: String },
    publishedFingerprint: { type: String },
    _status: { state: true },
    _unlocked: { state: true },
    _asking: { state: true },
    _error: { state: true },
    _busy: { state: true },
  };

  static styles = css`
    :host { display: block; font-size: var(--lumo-font-size-s); }
    p { margin: 0 0 var(--lumo-space-s) 0; }
    .problem { color: var(--lumo-error-text-color); }
    .hint { color: var(--lumo-secondary-text-color); }
    form { display: flex; flex-wrap: wrap; align-items: center; gap: var(--lumo-space-s);
      padding: var(--lumo-space-s) var(--lumo-space-m); border: 1px solid var(--lumo-primary-color-50pct);
      border-radius: var(--lumo-border-radius-m); background: var(--lumo-primary-color-10pct); }
    input { font: inherit; padding: 0.35em 0.5em; min-width: 16rem; }
    button { font: inherit; padding: 0.35em 0.8em; cursor: pointer; }
  `;

  constructor() {
    super();
    this.account = '';
    this.publishedFingerprint = '';
    this._status = null;
    this._unlocked = crypto.isUnlocked();
    this._asking = false;
    this._error = '';
    this._busy = false;
    this._pending = null; // {resolve, reject} of the statement waiting for the passphrase
  }

  connectedCallback() {
    super.connectedCallback();
    this._unsubscribe = crypto.onLockChange((unlocked) => {
      this._unlocked = unlocked;
      if (unlocked && this._pending) this._settle(null); // unlocked elsewhere (e.g. the top bar)
    });
    this._unfollow = followLanguage(this);
    this.refresh();
    // A key created, imported or published in another tab shows when the user comes back to this one.
    this._onVisible = () => { if (document.visibilityState === 'visible') this.refresh(); };
    document.addEventListener('visibilitychange', this._onVisible);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this._onVisible);
    if (this._unsubscribe) this._unsubscribe();
    if (this._unfollow) this._unfollow();
    if (this._pending) this._settle(new Error(t('sign.pageLeft')));
  }

  updated(changed) {
    if (changed.has('account') && changed.get('account') !== undefined && this.account) this.refresh();
    if (changed.has('_asking') && this._asking) {
      const input = this.renderRoot.querySelector('#sign-passphrase');
      if (input) input.focus();
    }
  }

  /** Reads the browser's (public) key state for the account. */
  async refresh() {
    if (!this.account) return null;
    try {
      this._status = await crypto.selectAccount(this.account);
    } catch (e) {
      this._status = { hasKey: false, fingerprint: null, unlocked: false };
    }
    this._unlocked = crypto.isUnlocked();
    return this._status;
  }

  /** Why this browser cannot sign for the account, or '' when it can. */
  _whyNot(status) {
    if (!status || !status.hasKey) {
      return t('sign.noKey', this.account);
    }
    if (!this.publishedFingerprint) {
      return t('sign.notPublished');
    }
    if (status.fingerprint !== this.publishedFingerprint) {
      return t('sign.otherKey', SHORT(status.fingerprint), SHORT(this.publishedFingerprint));
    }
    return '';
  }

  /**
   * Signs a statement (Java calls this): a detached, armored signature over its exact text.
   * Waits for the passphrase when the key is locked.
   * @param {string} text - the canonical statement built by the server
   * @returns {Promise<string>} the armored signature, nothing else
   */
  async signStatement(text) {
    const status = await this.refresh();
    const why = this._whyNot(status);
    if (why) throw new Error(why);
    if (!crypto.isUnlocked()) {
      await new Promise((resolve, reject) => {
        if (this._pending) this._pending.reject(new Error(t('sign.replaced')));
        this._pending = { resolve, reject };
        this._error = '';
        this._asking = true;
      });
    }
    return crypto.sign({ text: String(text), detached: true });
  }

  _settle(error) {
    const pending = this._pending;
    this._pending = null;
    this._asking = false;
    this._error = '';
    if (pending) {
      if (error) pending.reject(error); else pending.resolve();
    }
  }

  async _unlock(event) {
    event.preventDefault();
    const input = this.renderRoot.querySelector('#sign-passphrase');
    const passphrase = input.value;
    this._busy = true;
    try {
      await crypto.unlock(passphrase);
      input.value = '';
      this._settle(null);
    } catch (e) {
      this._error = t('sign.wrongPassphrase');
      input.select();
    } finally {
      this._busy = false;
    }
  }

  _cancel() {
    const input = this.renderRoot.querySelector('#sign-passphrase');
    if (input) input.value = '';
    this._settle(new Error(t('sign.cancelled')));
  }

  render() {
    if (!this._status) return nothing;
    const why = this._whyNot(this._status);
    if (why) {
      return html`<p id="sign-cannot-act" class="problem">${why} <a id="sign-keys-link" href="keys">${t('sign.openKeys')}</a></p>`;
    }
    if (this._asking) {
      return html`<form id="sign-unlock-form" @submit=${(e) => this._unlock(e)}>
        <label for="sign-passphrase">${t('sign.askPassphrase')}</label>
        <input id="sign-passphrase" type="password" autocomplete="current-password" ?disabled=${this._busy}>
        <button id="sign-unlock" type="submit" ?disabled=${this._busy}>${t('sign.unlockAndSign')}</button>
        <button id="sign-cancel" type="button" @click=${() => this._cancel()}>${t('sign.cancel')}</button>
        ${this._error ? html`<span id="sign-error" class="problem">${this._error}</span>` : nothing}
      </form>`;
    }
    return html`<p id="sign-ready" class="hint">${t('sign.ready', SHORT(this._status.fingerprint))}${this._unlocked ? ''
        : ' ' + t('sign.readyLocked')}</p>`;
  }
}

customElements.define('essaim-sign-action', EssaimSignAction);
