package org.essaim.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.pgpainless.PGPainless;
import org.pgpainless.decryption_verification.ConsumerOptions;
import org.pgpainless.decryption_verification.DecryptionStream;
import org.pgpainless.key.protection.SecretKeyRingProtector;

/** OpenPGP keys for tests, made in memory with PGPainless (faster than GnuPG when no gpg check is needed). */
public final class TestKeys {
    private TestKeys() {
    }

    public record KeyPair(byte[] publicKey, String secretKey) { }

    public static KeyPair generate(String address) {
        try {
            PGPSecretKeyRing secret = PGPainless.generateKeyRing().modernKeyRing("<" + address + ">");
            String publicKey = PGPainless.asciiArmor(PGPainless.extractCertificate(secret));
            return new KeyPair(publicKey.getBytes(StandardCharsets.US_ASCII), PGPainless.asciiArmor(secret));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot make a test key", e);
        }
    }

    public static byte[] decrypt(byte[] ciphertext, String armoredSecretKey) {
        try {
            PGPSecretKeyRing secret = PGPainless.readKeyRing().secretKeyRing(armoredSecretKey);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (DecryptionStream decryption = PGPainless.decryptAndOrVerify()
                    .onInputStream(new ByteArrayInputStream(ciphertext))
                    .withOptions(new ConsumerOptions().addDecryptionKey(secret, SecretKeyRingProtector.unprotectedKeys()))) {
                decryption.transferTo(out);
            }
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot decrypt", e);
        }
    }
}
