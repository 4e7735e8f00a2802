/**
 * <essaim-contact-transfer>: the contact keys (correspondents' PUBLIC keys, kept in this browser's IndexedDB by the
 * crypto module) for "Export my mailbox" and "Import" on the My account page (docs/leaving.md).
 * collect() gives Java the armored keys to put into the export; restore(armored) puts the keys of an imported
 * export back into this browser. Public keys only: the crypto module refuses private key blocks.
 */
import { LitElement } from 'lit';
import * as crypto from '../crypto/essaim-crypto.js';

class EssaimContactTransfer extends LitElement {
  static properties = {
    account: { type: String },
  };

  /** @returns {Promise<string>} every contact key of the account, armored, one block after the other */
  async collect() {
    await crypto.selectAccount(this.account);
    const keys = await crypto.contactKeys();
    return keys.map((key) => key.armored.trim()).join('\n');
  }

  /**
   * @param {string} armored - the contact-keys.asc of an export
   * @returns {Promise<number>} how many keys were imported
   */
  async restore(armored) {
    if (!armored || !armored.trim()) return 0;
    await crypto.selectAccount(this.account);
    const imported = await crypto.importContactKey(armored);
    return imported.length;
  }
}

customElements.define('essaim-contact-transfer', EssaimContactTransfer);
