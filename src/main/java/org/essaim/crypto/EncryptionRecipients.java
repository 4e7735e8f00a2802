package org.essaim.crypto;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.operator.PGPKeyEncryptionMethodGenerator;
import org.pgpainless.algorithm.SymmetricKeyAlgorithm;
import org.pgpainless.encryption_signing.EncryptionBuilder;
import org.pgpainless.encryption_signing.EncryptionOptions;

/**
 * What encrypting to a certificate needs, worked out once per certificate instead of twice per message:
 * PGPainless evaluates a certificate (parses it, verifies every self-signature, picks the encryption subkeys and
 * the symmetric algorithm) each time it is added as a recipient, and that evaluation cost more CPU than the
 * encryption of a 4 KB message itself (Ed25519 signature checks in the delivery profile, issue 15). The result is
 * kept for a few minutes (so an expiry is noticed soon), per exact certificate bytes (a new upload is a new
 * entry), for a bounded number of certificates.
 */
final class EncryptionRecipients {
    private static final Duration VALID_FOR = Duration.ofMinutes(5);
    private static final int MAX_ENTRIES = 1024;
    private static final Map<ByteBuffer, Recipient> CACHE = new ConcurrentHashMap<>();

    /** The evaluated recipient: its encryption methods (one per usable subkey) and the negotiated algorithm. */
    record Recipient(List<PGPKeyEncryptionMethodGenerator> methods, SymmetricKeyAlgorithm algorithm, long evaluatedAtNanos) {

        EncryptionOptions options() {
            EncryptionOptions options = EncryptionOptions.encryptCommunications();
            methods.forEach(options::addEncryptionMethod);
            return options.overrideEncryptionAlgorithm(algorithm);
        }

        boolean fresh() {
            return System.nanoTime() - evaluatedAtNanos < VALID_FOR.toNanos();
        }
    }

    private EncryptionRecipients() {
    }

    /** @param certificateBytes the certificate as stored (cache key); {@code certificate} its parsed form */
    static Recipient of(byte[] certificateBytes, java.util.function.Supplier<PGPPublicKeyRing> certificate) {
        ByteBuffer key = ByteBuffer.wrap(certificateBytes.clone());
        Recipient cached = CACHE.get(key);
        if (cached != null && cached.fresh()) {
            return cached;
        }
        Recipient evaluated = evaluate(certificate.get());
        if (CACHE.size() >= MAX_ENTRIES) {
            CACHE.clear();
        }
        CACHE.put(key, evaluated);
        return evaluated;
    }

    static Recipient evaluate(PGPPublicKeyRing certificate) {
        EncryptionOptions options = EncryptionOptions.encryptCommunications().addRecipient(certificate);
        return new Recipient(List.copyOf(options.getEncryptionMethods()),
                EncryptionBuilder.negotiateSymmetricEncryptionAlgorithm(options), System.nanoTime());
    }
}
