package org.essaim.delivery.outbound;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A random AES-256 key that exists only in this process's memory, made at start: what the queue seals readable mail
 * with, so that a disk taken from a powered-off server shows none of it. Its id (random, not derived from the key)
 * tells sealed mail of this run from mail sealed before a restart, which can no longer be opened.
 */
public final class MemoryOnlyKey {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final String id;
    private final SecureRandom random = new SecureRandom();

    public MemoryOnlyKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            key = generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("No AES on this JVM", e);
        }
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        id = HexFormat.of().formatHex(idBytes);
    }

    public String id() {
        return id;
    }

    /** IV followed by AES-GCM ciphertext and tag; the id is bound as associated data. */
    byte[] seal(byte[] plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal", e);
        }
    }

    /** The plaintext, or empty when it was sealed under another key (before a restart) or altered. */
    Optional<byte[]> open(String sealedUnder, byte[] sealed) {
        if (!id.equals(sealedUnder) || sealed.length < IV_BYTES) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return Optional.of(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
