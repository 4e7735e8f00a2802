/**
 * <essaim-conversations>: a folder's mail grouped in conversations (Message-ID / In-Reply-To / References, read
 * from what the browser decrypted), from the search index in the crypto worker. Java sets `folder` and `changes`
 * (bumped on mailbox changes); clicking a conversation sends "essaim-open" with the folder and UID of its newest
 * message in this folder, nothing else.
 */
import { LitElement, html, css, nothing } from 'lit';
import * as keys from '../crypto/essaim-crypto.js';
import { conversationsIn, onIndexProgress } from '../crypto/essaim-search.js';
import { t, followLanguage, language } from '../i18n/essaim-i18n.js';
import { dateTime } from '../i18n/format.js';

class EssaimConversations extends LitElement {
  static properties = {
    folder: { type: String },
    changes: { type: Number },
    _list: { state: true },
    _waiting: { state: true },
  };

  static styles = css`
    :host { display: block; overflow: auto; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { display: grid; grid-template-columns: 1fr auto; gap: 0 var(--lumo-space-s); padding: var(--lumo-space-s);
      border-bottom: 1px solid var(--lumo-contrast-10pct); cursor: pointer; }
    li:hover { background: var(--lumo-primary-color-10pct); }
    li.unread .subject { font-weight: 600; }
    .who, .when { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); overflow: hidden;
      text-overflow: ellipsis; white-space: nowrap; }
    .count { font-size: var(--lumo-font-size-xs); border-radius: 1em; padding: 0 .5em; background: var(--lumo-contrast-10pct); margin-left: .4em; }
    .note { color: var(--lumo-secondary-text-color); padding: var(--lumo-space-m); }
  `;

  constructor() {
    super();
    this._list = null;
    this._waiting = true;
    this.changes = 0;
  }

  connectedCallback() {
    super.connectedCallback();
    this._unfollow = followLanguage(this);
    this._unprogress = onIndexProgress((p) => { if (p.finished || p.phase === 'bodies') this._load(); });
    this._unlock = keys.onLockChange((unlocked) => { if (!unlocked) this._list = null; });
    this._load();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this._unfollow();
    this._unprogress();
    this._unlock();
  }

  updated(changed) {
    if (changed.has('folder') || (changed.has('changes') && this.changes > 0)) this._load();
  }

  async _load() {
    if (!this.folder) return;
    try {
      this._list = await conversationsIn(this.folder);
      this._waiting = false;
      this.dataset.count = String(this._list.length); // for tests: a count, no content
    } catch (e) {
      this._waiting = true; // the index opens once the key is unlocked
    }
  }

  _open(conversation) {
    const inFolder = conversation.messages.filter((m) => m.folder === this.folder);
    const newest = inFolder[inFolder.length - 1] || conversation.messages[conversation.messages.length - 1];
    this.dispatchEvent(new CustomEvent('essaim-open', { detail: { folder: newest.folder, uid: newest.uid }, bubbles: true, composed: true }));
  }

  render() {
    if (this._waiting || !this._list) return html`<p class="note" id="conversations-waiting">${t('conversations.waiting')}</p>`;
    if (this._list.length === 0) return html`<p class="note">${t('conversations.none')}</p>`;
    return html`<ul id="conversation-list">${this._list.map((c) => html`
      <li class="conversation ${c.unread ? 'unread' : ''}" data-count=${c.count} @click=${() => this._open(c)}>
        <span class="subject">${c.subject || t('search.noSubject')}${c.count > 1 ? html`<span class="count">${c.count}</span>` : nothing}</span>
        <span class="when">${dateTime(c.latest, language())}</span>
        <span class="who">${c.participants.join(', ')}</span>
      </li>`)}</ul>`;
  }
}

customElements.define('essaim-conversations', EssaimConversations);
