/**
 * <essaim-spam-filter>: the member's own spam filter, while the webmail is open (issue 16). It shows nothing
 * itself. Java sets `account`, `source` (the mail source URL), `store` (/api/spam/classifier) and `changes`
 * (bumped on every mailbox change); on each change the crypto worker judges the new Inbox mail, and the element
 * tells Java which UIDs to move to Spam ("essaim-refile", UIDs only). Java calls train(folder, uids, spam) before
 * it moves messages the member called spam or not spam. Everything read of a message stays in the worker.
 */
import { LitElement } from 'lit';
import * as keys from '../crypto/essaim-crypto.js';
import { openSpamFilter, trainSpamFilter, checkInbox, shareAsSpam } from '../crypto/essaim-spam.js';

class EssaimSpamFilter extends LitElement {
  static properties = {
    account: { type: String },
    source: { type: String },
    store: { type: String },
    changes: { type: Number },
  };

  constructor() {
    super();
    this._open = null;
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    this._unsubscribe = keys.onLockChange((unlocked) => {
      if (unlocked) this._start();
      else this._open = null;
    });
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    if (this._unsubscribe) this._unsubscribe();
  }

  updated(changed) {
    if ((changed.has('account') || changed.has('source') || changed.has('store')) && this.account) this._start();
    if (changed.has('changes') && this.changes > 0) this._check();
  }

  async _start() {
    if (!this.account || !this.source || !this.store || !keys.isUnlocked()) return null;
    if (!this._open) {
      this._open = (async () => {
        await keys.selectAccount(this.account);
        const status = await openSpamFilter(this.source, this.store);
        this._status(status);
        return status;
      })().catch((e) => {
        this._open = null;
        this.dataset.error = e.message;
        return null;
      });
    }
    return this._open;
  }

  /** For tests and the curious: counts only. */
  _status(status) {
    if (!status) return;
    this.dataset.spam = String(status.spam || 0);
    this.dataset.ham = String(status.ham || 0);
    this.dataset.ready = String(!!status.ready);
  }

  async _check() {
    if (!(await this._start())) return;
    try {
      const { refile } = await checkInbox();
      this.dataset.checked = String(Date.now());
      if (refile.length > 0) {
        this.dispatchEvent(new CustomEvent('essaim-refile', { detail: { uids: refile.map((r) => r.uid).join(',') } }));
      }
    } catch (e) {
      this.dataset.error = e.message;
    }
  }

  /**
   * Learns the messages (UIDs comma-separated) before Java moves them; never fails (a locked key just means nothing is learnt).
   * @returns {Promise<number>} how many were learnt
   */
  async train(folder, uids, spam) {
    try {
      if (!(await this._start())) return 0;
      const list = String(uids).split(',').filter((u) => u).map(Number);
      const result = await trainSpamFilter(folder, list, !!spam);
      this._status(result);
      return result.learned;
    } catch (e) {
      this.dataset.error = e.message;
      return 0;
    }
  }

  /**
   * "Report spam and share it" for one message, once the member agreed (Java's consent dialog).
   * @returns {Promise<number>} the server's HTTP status (204 learnt), or 0 when the key is locked or reading failed
   */
  async share(folder, uid) {
    try {
      if (!(await this._start())) return 0;
      return (await shareAsSpam(folder, Number(uid))).status;
    } catch (e) {
      this.dataset.error = e.message;
      return 0;
    }
  }
}

customElements.define('essaim-spam-filter', EssaimSpamFilter);
