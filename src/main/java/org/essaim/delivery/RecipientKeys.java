package org.essaim.delivery;

import java.util.Optional;

import org.apache.james.core.MailAddress;

/**
 * Where the SMTP hooks find a local recipient's published OpenPGP certificate. The application binds it to its
 * public key directory; kept as a plain interface so the hooks also load into a stock James as an extension.
 */
public interface RecipientKeys {

    /** The recipient's published certificate (binary or armored), if they published one. */
    Optional<byte[]> publicKeyOf(MailAddress recipient);
}
