import { LitElement, html } from 'lit';
import QRCode from 'qrcode';
import * as crypto from '../crypto/essaim-crypto.js';
class EssaimKeys extends LitElement { render() { return html`<p>${String(!!crypto && !!QRCode)}</p>`; } }
customElements.define('essaim-keys', EssaimKeys);
