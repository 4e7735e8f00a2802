/**
 * <essaim-search-box>: search the user's mail without the server seeing the query. The field is a plain <input>
 * in this element's shadow DOM (a Vaadin field would send every keystroke to the server); the index lives in the
 * crypto worker (frontend/crypto/essaim-search.js), and results are shown here. Java sets `account`, `source`
 * (the mail source URL) and `changes` (bumped on every mailbox change); the only event to Java is "essaim-open"
 * with the folder and UID of the message the user opens.
 *
 * Operators: from: to: subject: has:attachment before:YYYY-MM-DD after:YYYY-MM-DD in:folder (and French forms).
 */
import { LitElement, html, css, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import * as keys from '../crypto/essaim-crypto.js';
import { openIndex, syncIndex, search, setBodyIndexing, onIndexProgress, clearIndex } from '../crypto/essaim-search.js';
import { t, followLanguage, language } from '../i18n/essaim-i18n.js';

/** Words from the page's language bundle (src/main/resources/i18n, keys js.search.*). */
const T = {
  placeholder: () => t('search.placeholder'),
  lockedPlaceholder: () => t('search.lockedPlaceholder'),
  help: () => t('search.help'),
  results: (n, ms) => t(n === 1 ? 'search.results.one' : 'search.results.other', n, ms),
  none: () => t('search.none'),
  notUnderstood: (parts) => t('search.notUnderstood', parts.join(', ')),
  indexing: (done, total) => t('search.indexing', done, total),
  indexed: (n) => t('search.indexed', n),
  bodies: {
    off: () => t('search.bodies.off'),
    running: (done, total) => t('search.bodies.running', done, total),
    paused: (done, total) => t('search.bodies.paused', done, total),
    done: () => t('search.bodies.done'),
    quota: (done, total) => t('search.bodies.quota', done, total),
  },
  indexBodies: () => t('search.indexBodies'),
  pause: () => t('search.pause'),
  resume: () => t('search.resume'),
  stopBodies: () => t('search.stopBodies'),
  forget: () => t('search.forget'),
  privacy: () => t('search.privacy'),
  noSubject: () => t('search.noSubject'),
  more: (shown, total) => t('search.more', shown, total),
};

/** Results shown at first, and added by each "more": drawing hundreds of rows per keystroke made the page slow. */
const PAGE = 50;

/** Date formats per language, made once: an Intl.DateTimeFormat per row cost more than the query. */
const formats = new Map();
function formatOf(kind) {
  const key = language() + ' ' + kind;
  if (!formats.has(key)) {
    formats.set(key, new Intl.DateTimeFormat(language(), kind === 'time'
      ? { hour: '2-digit', minute: '2-digit' } : { year: 'numeric', month: 'short', day: 'numeric' }));
  }
  return formats.get(key);
}

function shortDate(ms) {
  if (!ms) return '';
  const date = new Date(ms);
  return formatOf(date.toDateString() === new Date().toDateString() ? 'time' : 'day').format(date);
}

class EssaimSearchBox extends LitElement {
  static properties = {
    account: { type: String },
    source: { type: String },
    changes: { type: Number },
    _unlocked: { state: true },
    _open: { state: true },
    _answer: { state: true },
    _status: { state: true },
    _progress: { state: true },
    _bodies: { state: true },
    _error: { state: true },
  };

  static styles = css`
    :host { position: relative; display: block; flex: 1 1 auto; max-width: 36em; min-width: 8em; }
    input { box-sizing: border-box; width: 100%; font: inherit; font-size: var(--lumo-font-size-s);
      padding: 6px 10px; border: 1px solid var(--lumo-contrast-20pct); border-radius: var(--lumo-border-radius-m);
      background: var(--lumo-base-color); color: var(--lumo-body-text-color); }
    .panel { position: absolute; top: calc(100% + 4px); left: 0; right: 0; min-width: min(32em, 92vw); z-index: 100;
      background: var(--lumo-base-color); border: 1px solid var(--lumo-contrast-20pct); border-radius: var(--lumo-border-radius-m);
      box-shadow: var(--lumo-box-shadow-m); max-height: 70vh; overflow: auto; padding: var(--lumo-space-s); font-size: var(--lumo-font-size-s); }
    .panel[hidden] { display: none; }
    ul { list-style: none; margin: 0; padding: 0; }
    li.search-result { display: grid; grid-template-columns: 1fr auto; gap: 0 var(--lumo-space-s); padding: 6px; cursor: pointer;
      border-radius: var(--lumo-border-radius-s); }
    li.search-result:hover, li.search-result[aria-selected="true"] { background: var(--lumo-primary-color-10pct); }
    li.search-result.unread .subject { font-weight: 600; }
    .from, .meta { color: var(--lumo-secondary-text-color); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .subject { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .note { color: var(--lumo-secondary-text-color); margin: var(--lumo-space-xs) 0; }
    .error { color: var(--lumo-error-text-color); }
    .settings { border-top: 1px solid var(--lumo-contrast-10pct); margin-top: var(--lumo-space-s); padding-top: var(--lumo-space-s); }
    .settings button { font: inherit; margin-right: var(--lumo-space-xs); }
    progress { width: 100%; }
    button.more { font: inherit; margin: var(--lumo-space-xs) 0; }
  `;

  constructor() {
    super();
    this._unlocked = keys.isUnlocked();
    this.changes = 0; // Java's first bump (to 1) must count as a change
    this._open = false;
    this._answer = null;
    this._status = null;
    this._progress = null;
    this._bodies = null;
    this._error = '';
    this._selected = -1;
    this._queryNumber = 0;
    this._limit = PAGE;
  }

  connectedCallback() {
    super.connectedCallback();
    this._unsubscribe = keys.onLockChange((unlocked) => {
      this._unlocked = unlocked;
      if (unlocked) this._start();
      else { this._answer = null; this._status = null; }
    });
    this._unprogress = onIndexProgress((p) => {
      if (p.phase === 'metadata') this._progress = p.finished ? null : p;
      if (p.phase === 'bodies') this._bodies = p;
      this.dataset.indexing = p.phase === 'metadata' && !p.finished ? 'metadata' : (p.state || '');
    });
    this._outside = (event) => { if (!event.composedPath().includes(this)) this._open = false; };
    window.addEventListener('pointerdown', this._outside);
    this._unfollow = followLanguage(this);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    if (this._unsubscribe) this._unsubscribe();
    if (this._unprogress) this._unprogress();
    window.removeEventListener('pointerdown', this._outside);
    if (this._unfollow) this._unfollow();
  }

  updated(changed) {
    if ((changed.has('account') || changed.has('source')) && this.account && this.source) this._start();
    if (changed.has('changes') && this.changes > 0) this._sync();
  }

  /** Opens and syncs the index once the account, the source and an unlocked key are there. */
  async _start() {
    if (!this.account || !this.source || !keys.isUnlocked()) return;
    try {
      await keys.selectAccount(this.account);
      this._status = await openIndex(this.source);
      // For tests and benchmarks (no content): whether a saved snapshot was loaded, and in how long.
      if (this._status.opened) {
        this.dataset.opened = this._status.opened.fromSnapshot ? 'snapshot' : 'records';
        this.dataset.openedMs = String(this._status.opened.ms);
      }
      this._bodies = this._status.bodies && this._status.bodies !== 'off' ? { state: this._status.bodies, done: this._status.bodiesIndexed, total: this._status.docs } : null;
      await this._sync();
      if (this._status && this._status.bodies === 'paused' && this._resumeAfterReload) await setBodyIndexing('running');
    } catch (e) {
      this._error = e.message;
    }
  }

  async _sync() {
    if (!this._status || !this._status.open) return;
    try {
      this._status = await syncIndex();
      this.dataset.docs = String(this._status.docs); // for tests: a count, no content
      this.dataset.synced = String(Date.now());
      // A text still waiting for its debounce runs by itself; the query it replaces is not worth asking again.
      if (this._lastQuery && !this._debounce) this._run(this._lastQuery, this._limit);
    } catch (e) {
      this._error = e.message;
    }
  }

  _input(event) {
    const text = event.target.value;
    this._open = true;
    this.dataset.pending = ''; // until the answer to the latest text is shown (tests wait on it; no content)
    clearTimeout(this._debounce);
    this._debounce = setTimeout(() => { this._debounce = null; this._run(text); }, 120);
  }

  /**
   * Asks the index and shows the answer: the newest `limit` results (a new text starts again at one page).
   * @returns {Promise<void>} once the answer is drawn
   */
  async _run(text, limit = PAGE) {
    const sameText = text === this._lastQuery;
    this._lastQuery = text.trim() ? text : null;
    this._limit = limit;
    const number = ++this._queryNumber;
    try {
      const answer = text.trim() ? await search(text, { limit }) : null;
      if (number !== this._queryNumber) return;
      this._answer = answer;
      if (!sameText || !answer || this._selected >= answer.results.length) this._selected = answer && answer.results.length ? 0 : -1;
      this._error = '';
    } catch (e) {
      if (number === this._queryNumber) this._error = e.message;
    }
    await this.updateComplete;
    // Not while a typed text waits for its debounce: an answer to the previous text (a sync's re-run) is not its answer.
    if (number === this._queryNumber && !this._debounce) delete this.dataset.pending;
  }

  /** Shows the next page of results of the same query. */
  _more() {
    if (this._lastQuery) this._run(this._lastQuery, this._limit + PAGE);
  }

  _keydown(event) {
    const results = (this._answer && this._answer.results) || [];
    if (event.key === 'Escape') { this._open = false; event.target.blur(); return; }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!results.length) return;
      this._selected = (this._selected + (event.key === 'ArrowDown' ? 1 : -1) + results.length) % results.length;
      this.requestUpdate();
    }
    if (event.key === 'Enter' && results[this._selected]) this._openMessage(results[this._selected]);
  }

  _openMessage(result) {
    this._open = false;
    this.dispatchEvent(new CustomEvent('essaim-open', { detail: { folder: result.folder, uid: result.uid }, bubbles: true, composed: true }));
  }

  /** Puts the cursor in the field (the "/" shortcut). */
  focusField() {
    const input = this.renderRoot.querySelector('#search-input');
    if (input) input.focus();
  }

  render() {
    return html`
      <input id="search-input" type="search" autocomplete="off" spellcheck="false" aria-label=${T.placeholder()}
        placeholder=${this._unlocked ? T.placeholder() : T.lockedPlaceholder()} ?disabled=${!this._unlocked}
        title=${T.help()} @input=${this._input} @focus=${() => { this._open = true; }} @keydown=${this._keydown}>
      <div class="panel" id="search-panel" ?hidden=${!this._open || !this._unlocked}>
        ${this._renderAnswer()}
        ${this._renderSettings()}
      </div>`;
  }

  _renderAnswer() {
    const a = this._answer;
    if (!a) return html`<p class="note">${T.help()}</p>`;
    return html`
      ${a.problems.length ? html`<p class="error">${T.notUnderstood(a.problems)}</p>` : nothing}
      <p class="note" id="search-count">${a.total ? T.results(a.total, Math.max(1, Math.round(a.ms))) : T.none()}</p>
      <ul id="search-results" role="listbox">
        ${repeat(a.results, (r) => r.folder + '\n' + r.uid, (r, i) => html`<li class="search-result ${r.seen ? '' : 'unread'}" role="option"
            aria-selected=${i === this._selected ? 'true' : 'false'} data-folder=${r.folder} data-uid=${r.uid}
            @click=${() => this._openMessage(r)}>
          <span class="subject">${r.subject || T.noSubject()}</span><span class="meta">${shortDate(r.date)}</span>
          <span class="from">${r.from}</span><span class="meta">${r.folder}${r.hasAttachment ? ' · 📎' : ''}</span>
        </li>`)}
      </ul>
      ${a.results.length < a.total ? html`<button id="search-more" class="more" @click=${this._more}>
          ${T.more(a.results.length, a.total)}</button>` : nothing}`;
  }

  _renderSettings() {
    const p = this._progress;
    const b = this._bodies;
    const state = b ? b.state : 'off';
    const bodyText = state === 'off' ? T.bodies.off()
      : state === 'done' ? T.bodies.done() : T.bodies[state](b.done, b.total);
    return html`<div class="settings" id="search-settings">
      ${p ? html`<p class="note" id="search-progress">${T.indexing(p.done, p.total)}</p><progress max=${p.total} value=${p.done}></progress>`
        : this._status && this._status.open ? html`<p class="note" id="search-indexed">${T.indexed(this._status.docs)}</p>` : nothing}
      <p class="note" id="search-bodies" data-state=${state}>${bodyText}</p>
      ${state === 'running' || state === 'paused' ? html`<progress max=${b.total} value=${b.done}></progress>` : nothing}
      <div>
        ${state === 'off' ? html`<button id="search-index-bodies" @click=${() => this._bodiesTo('running')}>${T.indexBodies()}</button>` : nothing}
        ${state === 'running' ? html`<button id="search-pause" @click=${() => this._bodiesTo('paused')}>${T.pause()}</button>` : nothing}
        ${state === 'paused' || state === 'quota' ? html`<button id="search-resume" @click=${() => this._bodiesTo('running')}>${T.resume()}</button>` : nothing}
        ${state !== 'off' ? html`<button id="search-stop-bodies" @click=${() => this._bodiesTo('off')}>${T.stopBodies()}</button>` : nothing}
        <button id="search-forget" @click=${this._forget}>${T.forget()}</button>
      </div>
      ${this._error ? html`<p class="error" id="search-error">${this._error}</p>` : nothing}
      <p class="note">${T.privacy()}</p>
    </div>`;
  }

  async _bodiesTo(mode) {
    try {
      this._status = await setBodyIndexing(mode);
    } catch (e) {
      this._error = e.message;
    }
  }

  async _forget() {
    await clearIndex();
    this._answer = null;
    this._bodies = null;
    this._status = null;
    this._start();
  }
}

customElements.define('essaim-search-box', EssaimSearchBox);
