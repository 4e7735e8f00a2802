/**
 * <essaim-reader>: shows one message, decrypted, verified and parsed in this page only.
 *
 * Java sets public data (account, folder, uid, the outer headers, the sender's public key) and the `src`
 * attribute: a URL from which the stored message is fetched as raw bytes. Everything decrypted lives in this
 * element's JS state and shadow DOM; Flow synchronises none of its properties back, and the only event sent to
 * the server ("essaim-answer") carries the chosen mode and nothing else.
 *
 * Recognised: PGP/MIME (multipart/encrypted, RFC 3156), inline PGP (an armored message in a text body),
 * signed-only mail (multipart/signed, cleartext-signed text) and clear mail. HTML parts are sanitised and shown
 * in a sandboxed iframe (essaim-safe-html.js); attachments are saved from decrypted bytes (Blob + object URL).
 */
import { LitElement, html, css, nothing } from 'lit';
import '@vaadin/button';
import PostalMime from 'postal-mime';
import * as crypto from '../crypto/essaim-crypto.js';
import { handOver } from './essaim-handoff.js';
import { parseEntity, splitMultipart, bodyText, canonicalCrlf, armoredBlock } from './essaim-mime.js';
import { sanitizeMailHtml, frameDocument, textOfHtml } from './essaim-safe-html.js';
import { shownSubject } from './subject-lines.js';
import { parseAutocrypt, headerValues } from './autocrypt.js';
import { originOf } from './origin.js';
import { conversationOf, conversationMessage, onIndexProgress } from '../crypto/essaim-search.js';
import { t, followLanguage, language } from '../i18n/essaim-i18n.js';
import { humanSize as localSize, dateTime } from '../i18n/format.js';

const UTF8 = new TextDecoder('utf-8');
const LATIN1 = new TextDecoder('latin1');
const NOT_CONTENT = new Set(['application/pgp-signature', 'application/pgp-encrypted', 'application/pgp-keys']);
/** The conversation under a message shows the text of at most this many of its other messages (the newest). */
const THREAD_TEXTS = 25;

/** Thrown for a state the user can fix (locked key, no key here), not for a broken message. */
class NeedsKey extends Error {
  constructor(state, message) {
    super(message);
    this.state = state;
  }
}

function humanSize(bytes) {
  return localSize(bytes, language());
}

function groupsOfFour(fingerprint) {
  return String(fingerprint || '').replace(/(.{4})(?!$)/g, '$1 ');
}

function addressText(a) {
  if (!a) return '';
  if (a.group) return (a.name ? a.name + ': ' : '') + a.group.map(addressText).join(', ');
  return a.name ? `${a.name} <${a.address}>` : (a.address || '');
}

function saveBytes(bytes, filename, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type: type || 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has read the blob by then; the URL must not outlive it.
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

/** The origin line under the sender: what this server's arrival checks said (see origin.js). */
function originLine(values, authservId) {
  const origin = originOf(values, authservId);
  if (!origin) return null;
  if (origin.status === 'verified') return { status: origin.status, text: t('reader.originVerified', origin.domain) };
  if (origin.status === 'failed') return { status: origin.status, text: t('reader.originFailed', origin.domain || '?') };
  return { status: origin.status, text: t('reader.originUnverified') };
}

/**
 * What the signatures say, in one line. Only a signature that verifies against a known key counts as valid.
 * @param {?import('../crypto/essaim-crypto.js').SignerResult[]} signatures - null or [] when not signed
 */
function signatureSummary(signatures, fromAddress) {
  if (!signatures || signatures.length === 0) return { status: 'unsigned', text: t('reader.notSigned') };
  const valid = signatures.find((s) => s.status === 'valid');
  if (valid) {
    const owner = valid.userIds.some((u) => fromAddress && u.toLowerCase().includes(fromAddress.toLowerCase()));
    return {
      status: 'valid',
      text: t('reader.validSignature', valid.userIds[0] || 'key', groupsOfFour(valid.fingerprint))
        + (owner || !fromAddress ? '' : ' ' + t('reader.notTheSender', fromAddress)),
      fingerprint: valid.fingerprint,
    };
  }
  const bad = signatures.find((s) => s.status === 'bad');
  if (bad) {
    return { status: 'bad', text: t('reader.badSignature', groupsOfFour(bad.fingerprint)), fingerprint: bad.fingerprint };
  }
  const unknown = signatures[0];
  return { status: 'unknown-key', text: t('reader.unknownKey', unknown.keyId), keyId: unknown.keyId };
}

class EssaimReader extends LitElement {
  static properties = {
    src: { type: String },
    account: { type: String },
    folder: { type: String },
    uid: { type: String },
    outerFrom: { type: String },
    outerFromAddress: { type: String },
    outerTo: { type: String },
    outerCc: { type: String },
    outerSubject: { type: String },
    outerDate: { type: String },
    senderKey: { type: String },
    /** essaim.hostname: the Authentication-Results field this server wrote carries it (others are not trusted). */
    authservId: { type: String },
    _phase: { state: true },
    _error: { state: true },
    _shown: { state: true },
    _remoteAllowed: { state: true },
    _asText: { state: true },
  };

  static styles = css`
    :host { display: block; }
    header { border-bottom: 1px solid var(--lumo-contrast-10pct); padding-bottom: var(--lumo-space-s); }
    h2 { margin: 0 0 var(--lumo-space-xs); font-size: var(--lumo-font-size-xl); }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 var(--lumo-space-s); margin: 0; font-size: var(--lumo-font-size-s); }
    dt { color: var(--lumo-secondary-text-color); }
    dd { margin: 0; overflow-wrap: anywhere; }
    .signature { margin: var(--lumo-space-s) 0; padding: var(--lumo-space-xs) var(--lumo-space-s); border-radius: var(--lumo-border-radius-m); font-size: var(--lumo-font-size-s); }
    .signature[data-status="valid"] { background: var(--lumo-success-color-10pct); color: var(--lumo-success-text-color); }
    .signature[data-status="bad"] { background: var(--lumo-error-color-10pct); color: var(--lumo-error-text-color); font-weight: bold; }
    .signature[data-status="unknown-key"] { background: var(--lumo-contrast-10pct); }
    .signature[data-status="unsigned"] { color: var(--lumo-secondary-text-color); }
    .origin { font-size: var(--lumo-font-size-s); margin: 0 0 var(--lumo-space-xs); }
    .origin[data-status="verified"] { color: var(--lumo-success-text-color); }
    .origin[data-status="failed"] { color: var(--lumo-error-text-color); font-weight: bold; }
    .origin[data-status="unverified"] { color: var(--lumo-secondary-text-color); }
    .remote[hidden] { display: none; }
    ol.thread { padding-left: 1.5em; font-size: var(--lumo-font-size-s); }
    ol.thread li { padding: var(--lumo-space-xs) 0; border-bottom: 1px solid var(--lumo-contrast-10pct); }
    ol.thread .line { cursor: pointer; }
    ol.thread li.current .line { font-weight: 600; cursor: default; }
    ol.thread pre.thread-text { margin: var(--lumo-space-xs) 0; font-size: var(--lumo-font-size-m); }
    ol.thread .who, ol.thread .when { color: var(--lumo-secondary-text-color); }
    .actions, .remote { display: flex; gap: var(--lumo-space-s); flex-wrap: wrap; margin: var(--lumo-space-s) 0; align-items: center; }
    pre.text { white-space: pre-wrap; overflow-wrap: anywhere; font-family: inherit; margin: var(--lumo-space-m) 0; }
    iframe { width: 100%; min-height: 200px; border: 0; display: block; background: white; }
    ul.attachments { list-style: none; padding: 0; }
    ul.attachments li { display: flex; gap: var(--lumo-space-s); align-items: center; }
    .state { padding: var(--lumo-space-m); border-radius: var(--lumo-border-radius-m); background: var(--lumo-contrast-5pct); }
    .error { color: var(--lumo-error-text-color); }
    .note { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
  `;

  constructor() {
    super();
    this._phase = 'loading';
    this._raw = null;
    this._shown = null;
    this._remoteAllowed = false;
    this._asText = false;
    /** Timings of the last display (ms), for the benchmark: fetch, decrypt, parse, total. Public figures only. */
    this.timings = null;
  }

  connectedCallback() {
    super.connectedCallback();
    this._unfollow = followLanguage(this);
    // The index may open (or catch up) after the message is shown: the conversation list follows.
    this._unindex = onIndexProgress((p) => { if (p.finished && this._shown) this._showConversation(this._shown); });
    this._unsubscribe = crypto.onLockChange((unlocked) => {
      if (unlocked && (this._phase === 'locked')) this._process();
      if (!unlocked && this._shown && this._shown.encrypted) {
        // The key was locked: the decrypted content goes with it.
        this._shown = null;
        this._setPhase('locked');
      }
    });
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    if (this._unsubscribe) this._unsubscribe();
    if (this._unfollow) this._unfollow();
    if (this._unindex) this._unindex();
  }

  updated(changed) {
    // Java sets the account and the source together; load once both are known (the key store is per account).
    if ((changed.has('src') || changed.has('account')) && this.src && this.account && this._loadedSrc !== this.src) {
      this._loadedSrc = this.src;
      this._load();
    }
    if (this._shown && this._shown.html !== null && !this._asText) this._fillFrame();
  }

  _setPhase(phase) {
    this._phase = phase;
    this.dataset.state = phase; // client-side only: Flow does not read attributes back
  }

  async _load() {
    const src = this.src;
    this._started = performance.now();
    this._shown = null;
    this._raw = null;
    this._error = null;
    this._remoteAllowed = false;
    this._asText = false;
    this._setPhase('loading');
    try {
      const response = await fetch(new URL(src, document.baseURI), { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) throw new Error(response.status === 404 ? t('reader.gone') : t('reader.fetchFailed', response.status));
      const raw = new Uint8Array(await response.arrayBuffer());
      if (src !== this.src) return; // another message was opened meanwhile
      this._raw = raw;
      this._fetched = performance.now();
    } catch (e) {
      this._error = e.message;
      this._setPhase('error');
      return;
    }
    await this._process();
  }

  async _process() {
    const raw = this._raw;
    if (!raw) return;
    this._setPhase('loading');
    const timings = { fetch: (this._fetched || 0) - (this._started || 0), decrypt: 0, parse: 0 };
    const began = performance.now();
    try {
      await crypto.selectAccount(this.account);
      const opened = await this._open(raw, timings);
      if (raw !== this._raw) return;
      this._shown = opened;
      this._setPhase('shown');
      this._learnAutocrypt(raw, opened);
      this._showConversation(opened);
      await this.updateComplete;
      timings.total = performance.now() - (this._started || began);
      timings.module = performance.now() - began;
      this.timings = timings;
    } catch (e) {
      if (raw !== this._raw) return;
      if (e instanceof NeedsKey) {
        this._error = e.message;
        this._setPhase(e.state);
      } else {
        this._error = e.message || String(e);
        this._setPhase('error');
      }
    }
  }

  async _requireUnlocked() {
    const status = await crypto.status();
    if (!status.hasKey) {
      throw new NeedsKey('no-key', t('reader.noKey', status.account || ''));
    }
    if (!crypto.isUnlocked()) {
      throw new NeedsKey('locked', t('reader.locked'));
    }
  }

  /** Decrypts and verifies as needed, then parses: the displayable message. */
  /**
   * Autocrypt (Level 1): the sender's key from the message's Autocrypt header (only when it names the From address,
   * and only one such header), the other recipients' keys from the gossip inside the encrypted part. The crypto
   * worker keeps them as contact keys under Autocrypt's rules; what was learned is shown under the headers.
   */
  async _learnAutocrypt(raw, shown) {
    const learned = [];
    try {
      const date = shown.date ? new Date(shown.date).getTime() : Date.now();
      const outerHeaders = LATIN1.decode(raw.subarray(0, Math.min(raw.length, 256 * 1024)));
      // Mail that arrived in clear and was encrypted by Essaim carries its headers inside the encrypted part.
      let values = headerValues(outerHeaders, 'Autocrypt');
      if (values.length === 0 && this._innerHeaders) values = headerValues(this._innerHeaders, 'Autocrypt');
      const headers = values.map(parseAutocrypt).filter(Boolean);
      const from = (shown.fromAddress || '').toLowerCase();
      if (headers.length === 1 && headers[0].addr === from) {
        learned.push(await crypto.learnAutocrypt({ ...headers[0], date }));
      }
      if (shown.encrypted && this._innerHeaders) {
        for (const gossip of headerValues(this._innerHeaders, 'Autocrypt-Gossip').map(parseAutocrypt).filter(Boolean)) {
          learned.push(await crypto.learnAutocrypt({ ...gossip, date, gossip: true }));
        }
      }
    } catch (e) {
      return; // a key we cannot take changes nothing in what the user reads
    }
    if (this._shown === shown) {
      this._autocrypt = learned.filter((r) => r.learned);
      this.requestUpdate();
    }
  }

  /**
   * The whole conversation under the message: every message of its thread (from the browser's index, when it is
   * open), oldest first, the others with their decrypted text. Signatures are checked when a message is opened.
   */
  async _showConversation(shown) {
    let thread = [];
    try {
      thread = await conversationOf(this.folder, Number(this.uid));
    } catch (e) {
      thread = []; // the index is not open (yet): no list
    }
    if (this._shown !== shown) return;
    this._thread = thread.length > 1 ? thread : [];
    this._threadTexts = new Map();
    this.requestUpdate();
    // The newest ones first, so that a long thread shows its latest answers soonest.
    for (const message of [...this._thread].reverse().slice(0, THREAD_TEXTS)) {
      if (this._isCurrent(message)) continue;
      let entry;
      try {
        const found = await conversationMessage(message.folder, message.uid);
        entry = found ? { text: found.text } : { error: t('reader.gone') };
      } catch (e) {
        entry = { error: e.message || String(e) };
      }
      if (this._shown !== shown) return;
      this._threadTexts.set(message.folder + '/' + message.uid, entry);
      this.requestUpdate();
    }
  }

  _isCurrent(message) {
    return String(message.uid) === String(this.uid) && message.folder === this.folder;
  }

  _threadText(message) {
    if (this._isCurrent(message)) return html`<div class="note">${t('reader.threadThisMessage')}</div>`;
    const entry = (this._threadTexts || new Map()).get(message.folder + '/' + message.uid);
    if (!entry) return html`<div class="note">${t('reader.threadDecrypting')}</div>`;
    if (entry.error) return html`<div class="note">${t('reader.threadUnreadable', entry.error)}</div>`;
    return html`<pre class="text thread-text">${entry.text}</pre>`;
  }

  _openOther(message) {
    this.dispatchEvent(new CustomEvent('essaim-open', { detail: { folder: message.folder, uid: message.uid }, bubbles: true, composed: true }));
  }

  async _open(raw, timings) {
    this._thread = [];
    this._innerHeaders = null;
    this._autocrypt = [];
    const senders = this.senderKey ? [this.senderKey] : [];
    let content = raw;
    let signatures = null;
    let encrypted = false;
    let outer = parseEntity(raw);
    const outerHeaderText = LATIN1.decode(raw.subarray(0, Math.min(raw.length, 256 * 1024)));
    // Set by this server when it encrypted a message that arrived in clear (removed from anything arriving).
    const encryptedOnArrival = headerValues(outerHeaderText, 'Essaim-Encrypted-On-Arrival').length > 0;
    // Set by a sending Essaim that encrypted clear mail to our key before it left (issue 13): encrypted in transit
    // and at rest, but not by the sender. Anyone can add it; it only ever claims less protection, never more.
    const bySendingServer = headerValues(outerHeaderText, 'Essaim-Encrypted-By-Sending-Server').length > 0;
    if (outer.type === 'multipart/encrypted') {
      await this._requireUnlocked();
      const parts = splitMultipart(outer.body, outer.params.boundary);
      if (parts.length < 2) throw new Error(t('reader.brokenPgpMime'));
      const payload = bodyText(parseEntity(parts[1]));
      const decryptStarted = performance.now();
      let decrypted;
      try {
        decrypted = await crypto.decryptMime(armoredBlock(payload, 'MESSAGE') || payload, { sendersArmored: senders });
      } catch (e) {
        throw new Error(t('reader.cannotDecrypt', e.message));
      }
      timings.decrypt += performance.now() - decryptStarted;
      content = decrypted.data;
      signatures = decrypted.signatures;
      encrypted = true;
      outer = parseEntity(content);
      this._innerHeaders = LATIN1.decode(content.subarray(0, Math.min(content.length, 256 * 1024)));
    }
    if (outer.type === 'multipart/signed') {
      const parts = splitMultipart(outer.body, outer.params.boundary);
      if (parts.length >= 2) {
        const verifyStarted = performance.now();
        try {
          const checked = await crypto.verifySigned({
            data: canonicalCrlf(parts[0]), signatureArmored: bodyText(parseEntity(parts[1])), sendersArmored: senders,
          });
          signatures = (signatures || []).concat(checked.signatures);
        } catch (e) {
          signatures = (signatures || []).concat([{ status: 'bad', keyId: '?', fingerprint: null, userIds: [], error: e.message }]);
        }
        timings.decrypt += performance.now() - verifyStarted;
      }
    }
    const parseStarted = performance.now();
    let email;
    try {
      email = await PostalMime.parse(content, { attachmentEncoding: 'arraybuffer' });
    } catch (e) {
      throw new Error(t('reader.structureUnreadable', e.message));
    }
    timings.parse += performance.now() - parseStarted;
    let text = email.text || null;
    let htmlPart = email.html || null;
    if (!htmlPart && text && text.includes('-----BEGIN PGP MESSAGE-----')) {
      await this._requireUnlocked();
      const block = armoredBlock(text, 'MESSAGE');
      const inlineStarted = performance.now();
      let decrypted;
      try {
        decrypted = await crypto.decryptMime(block, { sendersArmored: senders });
      } catch (e) {
        throw new Error(t('reader.inlineCannotDecrypt', e.message));
      }
      timings.decrypt += performance.now() - inlineStarted;
      text = UTF8.decode(decrypted.data).replace(/\r\n/g, '\n');
      signatures = decrypted.signatures;
      encrypted = true;
    } else if (!htmlPart && text && text.includes('-----BEGIN PGP SIGNED MESSAGE-----')) {
      try {
        const checked = await crypto.verifySigned({ cleartextMessage: armoredBlock(text, 'SIGNED MESSAGE'), sendersArmored: senders });
        text = checked.text;
        signatures = checked.signatures;
      } catch (e) {
        signatures = [{ status: 'bad', keyId: '?', fingerprint: null, userIds: [], error: e.message }];
      }
    }
    const cidUrls = new Map();
    const attachments = [];
    for (const a of email.attachments || []) {
      const type = (a.mimeType || 'application/octet-stream').toLowerCase();
      if (NOT_CONTENT.has(type) && !a.filename) continue;
      if (NOT_CONTENT.has(type) && a.filename && /^(encrypted\.asc|signature\.asc|msg\.asc)$/i.test(a.filename)) continue;
      const bytes = new Uint8Array(a.content);
      if (a.contentId && a.related && type.startsWith('image/')) {
        cidUrls.set(a.contentId.replace(/^<|>$/g, '').toLowerCase(), await this._dataUrl(bytes, type));
        if (!a.filename) continue;
      }
      attachments.push({ filename: a.filename || 'attachment', mimeType: type, content: bytes });
    }
    const subject = shownSubject(email.subject, this.outerSubject);
    return {
      encrypted,
      subject,
      from: email.from ? addressText(email.from) : this.outerFrom,
      fromAddress: (email.from && email.from.address) || this.outerFromAddress || '',
      date: email.date || this.outerDate || null,
      to: email.to ? email.to.map(addressText).join(', ') : this.outerTo,
      cc: email.cc ? email.cc.map(addressText).join(', ') : this.outerCc,
      toList: email.to || [],
      ccList: email.cc || [],
      text,
      html: htmlPart,
      cidUrls,
      attachments,
      signature: signatureSummary(signatures, (email.from && email.from.address) || this.outerFromAddress),
      encryptedOnArrival,
      encryptedBySendingServer: encrypted && !encryptedOnArrival && bySendingServer,
      // Encrypted on arrival: the server's checks are inside the ciphertext; otherwise in the outer header block.
      origin: originLine(headerValues(encryptedOnArrival && this._innerHeaders ? this._innerHeaders : outerHeaderText,
        'Authentication-Results'), this.authservId),
    };
  }

  _dataUrl(bytes, type) {
    return new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.readAsDataURL(new Blob([bytes], { type }));
    });
  }

  _fillFrame() {
    const frame = this.renderRoot.querySelector('#body-html');
    if (!frame) return;
    const key = (this._remoteAllowed ? 'remote:' : 'blocked:') + this.src;
    if (frame.dataset.filled === key) return;
    frame.dataset.filled = key;
    const { html: clean, remoteBlocked } = sanitizeMailHtml(this._shown.html,
      { allowRemoteImages: this._remoteAllowed, cidUrls: this._shown.cidUrls });
    this._remoteBlocked = remoteBlocked;
    frame.onload = () => {
      try {
        frame.style.height = (frame.contentDocument.documentElement.scrollHeight + 16) + 'px';
      } catch (e) { /* keep the default height */ }
    };
    frame.srcdoc = frameDocument(clean, { allowRemoteImages: this._remoteAllowed });
    const remote = this.renderRoot.querySelector('#remote-content');
    if (remote) remote.hidden = remoteBlocked === 0 || this._remoteAllowed;
  }

  _answer(mode) {
    const m = this._shown;
    const text = m.text !== null ? m.text : textOfHtml(sanitizeMailHtml(m.html).html);
    handOver({
      key: this.folder + '/' + this.uid,
      mode,
      subject: m.subject || '',
      from: m.from,
      fromAddress: m.fromAddress,
      to: m.toList,
      cc: m.ccList,
      date: m.date,
      text,
      attachments: mode === 'forward' ? m.attachments.map((a) => ({ ...a })) : [],
    });
    this.dispatchEvent(new CustomEvent('essaim-answer', { detail: { mode }, bubbles: true, composed: true }));
  }

  _downloadRaw() {
    if (this._raw) saveBytes(this._raw, 'message-' + (this.uid || 'original') + '.eml', 'message/rfc822');
  }

  render() {
    switch (this._phase) {
      case 'loading':
        return html`<p class="state" id="reader-loading">${t('reader.loading')}</p>`;
      case 'locked':
        return html`<div class="state" id="reader-locked" role="status"><p>🔒 ${this._error || t('reader.locked')}</p>
          <p class="note">${t('reader.lockedNote')}</p></div>`;
      case 'no-key':
        return html`<div class="state" id="reader-no-key" role="status"><p>${this._error}</p><a href="keys">${t('reader.keysPage')}</a>
          ${this._rawButton()}</div>`;
      case 'error':
        return html`<div class="state" id="reader-error" role="alert"><p class="error">${this._error}</p>
          ${this._raw ? html`<p class="note">${t('reader.rawStillDownloadable')}</p>${this._rawButton()}` : nothing}</div>`;
      default:
        return this._renderMessage(this._shown);
    }
  }

  _rawButton() {
    return this._raw ? html`<vaadin-button id="download-raw" theme="tertiary" @click=${this._downloadRaw}>${t('reader.downloadRaw')}</vaadin-button>` : nothing;
  }

  _renderMessage(m) {
    const date = m.date ? new Date(m.date) : null;
    return html`
      <header>
        <h2 id="subject">${m.subject || t('reader.noSubject')}</h2>
        <dl>
          <dt>${t('reader.from')}</dt><dd id="from">${m.from}</dd>
          ${date && !isNaN(date) ? html`<dt>${t('reader.date')}</dt><dd id="date">${dateTime(date, language())}</dd>` : nothing}
          ${m.to ? html`<dt>${t('reader.to')}</dt><dd id="to">${m.to}</dd>` : nothing}
          ${m.cc ? html`<dt>${t('reader.cc')}</dt><dd id="cc">${m.cc}</dd>` : nothing}
        </dl>
        <div class="signature" id="signature" data-status=${m.signature.status}>${m.signature.text}</div>
        ${m.origin ? html`<div class="origin" id="origin" data-status=${m.origin.status}>${m.origin.text}</div>` : nothing}
        ${m.encrypted && !m.encryptedOnArrival ? nothing : html`<div class="note" id="not-encrypted">${t('reader.notEncrypted')}</div>`}
        ${m.encryptedBySendingServer ? html`<div class="note" id="encrypted-by-sending-server">${t('reader.encryptedBySendingServer')}</div>` : nothing}
        ${(this._autocrypt || []).map((a) => html`<div class="note autocrypt" id="autocrypt-note" data-address=${a.addr}
          >${t('reader.autocryptLearned', a.addr, groupsOfFour(a.fingerprint))}</div>`)}
        <div class="actions">
          <vaadin-button id="reply" @click=${() => this._answer('reply')}>${t('reader.reply')}</vaadin-button>
          <vaadin-button id="reply-all" @click=${() => this._answer('reply-all')}>${t('reader.replyAll')}</vaadin-button>
          <vaadin-button id="forward" @click=${() => this._answer('forward')}>${t('reader.forward')}</vaadin-button>
          ${m.html !== null && m.text !== null ? html`<vaadin-button id="toggle-text" theme="tertiary"
              @click=${() => { this._asText = !this._asText; }}>${this._asText ? t('reader.showFormatted') : t('reader.showText')}</vaadin-button>` : nothing}
          ${this._rawButton()}
        </div>
      </header>
      ${m.html !== null && !this._asText ? html`
        <div class="remote" id="remote-content" hidden>
          <span class="note">${t('reader.remoteBlocked')}</span>
          <vaadin-button id="show-remote-images" theme="small" @click=${() => { this._remoteAllowed = true; }}>${t('reader.showRemote')}</vaadin-button>
        </div>
        <iframe id="body-html" title=${t('reader.bodyFrame')} sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
          referrerpolicy="no-referrer"></iframe>`
        : html`<pre class="text" id="body-text">${m.text || ''}</pre>`}
      ${(this._thread || []).length ? html`<h3>${t('reader.conversation')}</h3>
        <p class="note">${t('reader.threadNote')}</p><ol class="thread" id="conversation">
        ${this._thread.map((c) => html`<li class=${this._isCurrent(c) ? 'current' : ''} data-folder=${c.folder} data-uid=${c.uid}>
          <span class="line" @click=${() => this._openOther(c)}><span class="who">${c.from}</span> ·
            <span class="when">${dateTime(c.date, language())}</span> · <span>${c.subject || t('reader.noSubject')}</span></span>
          ${this._threadText(c)}</li>`)}
      </ol>` : nothing}
      ${m.attachments.length ? html`<h3>${t('reader.attachments')}</h3><ul class="attachments" id="attachments">
        ${m.attachments.map((a, i) => html`<li><span class="name">${a.filename}</span> <span class="note">${humanSize(a.content.length)}</span>
          <vaadin-button id=${'attachment-' + i} theme="small" @click=${() => saveBytes(a.content, a.filename, a.mimeType)}>${t('reader.download')}</vaadin-button></li>`)}
      </ul>` : nothing}
    `;
  }
}

customElements.define('essaim-reader', EssaimReader);
