/**
 * <essaim-keys>: the key page's UI, rendered entirely in the browser.
 *
 * Passphrases and private keys are typed and handled here and in essaim-crypto.js only: nothing in this
 * element is bound to a Vaadin field (a Flow field would sync its value to the server). What leaves the
 * browser: the PUBLIC key (PUT /api/keys/me) and public status events for the Java view.
 *
 * Properties set by Java: `account` (the logged-in address), `name` (prefill for the key's user ID).
 * Event for Java: `essaim-key-status` with detail {hasKey, fingerprint, backup, unlocked, published, serverFingerprint}.
 */
import { LitElement, html, css, nothing } from 'lit';
import QRCode from 'qrcode';
import '@vaadin/button';
import '@vaadin/text-field';
import '@vaadin/password-field';
import '@vaadin/text-area';
import '@vaadin/checkbox';
import '@vaadin/progress-bar';
import * as keys from '../crypto/essaim-crypto.js';
import { t, followLanguage, language } from '../i18n/essaim-i18n.js';

const MIN_PASSPHRASE = 8;

/** "ABCD1234..." -> "ABCD 1234 ..." */
function groupsOfFour(fingerprint) {
  return (fingerprint || '').replace(/(.{4})(?=.)/g, '$1 ');
}

function normalizeFingerprint(value) {
  return value ? String(value).replace(/\s+/g, '').toUpperCase() : null;
}

function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

class EssaimKeys extends LitElement {
  static properties = {
    account: { type: String },
    name: { type: String },
    _status: { state: true },
    _busy: { state: true },
    _error: { state: true },
    _notice: { state: true },
    _mode: { state: true },
    _declining: { state: true },
    _declineUnderstood: { state: true },
    _qr: { state: true },
    _server: { state: true },
    _revocation: { state: true },
    _importText: { state: true },
    _importFileName: { state: true },
  };

  static styles = css`
    :host { display: block; max-width: 52rem; }
    section { border: 1px solid var(--lumo-contrast-20pct); border-radius: var(--lumo-border-radius-l);
      padding: var(--lumo-space-m); margin-bottom: var(--lumo-space-m); }
    h3 { margin: 0 0 var(--lumo-space-s) 0; }
    .fingerprint { font-family: monospace; font-size: 1.15em; letter-spacing: 0.05em; word-spacing: 0.35em; }
    .error { color: var(--lumo-error-text-color); background: var(--lumo-error-color-10pct);
      padding: var(--lumo-space-s); border-radius: var(--lumo-border-radius-m); white-space: pre-wrap; }
    .notice { color: var(--lumo-success-text-color); background: var(--lumo-success-color-10pct);
      padding: var(--lumo-space-s); border-radius: var(--lumo-border-radius-m); }
    .warning { background: var(--lumo-warning-color-10pct, #fff4d6); border-left: 4px solid var(--lumo-warning-color, #e6a700);
      padding: var(--lumo-space-s) var(--lumo-space-m); }
    .row { display: flex; flex-wrap: wrap; gap: var(--lumo-space-s); align-items: baseline; }
    .columns { display: flex; flex-wrap: wrap; gap: var(--lumo-space-m); }
    .columns > section { flex: 1 1 20rem; }
    vaadin-text-field, vaadin-password-field, vaadin-text-area { width: 100%; }
    img.qr { width: 180px; height: 180px; image-rendering: pixelated; }
    .muted { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
  `;

  constructor() {
    super();
    this._status = null;
    this._busy = null;
    this._mode = 'overview';
    this._server = { state: 'unknown' };
    this._unsubscribe = null;
    this._refreshes = 0;
    this._latestRefresh = null;
  }

  connectedCallback() {
    super.connectedCallback();
    this._unsubscribe = keys.onLockChange(() => this._refresh());
    this._unfollow = followLanguage(this);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    if (this._unsubscribe) this._unsubscribe();
    if (this._unfollow) this._unfollow();
  }

  updated(changed) {
    if (changed.has('account') && this.account) this._load();
  }

  async _load() {
    try {
      await keys.selectAccount(this.account);
      await this._refresh();
      await this._checkServer();
      const s = this._status;
      // A finished key that the server does not publish yet gets published (e.g. an earlier upload failed).
      if (s.hasKey && s.backup !== 'pending' && this._server.state === 'none') await this._upload();
    } catch (e) {
      this._error = e.message;
    }
  }

  /** Shows the worker's current key status. Refreshes overlap (an action's own, a lock change's) and their answers
   * may come back in any order: only the latest one started is shown, so an older answer never paints over a newer
   * state; awaiting an overtaken refresh waits for the latest one. */
  _refresh() {
    this._latestRefresh = this._show(++this._refreshes);
    return this._latestRefresh;
  }

  async _show(refresh) {
    const status = await keys.status();
    if (refresh !== this._refreshes) return this._latestRefresh;
    this._status = status;
    const qr = status.fingerprint
      ? await QRCode.toDataURL('OPENPGP4FPR:' + status.fingerprint, { margin: 1, width: 180 })
      : null;
    if (refresh !== this._refreshes) return this._latestRefresh;
    this._qr = qr;
    this._emit();
  }

  _emit() {
    const s = this._status || {};
    this.dispatchEvent(new CustomEvent('essaim-key-status', {
      bubbles: true,
      composed: true,
      detail: {
        hasKey: !!s.hasKey,
        fingerprint: s.fingerprint || null,
        backup: s.backup || null,
        unlocked: !!s.unlocked,
        published: !!s.fingerprint && this._server.fingerprint === s.fingerprint,
        serverFingerprint: this._server.fingerprint || null,
      },
    }));
  }

  async _checkServer() {
    try {
      const response = await fetch('/api/keys/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (response.status === 404) {
        this._server = { state: 'none' };
      } else if (response.ok) {
        const answer = await response.json();
        this._server = { state: 'published', fingerprint: normalizeFingerprint(answer.fingerprint), uploadedAt: answer.uploadedAt };
      } else {
        this._server = { state: 'error', message: t('keys.serverAnswered', response.status) };
      }
    } catch (e) {
      this._server = { state: 'error', message: t('keys.serverUnreachable', e.message) };
    }
    this._emit();
  }

  /** Publishes the PUBLIC key: the only key material this element sends anywhere. */
  async _upload() {
    this._busy = t('keys.publishing');
    this._error = null;
    try {
      const armoredPublic = await keys.exportPublicKey();
      const response = await fetch('/api/keys/me', {
        method: 'PUT',
        body: armoredPublic,
        headers: { 'Content-Type': 'application/pgp-keys' },
        credentials: 'same-origin',
      });
      let answer = null;
      try { answer = await response.json(); } catch (e) { answer = null; }
      if (!response.ok) {
        const reason = answer && (answer.error || answer.message || answer.detail);
        throw new Error(t('keys.refused', response.status) + (reason ? ': ' + reason : ''));
      }
      this._server = { state: 'published', fingerprint: normalizeFingerprint(answer && answer.fingerprint),
        uploadedAt: answer ? answer.uploadedAt : null };
      this._notice = t('keys.published');
    } catch (e) {
      this._error = e.message;
    } finally {
      this._busy = null;
      this._emit();
    }
  }

  /** For Java: the armored PUBLIC key of the account (rejects if this browser holds none). */
  exportPublicKey() {
    return keys.exportPublicKey();
  }

  /** For Java: the public key status (see essaim-crypto.js KeyStatus). */
  keyStatus() {
    return keys.status();
  }

  // ---- actions ----

  _value(id) {
    const field = this.renderRoot.querySelector('#' + id);
    return field ? field.value : '';
  }

  _clear(...ids) {
    for (const id of ids) {
      const field = this.renderRoot.querySelector('#' + id);
      if (field) field.value = '';
    }
  }

  async _generate() {
    this._error = null;
    this._notice = null;
    const passphrase = this._value('new-passphrase');
    const confirmation = this._value('new-passphrase-confirm');
    if (passphrase.length < MIN_PASSPHRASE) {
      this._error = t('keys.passphraseTooShort', MIN_PASSPHRASE);
      return;
    }
    if (passphrase !== confirmation) {
      this._error = t('keys.passphrasesDiffer');
      return;
    }
    this._busy = t('keys.generating');
    // Let the progress indicator paint before the CPU-bound work starts.
    await new Promise((resolve) => setTimeout(resolve, 30));
    try {
      performance.mark('essaim-key-generation-start');
      await keys.generateKey({ name: this._value('key-name'), email: this.account, passphrase, replace: this._mode === 'replace' });
      // Timing only (no key material), read by the key generation benchmark.
      performance.measure('essaim-key-generation', 'essaim-key-generation-start');
      this._clear('new-passphrase', 'new-passphrase-confirm');
      this._mode = 'overview';
      await this._refresh();
    } catch (e) {
      this._error = e.message;
    } finally {
      this._busy = null;
    }
  }

  async _onImportFile(event) {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    if (file.size > 1024 * 1024) {
      this._error = t('keys.fileTooLarge');
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    this._importFileName = file.name;
    this._importText = text.includes('-----BEGIN PGP') ? text : bytes;
  }

  async _import() {
    this._error = null;
    this._notice = null;
    const pasted = this._value('import-text');
    const source = pasted && pasted.trim() ? pasted : this._importText;
    if (!source) {
      this._error = t('keys.chooseFile');
      return;
    }
    this._busy = t('keys.importing');
    await new Promise((resolve) => setTimeout(resolve, 30));
    try {
      const result = await keys.importPrivateKey(source, this._value('import-passphrase'), { replace: this._mode === 'replace' });
      this._clear('import-passphrase', 'import-text');
      this._importText = null;
      this._importFileName = null;
      this._mode = 'overview';
      if (result.reprotected) this._notice = t('keys.reprotected');
      await this._refresh();
    } catch (e) {
      this._error = e.message;
    } finally {
      this._busy = null;
    }
  }

  async _downloadBackup() {
    this._error = null;
    try {
      download(this._fileBase() + '-private-key.asc', await keys.exportPrivateKey(), 'application/pgp-keys');
      if (this._status.backup === 'pending') await this._finishCreation('downloaded');
    } catch (e) {
      this._error = e.message;
    }
  }

  async _finishCreation(outcome) {
    await keys.markBackup(outcome);
    this._declining = false;
    this._declineUnderstood = false;
    await this._refresh();
    await this._upload();
  }

  async _downloadPublic() {
    download(this._fileBase() + '-public-key.asc', await keys.exportPublicKey(), 'application/pgp-keys');
  }

  _fileBase() {
    return 'essaim-' + String(this.account).replace(/[^A-Za-z0-9._-]/g, '_') + '-' + (this._status.fingerprint || '').slice(-8);
  }

  async _unlock() {
    this._error = null;
    this._busy = t('keys.unlocking');
    try {
      await keys.unlock(this._value('unlock-passphrase'));
      this._clear('unlock-passphrase');
    } catch (e) {
      this._error = e.message;
    } finally {
      this._busy = null;
      await this._refresh();
    }
  }

  _lock() {
    keys.lock();
  }

  async _createRevocation() {
    this._error = null;
    try {
      this._revocation = await keys.createRevocation({ reason: this._value('revoke-reason'), compromised: !!(this.renderRoot.querySelector('#revoke-compromised') || {}).checked });
      download(this._fileBase() + '-revocation.asc', this._revocation, 'application/pgp-keys');
    } catch (e) {
      this._error = e.message;
    }
  }

  async _removeRevoked() {
    this._error = null;
    const fingerprint = this._status.fingerprint;
    await keys.removeKey();
    this._revocation = null;
    this._mode = 'overview';
    let withdrawn = '';
    if (this._server.state === 'published' && this._server.fingerprint === fingerprint) {
      try {
        const response = await fetch('/api/keys/me', { method: 'DELETE', credentials: 'same-origin' });
        if (response.ok) {
          this._server = { state: 'none' };
          withdrawn = ' ' + t('keys.withdrawn');
        } else {
          let answer = null;
          try { answer = await response.json(); } catch (e) { answer = null; }
          this._error = t('keys.stillPublishedHttp', response.status) + (answer && answer.error ? ': ' + answer.error : '');
        }
      } catch (e) {
        this._error = t('keys.stillPublished', e.message);
      }
    }
    this._notice = t('keys.removed') + withdrawn + ' ' + t('keys.removedNext');
    await this._refresh();
  }

  // ---- rendering ----

  render() {
    if (!this.account) return html`<p>${t('keys.loading')}</p>`;
    if (!this._status) return html`<p>${t('keys.reading')}</p>`;
    return html`
      ${this._error ? html`<p class="error" role="alert" id="error">${this._error}</p>` : nothing}
      ${this._notice ? html`<p class="notice" role="status" id="notice">${this._notice}</p>` : nothing}
      ${this._busy ? html`<div id="busy" role="progressbar" aria-label=${this._busy}><span>${this._busy}</span>
        <vaadin-progress-bar indeterminate></vaadin-progress-bar></div>` : nothing}
      ${this._body()}
      <p class="muted">${t('keys.neverLeaves')}</p>
    `;
  }

  _body() {
    const s = this._status;
    if (!s.hasKey) return this._noKey();
    if (s.backup === 'pending') return this._backupStep();
    if (this._mode === 'replace') return this._replace();
    if (this._mode === 'revoke') return this._revoke();
    return this._overview();
  }

  _noKey() {
    const serverHasKey = this._server.state === 'published';
    return html`
      ${serverHasKey ? html`<p class="warning" id="restore-hint">${t('keys.restoreHint1')}
        (<span class="fingerprint">${groupsOfFour(this._server.fingerprint)}</span>)${t('keys.restoreHint2')}</p>`
        : html`<p>${t('keys.noKey')}</p>`}
      <div class="columns">${this._generateForm()}${this._importForm()}</div>`;
  }

  _generateForm() {
    const busy = !!this._busy;
    return html`<section id="generate">
      <h3>${t('keys.create')}</h3>
      <vaadin-text-field id="key-name" label=${t('keys.name')} .value=${this.name || ''}></vaadin-text-field>
      <vaadin-text-field label=${t('keys.address')} .value=${this.account} readonly></vaadin-text-field>
      <vaadin-password-field id="new-passphrase" label=${t('keys.passphraseNew', MIN_PASSPHRASE)}
        autocomplete="new-password"></vaadin-password-field>
      <vaadin-password-field id="new-passphrase-confirm" label=${t('keys.passphraseAgain')} autocomplete="new-password"
        @keydown=${(e) => e.key === 'Enter' && this._generate()}></vaadin-password-field>
      <p class="muted">${t('keys.nobodyRecovers')}</p>
      <vaadin-button id="generate-button" theme="primary" ?disabled=${busy} @click=${this._generate}>${t('keys.createButton')}</vaadin-button>
    </section>`;
  }

  _importForm() {
    const busy = !!this._busy;
    return html`<section id="import">
      <h3>${t('keys.import')}</h3>
      <p class="muted">${t('keys.exportAtHome')} <code>gpg --export-secret-keys --armor ${this.account} &gt; key.asc</code>${t('keys.orBackup')}</p>
      <label>${t('keys.keyFile')} <input id="import-file" type="file" accept=".asc,.gpg,.key,.pgp,.txt"
        @change=${this._onImportFile}></label>
      ${this._importFileName ? html`<span class="muted">${this._importFileName}</span>` : nothing}
      <vaadin-text-area id="import-text" label=${t('keys.paste')}></vaadin-text-area>
      <vaadin-password-field id="import-passphrase" label=${t('keys.importPassphrase')} autocomplete="current-password"
        @keydown=${(e) => e.key === 'Enter' && this._import()}></vaadin-password-field>
      <vaadin-button id="import-button" ?disabled=${busy} @click=${this._import}>${t('keys.importButton')}</vaadin-button>
    </section>`;
  }

  _backupStep() {
    const s = this._status;
    return html`<section id="backup-step">
      <h3>${t('keys.backupStep')}</h3>
      <p>${t('keys.backupYourKey')} <span class="fingerprint">${groupsOfFour(s.fingerprint)}</span> ${t('keys.backupOnlyHere')}
        ${s.source === 'imported' ? t('keys.backupImported') : ''}
        ${t('keys.backupIfLost')} <strong>${t('keys.backupNeverAgain')}</strong>${t('keys.backupProtected')}</p>
      <div class="row">
        <vaadin-button id="download-backup" theme="primary" @click=${this._downloadBackup}>${t('keys.downloadBackup')}</vaadin-button>
        ${s.source === 'imported' && !s.reprotected ? html`<vaadin-button id="kept-import-file"
          @click=${() => this._finishCreation('import-file-kept')}>${t('keys.keptImportFile')}</vaadin-button>` : nothing}
        <vaadin-button id="decline-backup" theme="tertiary" @click=${() => { this._declining = true; }}>${t('keys.continueWithout')}</vaadin-button>
      </div>
      ${this._declining ? html`<div class="warning" id="decline-warning">
        <p><strong>${t('keys.declineWarning1')}</strong> ${t('keys.declineWarning2')}</p>
        <vaadin-checkbox id="decline-understood" label=${t('keys.declineUnderstood')}
          .checked=${!!this._declineUnderstood}
          @checked-changed=${(e) => { this._declineUnderstood = e.detail.value; }}></vaadin-checkbox>
        <vaadin-button id="decline-confirm" theme="error" ?disabled=${!this._declineUnderstood}
          @click=${() => this._finishCreation('declined')}>${t('keys.continueWithout')}</vaadin-button>
      </div>` : nothing}
    </section>`;
  }

  _overview() {
    const s = this._status;
    const published = this._server.state === 'published' && this._server.fingerprint === s.fingerprint;
    return html`
      <section id="key">
        <h3>${t('keys.yourKey')}</h3>
        <div class="columns">
          <div>
            <p>${t('keys.fingerprint')}<br><span class="fingerprint" id="fingerprint">${groupsOfFour(s.fingerprint)}</span></p>
            <p class="muted">${s.userIds.join(', ')} · ${s.algorithm} · ${t('keys.created', new Date(s.createdAt).toLocaleDateString(language()))}
              · ${t('keys.source.' + s.source)}${s.backup === 'declined' ? html` · <strong>${t('keys.noBackup')}</strong>` : ''}</p>
            <p id="publication">${this._publication(published)}</p>
          </div>
          ${this._qr ? html`<img class="qr" id="qr" src=${this._qr} alt=${t('keys.qr')}>` : nothing}
        </div>
      </section>
      <section id="lock">
        <h3>${s.unlocked ? t('keys.unlocked') : t('keys.locked')}</h3>
        ${s.unlocked
          ? html`<p>${t('keys.unlockedExplained', s.idleMinutes)}</p>
              <vaadin-button id="lock-button" @click=${this._lock}>${t('keys.lockNow')}</vaadin-button>`
          : html`<div class="row"><vaadin-password-field id="unlock-passphrase" label=${t('keys.passphrase')} autocomplete="current-password"
                @keydown=${(e) => e.key === 'Enter' && this._unlock()}></vaadin-password-field>
              <vaadin-button id="unlock-button" theme="primary" @click=${this._unlock}>${t('keys.unlock')}</vaadin-button></div>`}
      </section>
      <section id="export">
        <h3>${t('keys.export')}</h3>
        <div class="row">
          <vaadin-button id="export-private" @click=${this._downloadBackup}>${t('keys.exportPrivate')}</vaadin-button>
          <vaadin-button id="export-public" @click=${this._downloadPublic}>${t('keys.exportPublic')}</vaadin-button>
        </div>
      </section>
      <section id="manage">
        <h3>${t('keys.manage')}</h3>
        <div class="row">
          <vaadin-button id="replace-button" @click=${() => { this._mode = 'replace'; this._error = null; }}>${t('keys.replace')}</vaadin-button>
          <vaadin-button id="revoke-button" theme="error" @click=${() => { this._mode = 'revoke'; this._error = null; }}>${t('keys.revoke')}</vaadin-button>
        </div>
      </section>`;
  }

  _publication(published) {
    if (published) {
      return html`<strong>${t('keys.publishedShort')}</strong> ${t('keys.onTheServer')}${this._server.uploadedAt ? ' (' + new Date(this._server.uploadedAt).toLocaleString(language()) + ')' : ''}${t('keys.othersFindIt')}`;
    }
    const other = this._server.state === 'published'
      ? html`${t('keys.otherPublished')} (<span class="fingerprint">${groupsOfFour(this._server.fingerprint)}</span>). `
      : this._server.state === 'error' ? html`${this._server.message}. ` : html`${t('keys.notPublished')} `;
    return html`${other}<vaadin-button id="publish-button" theme="small" @click=${this._upload}>${t('keys.publish')}</vaadin-button>`;
  }

  _replace() {
    return html`
      <p class="warning">${t('keys.replaceWarning1')} <span class="fingerprint">${groupsOfFour(this._status.fingerprint)}</span>${t('keys.replaceWarning2')}</p>
      <div class="columns">${this._generateForm()}${this._importForm()}</div>
      <vaadin-button id="cancel-replace" @click=${() => { this._mode = 'overview'; }}>${t('keys.cancel')}</vaadin-button>`;
  }

  _revoke() {
    const s = this._status;
    return html`<section id="revoke">
      <h3>${t('keys.revokeTitle')}</h3>
      <p>${t('keys.revokeIntro')}</p>
      <ol>
        <li>${t('keys.revokeStep1')}</li>
        <li>${t('keys.revokeStep2')}</li>
        <li>${t('keys.revokeStep3')}</li>
      </ol>
      ${s.unlocked ? nothing : html`<p class="warning">${t('keys.unlockFirst')}</p>
        <div class="row"><vaadin-password-field id="unlock-passphrase" label=${t('keys.passphrase')} autocomplete="current-password"></vaadin-password-field>
        <vaadin-button id="unlock-button" @click=${this._unlock}>${t('keys.unlock')}</vaadin-button></div>`}
      <vaadin-text-field id="revoke-reason" label=${t('keys.revokeReason')}></vaadin-text-field>
      <vaadin-checkbox id="revoke-compromised" label=${t('keys.revokeCompromised')}></vaadin-checkbox>
      <div class="row">
        <vaadin-button id="revoke-create" theme="error" ?disabled=${!s.unlocked} @click=${this._createRevocation}>${t('keys.revokeCreate')}</vaadin-button>
        ${this._revocation ? html`<vaadin-button id="revoke-remove" theme="error primary" @click=${this._removeRevoked}>${t('keys.revokeRemove')}</vaadin-button>` : nothing}
        <vaadin-button id="cancel-revoke" @click=${() => { this._mode = 'overview'; this._revocation = null; }}>${t('keys.cancel')}</vaadin-button>
      </div>
    </section>`;
  }
}

customElements.define('essaim-keys', EssaimKeys);
