package org.essaim.governance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One entry of the audit log's hash chain.
 *
 * @param seq               position in the chain, 1 for the genesis entry
 * @param kind              {@link Kind#ADMIN} (signed by an admin) or {@link Kind#SERVER}
 * @param statement         the canonical statement's exact bytes
 * @param signature         ASCII-armored detached signature over {@code statement}; null for server entries
 * @param signerFingerprint fingerprint of the certificate the signature was verified against; null for server entries
 * @param hash              {@link #hashOf}(statement, signature), lower-case hex
 */
public record AuditEntry(long seq, Kind kind, byte[] statement, String signature, String signerFingerprint,
                         String hash) {

    public enum Kind { ADMIN, SERVER }

    /** SHA-256 over the statement bytes followed by the signature's bytes (UTF-8; nothing when unsigned). */
    public static String hashOf(byte[] statement, String signature) {
        MessageDigest sha256 = sha256();
        sha256.update(statement);
        if (signature != null) {
            sha256.update(signature.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    public String statementText() {
        return new String(statement, StandardCharsets.UTF_8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java has SHA-256", e);
        }
    }
}
