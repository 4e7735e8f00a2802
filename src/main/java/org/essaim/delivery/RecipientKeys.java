package org.essaim.delivery;

import java.util.Optional;

/**
 * Where the SMTP hooks and the mailbox wrapper find a local account's published OpenPGP certificate. The
 * application implements it with its public key directory (package keys) and lends it to James' injector; a plain
 * interface with plain types, so the hooks also load into a stock James as an extension and the directory needs
 * no James type.
 */
public interface RecipientKeys {

    /** The certificate (binary or armored) published for this e-mail address, if any. */
    Optional<byte[]> publicKeyOf(String address);
}
