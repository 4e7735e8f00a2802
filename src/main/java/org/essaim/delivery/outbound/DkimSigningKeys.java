package org.essaim.delivery.outbound;

import java.security.PrivateKey;
import java.util.Optional;

/**
 * Where outbound delivery finds the DKIM key to sign with for a domain. The application implements it (package
 * dkim, keys under the data directory) and lends it to James' injector, as it does for recipients' keys.
 */
public interface DkimSigningKeys {

    /** The key currently signing for this domain, if the domain is one of ours. */
    Optional<SigningKey> activeKeyFor(String domain);

    /** The domain to sign for when the From: domain is not one of ours (the server's main domain). */
    String defaultDomain();

    record SigningKey(String domain, String selector, PrivateKey privateKey) { }
}
