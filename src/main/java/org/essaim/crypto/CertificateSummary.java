package org.essaim.crypto;

import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.util.encoders.Hex;
import org.pgpainless.PGPainless;
import org.pgpainless.key.info.KeyRingInfo;

/**
 * What a keyserver index shows about a published certificate (draft-shaw-openpgp-hkp, section 5.2).
 *
 * @param algorithm   the primary key's OpenPGP public-key algorithm number (RFC 4880 section 9.1)
 * @param expires     null when the primary key does not expire
 */
public record CertificateSummary(String fingerprint, int algorithm, int bitStrength, Instant created, Instant expires,
                                 boolean revoked, List<String> userIds) {

    /** Reads a certificate Essaim stored earlier (so already validated); fails only on corrupted storage. */
    public static CertificateSummary of(byte[] binary) {
        try {
            PGPPublicKeyRing ring = PGPainless.readKeyRing().publicKeyRing(binary);
            if (ring == null) {
                throw new IllegalArgumentException("No certificate in the stored bytes");
            }
            PGPPublicKey primary = ring.getPublicKey();
            KeyRingInfo info = PGPainless.inspectKeyRing(ring);
            Date expiry = PublicKeyValidator.primaryKeyExpiry(info);
            return new CertificateSummary(
                    Hex.toHexString(primary.getFingerprint()).toUpperCase(Locale.ROOT),
                    primary.getAlgorithm(),
                    primary.getBitStrength(),
                    primary.getCreationTime().toInstant(),
                    expiry == null ? null : expiry.toInstant(),
                    !info.getRevocationState().isNotRevoked(),
                    info.getValidAndExpiredUserIds());
        } catch (IOException e) {
            throw new IllegalArgumentException("Unreadable stored certificate", e);
        }
    }

    public boolean isExpired(Instant now) {
        return expires != null && !expires.isAfter(now);
    }
}
