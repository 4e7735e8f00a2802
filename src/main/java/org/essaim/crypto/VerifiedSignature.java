package org.essaim.crypto;

import java.time.Instant;

/**
 * A detached signature that verified.
 *
 * @param certificateFingerprint upper-case hex fingerprint of the signer's primary key (the published key)
 * @param signingKeyFingerprint  upper-case hex fingerprint of the (sub)key that made the signature
 * @param createdAt              the signature's creation time, as the signer stated it
 */
public record VerifiedSignature(String certificateFingerprint, String signingKeyFingerprint, Instant createdAt) {
}
