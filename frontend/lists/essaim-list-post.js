/**
 * <essaim-list-post>: one post of a members-only list archive, decrypted in this page.
 *
 * The server keeps such posts encrypted to the members' keys and hands this element a URL (`src`) from which it
 * fetches the armored ciphertext. The element decrypts it with the key unlocked in this page, parses the MIME message
 * (postal-mime) and shows its subject, author, date and text (text only: no HTML is rendered). Nothing decrypted is
 * put in an attribute, an event or a Flow-bound property: it cannot travel back to the server.
 */
import { LitElement, html, css } from 'lit';
import PostalMime from 'postal-mime';
import { t } from '../i18n/essaim-i18n.js';
import { decrypt, selectAccount, isUnlocked, onLockChange } from '../crypto/essaim-crypto.js';

class EssaimListPost extends LitElement {
  static properties = {
    src: { type: String },
    account: { type: String },
    _state: { state: true },
    _post: { state: true },
  };

  static styles = css`
    :host { display: block; }
    pre { white-space: pre-wrap; word-wrap: break-word; background: var(--lumo-contrast-5pct); padding: var(--lumo-space-s); }
    .meta { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
  `;

  constructor() {
    super();
    this._state = 'idle';
    this._post = null;
    this._stop = onLockChange((unlocked) => {
      if (!unlocked) { this._post = null; this._state = 'locked'; }
      else if (this._state === 'locked') this._load();
    });
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this._post = null;
  }

  updated(changed) {
    if ((changed.has('src') || changed.has('account')) && this.src && this.account) this._load();
  }

  async _load() {
    this._post = null;
    if (!isUnlocked()) { this._state = 'locked'; this.dataset.state = 'locked'; return; }
    this._state = 'decrypting';
    this.dataset.state = 'decrypting';
    try {
      await selectAccount(this.account);
      const response = await fetch(new URL(this.src, document.baseURI), { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) throw new Error(t('listPost.fetchFailed', response.status));
      const { data } = await decrypt(await response.text());
      const parsed = await PostalMime.parse(data);
      this._post = {
        subject: parsed.subject || t('listPost.noSubject'),
        from: (parsed.replyTo && parsed.replyTo[0]) || parsed.from || {},
        date: parsed.date || '',
        text: parsed.text || (parsed.html ? parsed.html.replace(/<[^>]*>/g, ' ') : ''),
      };
      this._state = 'decrypted';
    } catch (e) {
      this._state = 'failed';
      this._error = e.message;
    }
    this.dataset.state = this._state;
  }

  render() {
    switch (this._state) {
      case 'locked': return html`<p>${t('listPost.locked')}</p>`;
      case 'decrypting': return html`<p>${t('listPost.decrypting')}</p>`;
      case 'failed': return html`<p>${t('listPost.failed')} ${this._error || ''}</p>`;
      case 'decrypted': {
        const post = this._post;
        const who = post.from.name ? post.from.name + ' (' + (post.from.address || '') + ')' : (post.from.address || '');
        return html`<h4 class="subject">${post.subject}</h4><p class="meta">${who}${post.date ? ', ' + post.date : ''}</p>
          <pre class="text">${post.text}</pre>`;
      }
      default: return html``;
    }
  }
}

customElements.define('essaim-list-post', EssaimListPost);
