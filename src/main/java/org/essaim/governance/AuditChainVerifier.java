package org.essaim.governance;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.essaim.crypto.DetachedSignatureVerifier;
import org.essaim.crypto.InvalidSignatureException;
import org.essaim.crypto.VerifiedSignature;

/**
 * Re-checks the audit log from its first entry, without Spring and without trusting the server's database
 * beyond the entries and signer certificates it hands over (docs/audit.md, "Verifying"). Feed entries in order
 * with {@link #check}; the first broken entry stops the check.
 *
 * <p>For each entry: the sequence number follows the previous one (the first is 1); the statement is canonical;
 * its {@code previous} is the previous entry's hash (64 zeros for the first); the stored hash is SHA-256 of
 * statement bytes followed by signature bytes; server entries name {@code "server"} as admin and carry no
 * signature; admin entries carry a signature that verifies, at the statement's time, against the recorded
 * signer certificate, whose fingerprint is the one recorded and which has a user ID with the statement's admin.
 */
public final class AuditChainVerifier {
    /** Where the signer certificates come from: the server's /api/audit/keys, or its database. */
    public interface SignerKeys {
        Optional<byte[]> find(String fingerprint) throws Exception;
    }

    public static final class BrokenChainException extends Exception {
        private final long seq;

        BrokenChainException(long seq, String message) {
            super("entry " + seq + ": " + message);
            this.seq = seq;
        }

        public long seq() {
            return seq;
        }
    }

    private final SignerKeys keys;
    private final DetachedSignatureVerifier signatures = new DetachedSignatureVerifier();
    private final Map<String, byte[]> keyCache = new HashMap<>();
    private long lastSeq;
    private String lastHash = Statement.NO_PREDECESSOR;

    public AuditChainVerifier(SignerKeys keys) {
        this.keys = keys;
    }

    public long entriesChecked() {
        return lastSeq;
    }

    public String head() {
        return lastHash;
    }

    public void check(AuditEntry entry) throws BrokenChainException {
        long seq = entry.seq();
        if (seq != lastSeq + 1) {
            throw new BrokenChainException(seq, "expected entry " + (lastSeq + 1) + " here (entries missing or reordered)");
        }
        Statement statement;
        try {
            statement = Statement.parse(entry.statement());
        } catch (StatementException e) {
            throw new BrokenChainException(seq, "the statement is not canonical: " + e.getMessage());
        }
        if (!statement.previous().equals(lastHash)) {
            throw new BrokenChainException(seq, "names " + statement.previous() + " as previous entry, but entry "
                    + lastSeq + " has hash " + lastHash);
        }
        String hash = AuditEntry.hashOf(entry.statement(), entry.signature());
        if (!hash.equals(entry.hash())) {
            throw new BrokenChainException(seq, "its hash is " + hash + " but " + entry.hash() + " is recorded "
                    + "(the statement or signature was changed)");
        }
        if (entry.kind() == AuditEntry.Kind.SERVER) {
            if (entry.signature() != null || !Statement.SERVER.equals(statement.admin())) {
                throw new BrokenChainException(seq, "a server entry must be unsigned and name \"server\" as admin");
            }
        } else {
            checkSignature(seq, entry, statement);
        }
        lastSeq = seq;
        lastHash = hash;
    }

    private void checkSignature(long seq, AuditEntry entry, Statement statement) throws BrokenChainException {
        if (entry.signature() == null || entry.signerFingerprint() == null) {
            throw new BrokenChainException(seq, "an admin entry without signature or signer");
        }
        if (Statement.SERVER.equals(statement.admin())) {
            throw new BrokenChainException(seq, "an admin entry in the server's name");
        }
        byte[] certificate = key(seq, entry.signerFingerprint());
        Date at = Date.from(statement.time());
        try {
            if (!signatures.fingerprintOf(certificate).equals(entry.signerFingerprint())) {
                throw new BrokenChainException(seq, "the certificate served for " + entry.signerFingerprint()
                        + " has another fingerprint");
            }
            if (!signatures.hasUserIdOf(certificate, statement.admin(), at)) {
                throw new BrokenChainException(seq, "the signer's certificate has no user ID " + statement.admin());
            }
            VerifiedSignature verified = signatures.verify(entry.statement(),
                    entry.signature().getBytes(StandardCharsets.UTF_8), certificate, at);
            if (!verified.certificateFingerprint().equals(entry.signerFingerprint())) {
                throw new BrokenChainException(seq, "signed by " + verified.certificateFingerprint()
                        + ", not by the recorded signer");
            }
        } catch (InvalidSignatureException e) {
            throw new BrokenChainException(seq, "bad signature: " + e.getMessage());
        }
    }

    private byte[] key(long seq, String fingerprint) throws BrokenChainException {
        byte[] cached = keyCache.get(fingerprint);
        if (cached != null) {
            return cached;
        }
        Optional<byte[]> found;
        try {
            found = keys.find(fingerprint);
        } catch (Exception e) {
            throw new BrokenChainException(seq, "the signer certificate " + fingerprint + " could not be fetched: " + e);
        }
        byte[] key = found.orElseThrow(() -> new BrokenChainException(seq, "no certificate for signer " + fingerprint));
        keyCache.put(fingerprint, key);
        return key;
    }
}
