/**
 * <essaim-key-lock>: the always-visible lock state of the browser's private key (for the webmail's top bar).
 * Unlocked: a "Lock key" button that drops the key from memory at once. Locked: an "Unlock key" button opening a
 * small passphrase form inside this element. The passphrase input is a plain <input> in this element's shadow
 * DOM: Flow never binds it, so the passphrase stays in the browser (a Vaadin field would sync it to the server).
 * Property set by Java: `account` (the logged-in address), selected in the crypto module on connection.
 */
import { LitElement, html, css } from 'lit';
import '@vaadin/button';
import '@vaadin/icon';
import '@vaadin/icons';
import * as keys from '../crypto/essaim-crypto.js';
import { t, followLanguage } from '../i18n/essaim-i18n.js';

class EssaimKeyLock extends LitElement {
  static properties = {
    account: { type: String },
    _unlocked: { state: true },
    _hasKey: { state: true },
    _asking: { state: true },
    _error: { state: true },
    _busy: { state: true },
  };

  static styles = css`
    :host { display: inline-flex; align-items: center; gap: var(--lumo-space-xs); }
    form { display: inline-flex; align-items: center; gap: var(--lumo-space-xs); }
    input { font: inherit; font-size: var(--lumo-font-size-s); padding: 4px 6px; border: 1px solid var(--lumo-contrast-30pct); border-radius: var(--lumo-border-radius-s); }
    .error { color: var(--lumo-error-text-color); font-size: var(--lumo-font-size-s); }
    label.keep { font-size: var(--lumo-font-size-xs); color: var(--lumo-secondary-text-color); white-space: nowrap; }
    span { display: inline-flex; align-items: center; gap: var(--lumo-space-xs); color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
  `;

  connectedCallback() {
    super.connectedCallback();
    this._unlocked = keys.isUnlocked();
    this._unsubscribe = keys.onLockChange((unlocked) => { this._unlocked = unlocked; this._showKept(); });
    this._unfollow = followLanguage(this);
  }

  updated(changed) {
    if (changed.has('account') && this.account) this._selectAccount();
  }

  /** data-kept: the key stays unlocked across reloads of this tab (for styling and tests). */
  _showKept() {
    this.toggleAttribute('data-kept', keys.isUnlocked() && keys.isKeptInTab());
  }

  async _selectAccount() {
    try {
      await keys.selectAccount(this.account);
      this._hasKey = (await keys.status()).hasKey;
    } catch (e) {
      this._hasKey = false;
    }
  }

  async _unlock(event) {
    event.preventDefault();
    const input = this.renderRoot.querySelector('#key-unlock-passphrase');
    this._busy = true;
    this._error = null;
    const keep = this.renderRoot.querySelector('#key-keep-unlocked');
    try {
      await keys.unlock(input.value);
      if (keep && keep.checked) await keys.keepUnlockedInTab();
      this._showKept();
      this._asking = false;
    } catch (e) {
      this._error = e.message;
    } finally {
      input.value = '';
      this._busy = false;
    }
  }

  async _ask() {
    this._hasKey = (await keys.status()).hasKey;
    this._asking = true;
    await this.updateComplete;
    const input = this.renderRoot.querySelector('#key-unlock-passphrase');
    if (input) input.focus();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    if (this._unsubscribe) this._unsubscribe();
    if (this._unfollow) this._unfollow();
  }

  render() {
    return this._unlocked
      ? html`<vaadin-button id="key-lock-button" theme="small" title=${keys.isKeptInTab() ? t('lock.lockTitleKept') : t('lock.lockTitle')}
          @click=${() => keys.lock()}><vaadin-icon icon="vaadin:unlock" slot="prefix"></vaadin-icon>${t('lock.lock')}</vaadin-button>`
      : this._asking ? this._unlockForm()
      : html`<span id="key-locked" title=${t('lock.lockedTitle')}><vaadin-icon icon="vaadin:lock"></vaadin-icon> ${t('lock.locked')}</span>
          ${this._hasKey ? html`<vaadin-button id="key-unlock-button" theme="small" @click=${this._ask}>${t('lock.unlock')}</vaadin-button>` : ''}`;
  }

  _unlockForm() {
    if (!this._hasKey) {
      return html`<span id="key-unlock-error" class="error">${t('lock.noKey')}</span>`;
    }
    return html`<form @submit=${this._unlock}>
        <input id="key-unlock-passphrase" type="password" autocomplete="current-password" placeholder=${t('lock.passphrase')}
          aria-label=${t('lock.passphraseLabel')} ?disabled=${this._busy}>
        <label class="keep" title=${t('lock.keepTitle')}
          ><input id="key-keep-unlocked" type="checkbox" ?disabled=${this._busy}> ${t('lock.keep')}</label>
        <vaadin-button id="key-unlock-submit" theme="small primary" ?disabled=${this._busy} @click=${this._unlock}>${t('lock.submit')}</vaadin-button>
        <vaadin-button theme="small tertiary" @click=${() => { this._asking = false; this._error = null; }}>${t('lock.cancel')}</vaadin-button>
        ${this._error ? html`<span id="key-unlock-error" class="error" role="alert">${this._error}</span>` : ''}
      </form>`;
  }
}

customElements.define('essaim-key-lock', EssaimKeyLock);
