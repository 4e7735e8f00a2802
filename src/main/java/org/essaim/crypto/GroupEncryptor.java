package org.essaim.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.pgpainless.PGPainless;
import org.pgpainless.algorithm.CompressionAlgorithm;
import org.pgpainless.encryption_signing.EncryptionOptions;
import org.pgpainless.encryption_signing.EncryptionStream;
import org.pgpainless.encryption_signing.ProducerOptions;

/**
 * One ciphertext that each of several people can read with their own key: a members-only list archive keeps each
 * post this way (one file, encrypted to every member's key; the server holds no key that opens it).
 */
public final class GroupEncryptor {

    /**
     * @param plaintext    what to encrypt
     * @param certificates the readers' certificates (binary or armored); unusable ones are skipped
     * @return the armored OpenPGP message
     * @throws PgpMimeEncryptor.EncryptionFailedException when no certificate could be used
     */
    public byte[] encryptArmored(byte[] plaintext, List<byte[]> certificates) {
        EncryptionOptions recipients = EncryptionOptions.encryptCommunications();
        int usable = 0;
        for (byte[] certificate : certificates) {
            try (InputStream in = new ByteArrayInputStream(certificate)) {
                PGPPublicKeyRing ring = PGPainless.readKeyRing().publicKeyRing(in);
                if (ring != null) {
                    recipients.addRecipient(ring);
                    usable++;
                }
            } catch (IOException | RuntimeException e) {
                // an unreadable, expired or encryption-less certificate: that reader is left out
            }
        }
        if (usable == 0) {
            throw new PgpMimeEncryptor.EncryptionFailedException("No reader has a usable key");
        }
        ByteArrayOutputStream ciphertext = new ByteArrayOutputStream(plaintext.length * 4 / 3 + 1024);
        try {
            ProducerOptions options = ProducerOptions.encrypt(recipients)
                    .overrideCompressionAlgorithm(CompressionAlgorithm.UNCOMPRESSED)
                    .setAsciiArmor(true)
                    .setHideArmorHeaders(true);
            try (EncryptionStream encryption = PGPainless.encryptAndOrSign().onOutputStream(ciphertext).withOptions(options)) {
                encryption.write(plaintext);
            }
        } catch (PGPException | IOException | RuntimeException e) {
            throw new PgpMimeEncryptor.EncryptionFailedException("Cannot encrypt: " + e.getClass().getSimpleName());
        }
        return ciphertext.toByteArray();
    }
}
