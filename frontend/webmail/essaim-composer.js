/**
 * <essaim-composer>: the part of the composer that holds plaintext. Subject, body, attachments and the
 * signed/deniable choice live ONLY in this element's own state and shadow DOM (never in a Flow field or a
 * synchronised property). The element builds the inner MIME, encrypts it (essaim-crypto.js) and hands Java only
 * ciphertext: the armored message and the encrypted subject. The one exception is a message the user explicitly
 * confirmed to send in clear to recipients without a key.
 *
 * Set by Java: account, recipients ([{address, kind: "to"|"cc"|"bcc", source: "directory"|"wkd"|null, armored}]),
 * signDefault, messageId, inReplyTo, references, answerKey ("F/U"), mode, draftArmored, originalArmored;
 * autosaveSeconds (30 unless changed) is how often a changed message is saved as a draft.
 * Calls Java ($server): send, saveDraft, rememberSignDefault, settled.
 */
import { LitElement, html, css } from 'lit';
import '@vaadin/button';
import * as keys from '../crypto/essaim-crypto.js';
import { takeOver } from './essaim-handoff.js';
import { buildMime } from './essaim-composer-mime.js';
import { answerSubject } from './subject-lines.js';
import { gossipHeaders } from './autocrypt.js';
import { t, followLanguage } from '../i18n/essaim-i18n.js';
import PostalMime from 'postal-mime';

const AUTOSAVE_SECONDS = 30;

/** Where each recipient's key comes from, in words (bundle keys js.composer.source.*). */
const SOURCE_LABELS = {
  directory: () => t('composer.source.directory'),
  wkd: () => t('composer.source.wkd'),
  contacts: () => t('composer.source.contacts'),
  none: () => t('composer.source.none'),
};


function formatDate(value) {
  if (!value) return 'an unknown date';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toUTCString();
}

function quoted(text) {
  return String(text || '').replace(/\r\n/g, '\n').split('\n').map((line) => '> ' + line).join('\n');
}

function describeAddress(from) {
  if (!from) return '';
  if (typeof from === 'string') return from;
  return from.name ? `${from.name} <${from.address}>` : from.address || '';
}

class EssaimComposer extends LitElement {
  static properties = {
    account: { type: String },
    recipients: { type: Array },
    signDefault: { type: Boolean },
    messageId: { type: String },
    inReplyTo: { type: String },
    references: { type: String },
    answerKey: { type: String },
    mode: { type: String },
    draftArmored: { type: String },
    originalArmored: { type: String },
    autosaveSeconds: { type: Number },
    _sign: { state: true },
    _subject: { state: true },
    _body: { state: true },
    _attachments: { state: true },
    _contactSources: { state: true },
    _contacts: { state: true },
    _confirmClear: { state: true },
    _unlocked: { state: true },
    _hasKey: { state: true },
    _busy: { state: true },
    _sending: { state: true },
    _error: { state: true },
    _notice: { state: true },
  };

  static styles = css`
    :host { display: flex; flex-direction: column; gap: var(--lumo-space-s); }
    label.field { display: flex; flex-direction: column; font-size: var(--lumo-font-size-s); color: var(--lumo-secondary-text-color); gap: 2px; }
    input[type=text], textarea { font: inherit; font-size: var(--lumo-font-size-m); color: var(--lumo-body-text-color);
      border: 1px solid var(--lumo-contrast-20pct); border-radius: var(--lumo-border-radius-m); padding: var(--lumo-space-xs) var(--lumo-space-s); }
    textarea { min-height: 16em; resize: vertical; }
    .keys { margin: 0; padding-left: 1.2em; font-size: var(--lumo-font-size-s); }
    .keys .none { color: var(--lumo-error-text-color); }
    .warning { border-left: 4px solid var(--lumo-error-color); padding: var(--lumo-space-s); background: var(--lumo-error-color-10pct); }
    .error { color: var(--lumo-error-text-color); white-space: pre-wrap; }
    .notice { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
    .row { display: flex; gap: var(--lumo-space-m); align-items: center; flex-wrap: wrap; }
    .explanation { font-size: var(--lumo-font-size-s); color: var(--lumo-secondary-text-color); }
    details { font-size: var(--lumo-font-size-s); }
    ul.attachments { margin: 0; padding-left: 1.2em; }
  `;

  constructor() {
    super();
    this.recipients = [];
    this.signDefault = true;
    this.autosaveSeconds = AUTOSAVE_SECONDS;
    this._sign = null;
    this._subject = '';
    this._body = '';
    this._attachments = [];
    /** @type {Set<Promise<void>>} files chosen but not read yet */
    this._reading = new Set();
    this._contactSources = new Map();
    this._contacts = [];
    this._confirmClear = false;
    this._unlocked = keys.isUnlocked();
    this._hasKey = true;
    this._busy = false;
    this._error = '';
    this._notice = '';
    this._dirty = false;
    this._draftLoaded = false;
    this._originalLoaded = false;
    this._quoteTaken = false;
  }

  connectedCallback() {
    super.connectedCallback();
    this._unsubscribe = keys.onLockChange((unlocked) => {
      this._unlocked = unlocked;
      if (unlocked) this._loadEncryptedContent();
    });
    this._armAutosave();
    this._unfollow = followLanguage(this);
  }

  _armAutosave() {
    clearInterval(this._autosave);
    this._autosave = setInterval(() => this._autosaveTick(), Math.max(1, this.autosaveSeconds || AUTOSAVE_SECONDS) * 1000);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    if (this._unsubscribe) this._unsubscribe();
    if (this._unfollow) this._unfollow();
    clearInterval(this._autosave);
  }

  async updated(changed) {
    if (changed.has('autosaveSeconds') && changed.get('autosaveSeconds') !== undefined && this.isConnected) this._armAutosave();
    if (changed.has('account') && this.account) {
      try {
        const status = await keys.selectAccount(this.account);
        this._hasKey = status.hasKey;
        this._unlocked = status.unlocked;
        await this._refreshContacts();
      } catch (e) {
        this._error = e.message;
      }
      this._loadEncryptedContent();
    }
    if (changed.has('signDefault') && this._sign === null) this._sign = this.signDefault !== false;
    if (changed.has('recipients')) this._contactLookup = this._lookUpContactKeys();
    if (changed.has('answerKey') && this.answerKey && !this._quoteTaken) {
      this._quoteTaken = true;
      const quote = takeOver(this.answerKey);
      if (quote) {
        this._applyQuote(quote);
      } else {
        this._loadEncryptedContent();
      }
    }
    if (changed.has('draftArmored') || changed.has('originalArmored')) this._loadEncryptedContent();
  }

  // ---- recipients and their keys -------------------------------------------------------------------------------

  async _refreshContacts() {
    if (!this.account) return;
    this._contacts = await keys.contactKeys();
    this._contactLookup = this._lookUpContactKeys();
    await this._contactLookup;
  }

  async _lookUpContactKeys() {
    if (!this.account) return;
    const sources = new Map();
    for (const recipient of this.recipients || []) {
      if (!recipient.armored) {
        const armored = await keys.contactKeyFor(recipient.address);
        if (armored) sources.set(recipient.address, armored);
      }
    }
    this._contactSources = sources;
  }

  /** Each recipient with where its key comes from and the armored key (null without one). */
  _keyStates() {
    return (this.recipients || []).map((r) => {
      if (r.armored) return { ...r, state: r.source === 'wkd' ? 'wkd' : 'directory' };
      const contact = this._contactSources.get(r.address);
      return contact ? { ...r, armored: contact, state: 'contacts' } : { ...r, armored: null, state: 'none' };
    });
  }

  // ---- filling from drafts and answers -------------------------------------------------------------------------

  async _loadEncryptedContent() {
    if (!this.account || !keys.isUnlocked()) return;
    if (this.draftArmored && !this._draftLoaded) {
      this._draftLoaded = true;
      try {
        const parsed = await this._decryptAndParse(this.draftArmored);
        this._subject = parsed.subject || '';
        this._body = parsed.text || '';
        this._attachments = this._attachmentsOf(parsed);
        this._notice = t('composer.draftOpened');
      } catch (e) {
        this._draftLoaded = false;
        this._error = t('composer.draftUnreadable', e.message);
      }
    }
    if (this.originalArmored && this.answerKey && this._quoteTaken && !this._originalLoaded && !this._quoteApplied) {
      this._originalLoaded = true;
      try {
        const parsed = await this._decryptAndParse(this.originalArmored);
        this._applyQuote({
          mode: this.mode,
          subject: parsed.subject,
          from: describeAddress(parsed.from),
          date: parsed.date,
          text: parsed.text || '',
          attachments: this._attachmentsOf(parsed),
        });
      } catch (e) {
        this._originalLoaded = false;
        this._error = t('composer.originalUnreadable', e.message);
      }
    }
  }

  async _decryptAndParse(armored) {
    const { data } = await keys.decrypt(armored);
    return PostalMime.parse(data);
  }

  _attachmentsOf(parsed) {
    return (parsed.attachments || []).map((a) => ({
      filename: a.filename || 'attachment',
      mimeType: a.mimeType || 'application/octet-stream',
      content: a.content instanceof Uint8Array ? a.content : new Uint8Array(a.content),
    }));
  }

  _applyQuote(quote) {
    this._quoteApplied = true;
    const mode = quote.mode || this.mode;
    if (mode === 'forward') {
      this._subject = answerSubject('Fwd', quote.subject);
      this._body = '\n\n---------- Forwarded message ----------\n'
        + 'From: ' + (quote.from || '') + '\n'
        + 'Date: ' + formatDate(quote.date) + '\n'
        + 'Subject: ' + (quote.subject || '') + '\n\n'
        + (quote.text || '');
      this._attachments = (quote.attachments || []).map((a) => ({
        filename: a.filename, mimeType: a.mimeType, content: a.content instanceof Uint8Array ? a.content : new Uint8Array(a.content),
      }));
    } else {
      this._subject = answerSubject('Re', quote.subject);
      this._body = '\n\nOn ' + formatDate(quote.date) + ', ' + (quote.from || 'someone') + ' wrote:\n' + quoted(quote.text);
    }
  }

  // ---- editing --------------------------------------------------------------------------------------------------

  _changed() {
    this._dirty = true;
    this._notice = '';
  }

  /**
   * The browser reads chosen files in the background (a big file takes a while): each read is kept until it ends, so
   * that Send and Save wait for it ({@link _filesRead}) instead of leaving the file out of the message.
   */
  _readFiles(event) {
    const files = [...event.target.files];
    event.target.value = '';
    for (const file of files) {
      const reading = file.arrayBuffer().then((bytes) => {
        this._attachments = [...this._attachments, {
          filename: file.name, mimeType: file.type || 'application/octet-stream', content: new Uint8Array(bytes),
        }];
        this._changed();
      }, (error) => {
        this._error = t('composer.cannotReadFile', file.name, error);
      }).finally(() => this._reading.delete(reading));
      this._reading.add(reading);
    }
  }

  /** Resolves once every chosen file is read (or could not be). */
  async _filesRead() {
    while (this._reading.size > 0) await Promise.all([...this._reading]);
  }

  /**
   * Resolves once Java has handled what the page sent it before (an address typed into To, Cc or Bcc goes to Java,
   * which finds its key and sets `recipients`), and the contacts' keys of those recipients are looked up. Without it,
   * a Send right after typing an address answered "Add at least one recipient", or offered to send in clear to a
   * contact whose key was still being looked up. Java answers calls in the order they were sent.
   */
  async _recipientsSettled() {
    if (this.$server && this.$server.settled) await this.$server.settled();
    await this.updateComplete;
    await Promise.resolve(this._contactLookup).catch(() => {}); // a failed lookup leaves that recipient keyless
  }

  _removeAttachment(index) {
    this._attachments = this._attachments.filter((_, i) => i !== index);
    this._changed();
  }

  async _rememberDefault(event) {
    const sign = event.target.checked;
    try {
      await this.$server.rememberSignDefault(sign);
      this.signDefault = sign;
      this._notice = sign ? t('composer.defaultSigned') : t('composer.defaultDeniable');
    } catch (e) {
      this._error = t('composer.settingNotSaved', e.message);
    }
  }

  async _importContact() {
    const input = this.renderRoot.querySelector('#contact-key-input');
    try {
      const imported = await keys.importContactKey(input.value);
      input.value = '';
      this._error = '';
      this._notice = t('composer.imported', imported.map((k) => k.emails.join(', ')).join('; '));
      await this._refreshContacts();
    } catch (e) {
      this._error = e.message;
    }
  }

  async _removeContact(fingerprint) {
    await keys.removeContactKey(fingerprint);
    await this._refreshContacts();
  }

  // ---- sending and drafts ---------------------------------------------------------------------------------------

  _mime(date) {
    const states = this._keyStates();
    return buildMime({
      from: this.account,
      to: states.filter((r) => r.kind === 'to').map((r) => r.address),
      cc: states.filter((r) => r.kind === 'cc').map((r) => r.address),
      subject: this._subject,
      date,
      messageId: this.messageId,
      inReplyTo: this.inReplyTo || null,
      references: this.references || null,
      text: this._body,
      attachments: this._attachments,
      // Autocrypt gossip: the To and Cc recipients' keys, so each can answer all encrypted (never Bcc).
      gossip: gossipHeaders(states.filter((r) => r.armored && r.kind !== 'bcc')),
    });
  }

  async _send() {
    if (this._busy) return;
    this._error = '';
    this._notice = '';
    this._busy = true;
    try {
      await this._recipientsSettled(); // an address typed just before Send is a recipient
    } finally {
      this._busy = false;
    }
    const states = this._keyStates();
    if (states.length === 0) {
      this._error = t('composer.noRecipient');
      return;
    }
    const keyless = states.filter((r) => r.state === 'none');
    if (keyless.length && !this._confirmClear) {
      this._error = t('composer.confirmClear', keyless.map((r) => r.address).join(', '));
      return;
    }
    if (this._sign && !keys.isUnlocked()) {
      this._error = t('composer.unlockToSign');
      return;
    }
    this._busy = true;
    this._sending = true;
    this._notice = t('composer.sending');
    try {
      await this._filesRead(); // a file chosen just before Send goes with the message
      const date = new Date();
      const mime = this._mime(date);
      // Bcc recipients each get their own copy: a message encrypted to everyone would list their key IDs,
      // which tells the To and Cc recipients who else received it.
      const open = states.filter((r) => r.armored && r.kind !== 'bcc').map((r) => r.armored);
      const armored = await keys.encrypt({ text: mime, recipientsArmored: open, sign: this._sign, encryptToSelf: true });
      const encryptedSubject = await keys.encryptSubject({ subject: this._subject, recipientsArmored: open, encryptToSelf: true });
      const bccCopies = [];
      for (const bcc of states.filter((r) => r.armored && r.kind === 'bcc')) {
        bccCopies.push({
          address: bcc.address,
          armored: await keys.encrypt({ text: mime, recipientsArmored: [bcc.armored], sign: this._sign, encryptToSelf: true }),
          encryptedSubject: await keys.encryptSubject({ subject: this._subject, recipientsArmored: [bcc.armored], encryptToSelf: true }),
        });
      }
      const clearMime = keyless.length ? mime : '';
      const error = await this.$server.send(armored, encryptedSubject, clearMime,
        keyless.map((r) => r.address).join(','), String(date.getTime()), bccCopies);
      if (error) {
        this._error = error;
      } else {
        this._dirty = false;
        this._notice = t('composer.sent');
      }
    } catch (e) {
      this._error = /signing key/i.test(e.message)
        ? t('composer.noSigningKey')
        : t('composer.notSent', e.message);
    } finally {
      this._busy = false;
      this._sending = false;
      if (this._notice === t('composer.sending')) this._notice = '';
    }
  }

  async _saveDraft({ automatic = false } = {}) {
    if (this._busy) return;
    this._error = automatic ? this._error : '';
    this._busy = true;
    try {
      await this._filesRead();
      await this._recipientsSettled();
      const date = new Date();
      const armored = await keys.encrypt({ text: this._mime(date), recipientsArmored: [], sign: false, encryptToSelf: true });
      const encryptedSubject = await keys.encryptSubject({ subject: this._subject, recipientsArmored: [], encryptToSelf: true });
      const error = await this.$server.saveDraft(armored, encryptedSubject, String(date.getTime()));
      if (error) {
        this._error = error;
      } else {
        this._dirty = false;
        this._notice = t(automatic ? 'composer.draftSavedAuto' : 'composer.draftSaved', date.toLocaleTimeString(document.documentElement.lang || undefined));
      }
    } catch (e) {
      this._error = t('composer.draftNotSaved', e.message);
    } finally {
      this._busy = false;
    }
  }

  _autosaveTick() {
    if (this._dirty && !this._busy && this._hasKey) this._saveDraft({ automatic: true });
  }

  /** Java calls this when the address fields changed, so that autosave also keeps them. */
  markChanged() {
    this._changed();
  }

  // ---- rendering ------------------------------------------------------------------------------------------------

  render() {
    const states = this._keyStates();
    const keyless = states.filter((r) => r.state === 'none');
    return html`
      ${!this._hasKey ? html`<div class="warning" id="no-key">${t('composer.noKey', this.account)}</div>` : ''}
      ${this._hasKey && !this._unlocked ? html`<div class="notice" id="unlock-needed">${t('composer.unlockNeeded')}</div>` : ''}
      <ul class="keys" id="recipient-keys">
        ${states.map((r) => html`<li class=${r.state} data-address=${r.address} data-state=${r.state}>
            ${r.kind === 'to' ? '' : t('composer.kind.' + r.kind) + ': '}${r.address} — ${SOURCE_LABELS[r.state]()}</li>`)}
      </ul>
      ${keyless.length ? html`<div class="warning" id="keyless-warning">
          ${t('composer.keyless', keyless.map((r) => r.address).join(', '))}
          <label><input type="checkbox" id="confirm-clear" .checked=${this._confirmClear}
            @change=${(e) => { this._confirmClear = e.target.checked; }}>
            ${t('composer.sendInClear')}</label>
        </div>` : ''}
      <label class="field">${t('composer.subject')}
        <input type="text" id="subject" .value=${this._subject}
          @input=${(e) => { this._subject = e.target.value; this._changed(); }}></label>
      <label class="field">${t('composer.message')}
        <textarea id="body" .value=${this._body} @input=${(e) => { this._body = e.target.value; this._changed(); }}></textarea></label>
      <div class="row">
        <label>${t('composer.attach')} <input type="file" id="attach" multiple @change=${this._readFiles}></label>
      </div>
      <ul class="attachments" id="attachments">
        ${this._attachments.map((a, i) => html`<li>${a.filename} (${a.content.length} bytes)
            <button type="button" class="remove-attachment" @click=${() => this._removeAttachment(i)}>${t('composer.remove')}</button></li>`)}
      </ul>
      <div class="row" id="signing">
        <label><input type="radio" name="signing" id="choice-signed" .checked=${this._sign === true}
          @change=${() => { this._sign = true; }}> ${t('composer.signed')}</label>
        <label><input type="radio" name="signing" id="choice-deniable" .checked=${this._sign === false}
          @change=${() => { this._sign = false; }}> ${t('composer.deniable')}</label>
        <label class="explanation"><input type="checkbox" id="sign-default" .checked=${this.signDefault !== false}
          @change=${this._rememberDefault}> ${t('composer.signByDefault')}</label>
      </div>
      <div class="explanation" id="sign-explanation">${t('composer.signExplanation')}</div>
      <div class="row">
        <vaadin-button theme="primary" id="send-button" ?disabled=${this._busy || !this._hasKey} @click=${this._send}
          >${this._sending ? t('composer.sending') : t('composer.send')}</vaadin-button>
        <vaadin-button id="save-draft-button" ?disabled=${this._busy || !this._hasKey} @click=${() => this._saveDraft()}>${t('composer.saveDraft')}</vaadin-button>
        <span class="notice" id="composer-notice">${this._notice}</span>
      </div>
      <div class="error" id="composer-error" role="alert">${this._error}</div>
      <details id="contact-keys">
        <summary>${t('composer.contactKeys', this._contacts.length)}</summary>
        <p>${t('composer.contactKeysHelp')}</p>
        <textarea id="contact-key-input" placeholder="-----BEGIN PGP PUBLIC KEY BLOCK-----"></textarea>
        <vaadin-button id="contact-key-import" @click=${this._importContact}>${t('composer.importContact')}</vaadin-button>
        <ul id="contact-key-list">
          ${this._contacts.map((k) => html`<li data-fingerprint=${k.fingerprint}>${k.emails.join(', ')} — ${k.fingerprint}
              <button type="button" @click=${() => this._removeContact(k.fingerprint)}>${t('composer.remove')}</button></li>`)}
        </ul>
      </details>
    `;
  }
}

customElements.define('essaim-composer', EssaimComposer);
