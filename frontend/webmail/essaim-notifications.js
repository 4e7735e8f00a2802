/**
 * Optional browser notifications of new mail, and their switch for My account (<essaim-notify-setting>).
 * The main layout announces the inbox's unread count ("essaim-unread" on window, with the title update); when it
 * grows and the user turned notifications on (a choice kept in this browser's localStorage: no mail data), the
 * browser shows "New mail" and the count. Never a sender or a subject: those are encrypted, and a notification
 * can be read over a shoulder or on a lock screen.
 */
import { LitElement, html, css } from 'lit';
import { t, followLanguage } from '../i18n/essaim-i18n.js';

const SETTING = 'essaim-notify-new-mail';
let lastUnread = null;

function enabled() {
  try { return localStorage.getItem(SETTING) === 'on' && 'Notification' in window && Notification.permission === 'granted'; } catch (e) { return false; }
}

window.addEventListener('essaim-unread', (event) => {
  const unread = event.detail.unread;
  if (lastUnread !== null && unread > lastUnread && enabled() && document.visibilityState !== 'visible') {
    new Notification(t('notify.title'), { body: t('notify.body', unread), tag: 'essaim-new-mail' });
  }
  lastUnread = unread;
});

class EssaimNotifySetting extends LitElement {
  static properties = { _on: { state: true }, _denied: { state: true } };

  static styles = css`label { display: inline-flex; gap: var(--lumo-space-s); align-items: center; } .note { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }`;

  connectedCallback() {
    super.connectedCallback();
    this._on = enabled();
    this._denied = 'Notification' in window && Notification.permission === 'denied';
    this._unfollow = followLanguage(this);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this._unfollow();
  }

  async _change(event) {
    const wanted = event.target.checked;
    if (wanted && 'Notification' in window && Notification.permission !== 'granted') {
      await Notification.requestPermission();
    }
    const granted = 'Notification' in window && Notification.permission === 'granted';
    localStorage.setItem(SETTING, wanted && granted ? 'on' : 'off');
    this._on = enabled();
    this._denied = 'Notification' in window && Notification.permission === 'denied';
  }

  render() {
    return html`<label><input type="checkbox" id="notify-new-mail" .checked=${this._on} ?disabled=${this._denied}
        @change=${this._change}> ${t('notify.setting')}</label>
      <div class="note">${this._denied ? t('notify.denied') : t('notify.privacy')}</div>`;
  }
}

customElements.define('essaim-notify-setting', EssaimNotifySetting);
