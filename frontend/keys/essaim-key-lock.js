/**
 * <essaim-key-lock>: the always-visible lock state of the browser's private key (for the webmail's top bar).
 * Unlocked: a "Lock key" button that drops the key from memory at once. Locked: a plain label; unlocking
 * happens where the passphrase is needed (the key page, or later the reading pane), never through Flow.
 */
import { LitElement, html, css } from 'lit';
import '@vaadin/button';
import '@vaadin/icon';
import '@vaadin/icons';
import * as keys from '../crypto/essaim-crypto.js';

class EssaimKeyLock extends LitElement {
  static properties = { _unlocked: { state: true } };

  static styles = css`
    :host { display: inline-flex; align-items: center; gap: var(--lumo-space-xs); }
    span { display: inline-flex; align-items: center; gap: var(--lumo-space-xs); color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
  `;

  connectedCallback() {
    super.connectedCallback();
    this._unlocked = keys.isUnlocked();
    this._unsubscribe = keys.onLockChange((unlocked) => { this._unlocked = unlocked; });
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    if (this._unsubscribe) this._unsubscribe();
  }

  render() {
    return this._unlocked
      ? html`<vaadin-button id="key-lock-button" theme="small" title="Your key is unlocked in this tab; lock it now"
          @click=${() => keys.lock()}><vaadin-icon icon="vaadin:unlock" slot="prefix"></vaadin-icon>Lock key</vaadin-button>`
      : html`<span id="key-locked" title="Your private key is locked"><vaadin-icon icon="vaadin:lock"></vaadin-icon> Key locked</span>`;
  }
}

customElements.define('essaim-key-lock', EssaimKeyLock);
