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
  }

  connectedCallback() {
    super.connectedCallback();
    this._unsubscribe = keys.onLockChange(() => this._refresh());
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    if (this._unsubscribe) this._unsubscribe();
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

  async _refresh() {
    this._status = await keys.status();
    this._qr = this._status.fingerprint
      ? await QRCode.toDataURL('OPENPGP4FPR:' + this._status.fingerprint, { margin: 1, width: 180 })
      : null;
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
        this._server = { state: 'error', message: 'The server answered ' + response.status + ' when asked for your published key' };
      }
    } catch (e) {
      this._server = { state: 'error', message: 'Could not ask the server for your published key: ' + e.message };
    }
    this._emit();
  }

  /** Publishes the PUBLIC key: the only key material this element sends anywhere. */
  async _upload() {
    this._busy = 'Publishing your public key…';
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
        throw new Error('The server refused your public key (HTTP ' + response.status + ')' + (reason ? ': ' + reason : ''));
      }
      this._server = { state: 'published', fingerprint: normalizeFingerprint(answer && answer.fingerprint),
        uploadedAt: answer ? answer.uploadedAt : null };
      this._notice = 'Your public key is published: others can now find it and write to you encrypted.';
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
      this._error = 'Choose a passphrase of at least ' + MIN_PASSPHRASE + ' characters.';
      return;
    }
    if (passphrase !== confirmation) {
      this._error = 'The two passphrases differ.';
      return;
    }
    this._busy = 'Generating your key pair in this browser…';
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
      this._error = 'This file is too large to be a private key.';
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
      this._error = 'Choose your private key file (.asc) or paste its text.';
      return;
    }
    this._busy = 'Checking and importing your key…';
    await new Promise((resolve) => setTimeout(resolve, 30));
    try {
      const result = await keys.importPrivateKey(source, this._value('import-passphrase'), { replace: this._mode === 'replace' });
      this._clear('import-passphrase', 'import-text');
      this._importText = null;
      this._importFileName = null;
      this._mode = 'overview';
      if (result.reprotected) this._notice = 'This key had no passphrase; it is now protected with the one you typed.';
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
    this._busy = 'Unlocking…';
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
          withdrawn = ' The server no longer publishes it.';
        } else {
          let answer = null;
          try { answer = await response.json(); } catch (e) { answer = null; }
          this._error = 'The server still publishes the revoked key (HTTP ' + response.status + ')'
            + (answer && answer.error ? ': ' + answer.error : '');
        }
      } catch (e) {
        this._error = 'The server still publishes the revoked key: ' + e.message;
      }
    }
    this._notice = 'The key is removed from this browser.' + withdrawn
      + ' Hand out the revocation certificate you downloaded, then create or import a new key.';
    await this._refresh();
  }

  // ---- rendering ----

  render() {
    if (!this.account) return html`<p>Loading…</p>`;
    if (!this._status) return html`<p>Reading this browser's key storage…</p>`;
    return html`
      ${this._error ? html`<p class="error" role="alert" id="error">${this._error}</p>` : nothing}
      ${this._notice ? html`<p class="notice" role="status" id="notice">${this._notice}</p>` : nothing}
      ${this._busy ? html`<div id="busy" role="progressbar" aria-label=${this._busy}><span>${this._busy}</span>
        <vaadin-progress-bar indeterminate></vaadin-progress-bar></div>` : nothing}
      ${this._body()}
      <p class="muted">Your private key and passphrase never leave this browser: the key is stored here, encrypted with
        your passphrase, and only your public key is sent to the server.</p>
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
      ${serverHasKey ? html`<p class="warning" id="restore-hint">The server publishes a key for you
        (<span class="fingerprint">${groupsOfFour(this._server.fingerprint)}</span>), but this browser does not hold its
        private key. To read your encrypted mail here, import your backup file below. Creating a new key replaces the
        published one; mail encrypted to the old key then stays readable only with the old key's backup.</p>`
        : html`<p>You have no key in this browser yet. Create one here, or import the private key you made at home
        with GnuPG or Thunderbird.</p>`}
      <div class="columns">${this._generateForm()}${this._importForm()}</div>`;
  }

  _generateForm() {
    const busy = !!this._busy;
    return html`<section id="generate">
      <h3>Create a new key</h3>
      <vaadin-text-field id="key-name" label="Your name (in the key)" .value=${this.name || ''}></vaadin-text-field>
      <vaadin-text-field label="Address" .value=${this.account} readonly></vaadin-text-field>
      <vaadin-password-field id="new-passphrase" label="Passphrase (at least ${MIN_PASSPHRASE} characters)"
        autocomplete="new-password"></vaadin-password-field>
      <vaadin-password-field id="new-passphrase-confirm" label="Passphrase again" autocomplete="new-password"
        @keydown=${(e) => e.key === 'Enter' && this._generate()}></vaadin-password-field>
      <p class="muted">Nobody can recover this passphrase for you, not even the server's admins.</p>
      <vaadin-button id="generate-button" theme="primary" ?disabled=${busy} @click=${this._generate}>Create key</vaadin-button>
    </section>`;
  }

  _importForm() {
    const busy = !!this._busy;
    return html`<section id="import">
      <h3>Import a private key</h3>
      <p class="muted">Export it at home, e.g. <code>gpg --export-secret-keys --armor ${this.account} &gt; key.asc</code>,
        or use your Essaim backup file.</p>
      <label>Key file: <input id="import-file" type="file" accept=".asc,.gpg,.key,.pgp,.txt"
        @change=${this._onImportFile}></label>
      ${this._importFileName ? html`<span class="muted">${this._importFileName}</span>` : nothing}
      <vaadin-text-area id="import-text" label="…or paste the armored private key"></vaadin-text-area>
      <vaadin-password-field id="import-passphrase" label="The key's passphrase" autocomplete="current-password"
        @keydown=${(e) => e.key === 'Enter' && this._import()}></vaadin-password-field>
      <vaadin-button id="import-button" ?disabled=${busy} @click=${this._import}>Import key</vaadin-button>
    </section>`;
  }

  _backupStep() {
    const s = this._status;
    return html`<section id="backup-step">
      <h3>One more step: keep a backup of your key</h3>
      <p>Your key <span class="fingerprint">${groupsOfFour(s.fingerprint)}</span> is stored only in this browser.
        ${s.source === 'imported' ? 'You imported it; keep the file you imported from, or download a copy now.' : ''}
        If this browser's storage is cleared, or this device is lost, <strong>without a backup your encrypted mail
        can never be read again</strong>. The backup file is protected by your passphrase; keep it somewhere safe
        (a USB stick, your password manager). To use Essaim on another device, import this file there.</p>
      <div class="row">
        <vaadin-button id="download-backup" theme="primary" @click=${this._downloadBackup}>Download backup file</vaadin-button>
        ${s.source === 'imported' && !s.reprotected ? html`<vaadin-button id="kept-import-file"
          @click=${() => this._finishCreation('import-file-kept')}>I keep the file I imported from</vaadin-button>` : nothing}
        <vaadin-button id="decline-backup" theme="tertiary" @click=${() => { this._declining = true; }}>Continue without a backup</vaadin-button>
      </div>
      ${this._declining ? html`<div class="warning" id="decline-warning">
        <p><strong>Without a backup, losing this browser's storage loses your mail.</strong> Clearing site data,
          a reinstall, a private window or a broken device make every encrypted message sent to this key unreadable,
          forever. Nobody, not even the server's admins, can recover it.</p>
        <vaadin-checkbox id="decline-understood" label="I understand and I do not want a backup"
          .checked=${!!this._declineUnderstood}
          @checked-changed=${(e) => { this._declineUnderstood = e.detail.value; }}></vaadin-checkbox>
        <vaadin-button id="decline-confirm" theme="error" ?disabled=${!this._declineUnderstood}
          @click=${() => this._finishCreation('declined')}>Continue without a backup</vaadin-button>
      </div>` : nothing}
    </section>`;
  }

  _overview() {
    const s = this._status;
    const published = this._server.state === 'published' && this._server.fingerprint === s.fingerprint;
    return html`
      <section id="key">
        <h3>Your key</h3>
        <div class="columns">
          <div>
            <p>Fingerprint:<br><span class="fingerprint" id="fingerprint">${groupsOfFour(s.fingerprint)}</span></p>
            <p class="muted">${s.userIds.join(', ')} · ${s.algorithm} · created ${new Date(s.createdAt).toLocaleDateString()}
              · ${s.source}${s.backup === 'declined' ? html` · <strong>no backup</strong>` : ''}</p>
            <p id="publication">${this._publication(published)}</p>
          </div>
          ${this._qr ? html`<img class="qr" id="qr" src=${this._qr} alt="QR code of the fingerprint">` : nothing}
        </div>
      </section>
      <section id="lock">
        <h3>${s.unlocked ? 'Unlocked' : 'Locked'}</h3>
        ${s.unlocked
          ? html`<p>Your key is unlocked in this tab; it locks itself after ${s.idleMinutes} minutes without activity.</p>
              <vaadin-button id="lock-button" @click=${this._lock}>Lock now</vaadin-button>`
          : html`<div class="row"><vaadin-password-field id="unlock-passphrase" label="Passphrase" autocomplete="current-password"
                @keydown=${(e) => e.key === 'Enter' && this._unlock()}></vaadin-password-field>
              <vaadin-button id="unlock-button" theme="primary" @click=${this._unlock}>Unlock</vaadin-button></div>`}
      </section>
      <section id="export">
        <h3>Export</h3>
        <div class="row">
          <vaadin-button id="export-private" @click=${this._downloadBackup}>Download private key backup (passphrase-protected)</vaadin-button>
          <vaadin-button id="export-public" @click=${this._downloadPublic}>Download public key</vaadin-button>
        </div>
      </section>
      <section id="manage">
        <h3>Replace or revoke</h3>
        <div class="row">
          <vaadin-button id="replace-button" @click=${() => { this._mode = 'replace'; this._error = null; }}>Replace this key…</vaadin-button>
          <vaadin-button id="revoke-button" theme="error" @click=${() => { this._mode = 'revoke'; this._error = null; }}>Revoke this key…</vaadin-button>
        </div>
      </section>`;
  }

  _publication(published) {
    if (published) {
      return html`<strong>Published</strong> on the server${this._server.uploadedAt ? ' (' + new Date(this._server.uploadedAt).toLocaleString() + ')' : ''}:
        others find it through this server's key directory.`;
    }
    const other = this._server.state === 'published'
      ? html`The server publishes another key (<span class="fingerprint">${groupsOfFour(this._server.fingerprint)}</span>). `
      : this._server.state === 'error' ? html`${this._server.message}. ` : html`Not published yet. `;
    return html`${other}<vaadin-button id="publish-button" theme="small" @click=${this._upload}>Publish this key</vaadin-button>`;
  }

  _replace() {
    return html`
      <p class="warning">A new key replaces <span class="fingerprint">${groupsOfFour(this._status.fingerprint)}</span> on
        the server. The old key stays in this browser (still protected) so that older mail remains readable here.</p>
      <div class="columns">${this._generateForm()}${this._importForm()}</div>
      <vaadin-button id="cancel-replace" @click=${() => { this._mode = 'overview'; }}>Cancel</vaadin-button>`;
  }

  _revoke() {
    const s = this._status;
    return html`<section id="revoke">
      <h3>Revoke your key</h3>
      <p>Revoking says to everyone "do not use this key any more", e.g. if your passphrase or device was compromised.
        It works like this:</p>
      <ol>
        <li>This browser makes a <strong>revocation certificate</strong> (your public key with a revocation signature)
          and you download it. Import it into GnuPG/Thunderbird and give it to your correspondents or key servers.</li>
        <li>The key is then <strong>removed from this browser</strong>. Mail encrypted to it stays readable only with your
          backup file, outside Essaim.</li>
        <li>The Essaim server does not accept revoked keys, so it simply <strong>stops publishing</strong> your key
          (nobody can fetch it from here any more). Create or import a new key afterwards to receive encrypted mail again.</li>
      </ol>
      ${s.unlocked ? nothing : html`<p class="warning">Unlock your key first (its passphrase is needed to sign the revocation).</p>
        <div class="row"><vaadin-password-field id="unlock-passphrase" label="Passphrase" autocomplete="current-password"></vaadin-password-field>
        <vaadin-button id="unlock-button" @click=${this._unlock}>Unlock</vaadin-button></div>`}
      <vaadin-text-field id="revoke-reason" label="Reason (optional, public)"></vaadin-text-field>
      <vaadin-checkbox id="revoke-compromised" label="My key or passphrase may be compromised (also invalidates my old signatures)"></vaadin-checkbox>
      <div class="row">
        <vaadin-button id="revoke-create" theme="error" ?disabled=${!s.unlocked} @click=${this._createRevocation}>Create and download revocation certificate</vaadin-button>
        ${this._revocation ? html`<vaadin-button id="revoke-remove" theme="error primary" @click=${this._removeRevoked}>Remove the key from this browser</vaadin-button>` : nothing}
        <vaadin-button id="cancel-revoke" @click=${() => { this._mode = 'overview'; this._revocation = null; }}>Cancel</vaadin-button>
      </div>
    </section>`;
  }
}

customElements.define('essaim-keys', EssaimKeys);
