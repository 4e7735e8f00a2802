package org.essaim.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.bouncycastle.bcpg.BCPGInputStream;
import org.bouncycastle.bcpg.Packet;
import org.bouncycastle.bcpg.PublicKeyEncSessionPacket;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.pgpainless.PGPainless;
import org.pgpainless.algorithm.CompressionAlgorithm;
import org.pgpainless.algorithm.EncryptionPurpose;
import org.pgpainless.algorithm.StreamEncoding;
import org.pgpainless.encryption_signing.EncryptionOptions;
import org.pgpainless.encryption_signing.EncryptionStream;
import org.pgpainless.encryption_signing.ProducerOptions;
import org.pgpainless.key.info.KeyRingInfo;

/**
 * Encrypts a backup to a set of OpenPGP certificates (the admins' pinned keys and the operator's extra recipients),
 * as a stream: binary OpenPGP, SEIPD version 1 with MDC (what GnuPG 2.2 reads), uncompressed (the bundle is a zip
 * already). The server holds no key that decrypts it: the admins decrypt with their own (e.g. {@code gpg -d}).
 * Also reads which keys a backup was encrypted to, without decrypting it.
 */
public final class BackupEncryption {

    private BackupEncryption() {
    }

    /**
     * @param certificates armored or binary certificates; each must have a valid encryption subkey
     * @throws PgpMimeEncryptor.EncryptionFailedException when a certificate cannot be used (nothing is written then)
     */
    public static void encrypt(InputStream plaintext, OutputStream ciphertext, List<byte[]> certificates) throws IOException {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        for (byte[] certificate : certificates) {
            rings.add(read(certificate));
        }
        if (rings.isEmpty()) {
            throw new PgpMimeEncryptor.EncryptionFailedException("No key to encrypt the backup to");
        }
        try {
            EncryptionOptions recipients = new EncryptionOptions(EncryptionPurpose.ANY);
            for (PGPPublicKeyRing ring : rings) {
                recipients.addRecipient(ring);
            }
            ProducerOptions options = ProducerOptions.encrypt(recipients)
                    .overrideCompressionAlgorithm(CompressionAlgorithm.UNCOMPRESSED)
                    .setAsciiArmor(false)
                    .setEncoding(StreamEncoding.BINARY);
            try (EncryptionStream encryption = PGPainless.encryptAndOrSign().onOutputStream(ciphertext).withOptions(options)) {
                plaintext.transferTo(encryption);
            }
        } catch (PGPException | RuntimeException e) {
            throw new PgpMimeEncryptor.EncryptionFailedException("Cannot encrypt the backup: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    /** The key IDs (16 upper-case hex digits) the message's session key is encrypted to, read from its first packets. */
    public static Set<String> recipientKeyIds(InputStream ciphertext) throws IOException {
        Set<String> keyIds = new TreeSet<>();
        BCPGInputStream packets = new BCPGInputStream(ciphertext);
        while (true) {
            Packet packet = packets.readPacket();
            if (!(packet instanceof PublicKeyEncSessionPacket sessionKey)) {
                return keyIds; // the encrypted data packet follows the session keys
            }
            keyIds.add(hex(sessionKey.getKeyID()));
        }
    }

    /** The key IDs of the certificate's currently valid encryption (sub)keys. */
    public static Set<String> encryptionKeyIds(byte[] certificate) {
        KeyRingInfo info = PGPainless.inspectKeyRing(read(certificate));
        Set<String> keyIds = new TreeSet<>();
        for (PGPPublicKey key : info.getEncryptionSubkeys(EncryptionPurpose.ANY)) {
            keyIds.add(hex(key.getKeyID()));
        }
        return keyIds;
    }

    /** The certificate's primary key fingerprint, upper-case hex. */
    public static String fingerprint(byte[] certificate) {
        return PGPainless.inspectKeyRing(read(certificate)).getFingerprint().toString();
    }

    private static PGPPublicKeyRing read(byte[] certificate) {
        try (InputStream in = new ByteArrayInputStream(certificate)) {
            PGPPublicKeyRing ring = PGPainless.readKeyRing().publicKeyRing(in);
            if (ring == null) {
                throw new PgpMimeEncryptor.EncryptionFailedException("A backup recipient's certificate holds no public key");
            }
            Iterator<PGPPublicKey> keys = ring.getPublicKeys();
            if (!keys.hasNext()) {
                throw new PgpMimeEncryptor.EncryptionFailedException("A backup recipient's certificate is empty");
            }
            return ring;
        } catch (IOException e) {
            throw new PgpMimeEncryptor.EncryptionFailedException("A backup recipient's certificate cannot be read: " + e.getMessage());
        }
    }

    private static String hex(long keyId) {
        return String.format("%016X", keyId);
    }
}
