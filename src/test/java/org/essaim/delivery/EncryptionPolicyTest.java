package org.essaim.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.essaim.crypto.EncryptedMessages;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * The one decision behind SMTP delivery, IMAP APPEND and the stored-plaintext sweep: already encrypted mail is
 * stored as it came, anything else is encrypted to the owner's key, and nothing is stored when that cannot be done.
 */
class EncryptionPolicyTest {
    private static final String OWNER = "owner@essaim.test";
    private static final String KEYLESS = "keyless@essaim.test";
    private static final String BROKEN = "broken@essaim.test";
    private static final String CANARY = "canary-" + UUID.randomUUID();

    private final TestKeys.KeyPair ownerKey = TestKeys.generate(OWNER);
    private final Map<String, byte[]> directory = new HashMap<>(Map.of(
            OWNER, ownerKey.publicKey(),
            BROKEN, "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n"
                    .getBytes(StandardCharsets.US_ASCII)));
    private final EncryptionPolicy policy = new EncryptionPolicy(address -> Optional.ofNullable(directory.get(address)));

    @Test
    void plaintextIsEncryptedToTheOwnersKeyAndTheResultIsNeverEncryptedAgain() {
        EncryptionPolicy.Decision decision = policy.decide(plaintext(), OWNER);

        assertThat(decision.kind()).isEqualTo(EncryptionPolicy.Kind.ENCRYPTED);
        assertThat(new String(decision.message(), StandardCharsets.ISO_8859_1)).doesNotContain(CANARY)
                .contains("multipart/encrypted");
        assertThat(EncryptedMessages.isEncrypted(decision.message())).isTrue();
        assertThat(policy.decide(decision.message(), OWNER).kind()).isEqualTo(EncryptionPolicy.Kind.ALREADY_ENCRYPTED);
        assertThat(policy.decide(decision.message(), KEYLESS).kind()).as("whoever the owner")
                .isEqualTo(EncryptionPolicy.Kind.ALREADY_ENCRYPTED);
    }

    @Test
    void plaintextDressedAsPgpMimeIsEncryptedLikeAnyPlaintext() {
        byte[] dressed = ("From: <friend@example.org>\r\nTo: <" + OWNER + ">\r\nSubject: dressed\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
                + "--b\r\nContent-Type: application/octet-stream\r\n\r\n" + CANARY + "\r\n--b--\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        EncryptionPolicy.Decision decision = policy.decide(dressed, OWNER);

        assertThat(decision.kind()).isEqualTo(EncryptionPolicy.Kind.ENCRYPTED);
        assertThat(new String(decision.message(), StandardCharsets.ISO_8859_1)).doesNotContain(CANARY);
        assertThat(new String(TestKeys.decrypt(encryptedPart(decision.message()), ownerKey.secretKey()),
                StandardCharsets.ISO_8859_1)).contains(CANARY);
    }

    @Test
    void plaintextForAnOwnerWithoutKeyHasNothingToBeEncryptedTo() {
        EncryptionPolicy.Decision decision = policy.decide(plaintext(), KEYLESS);

        assertThat(decision.kind()).isEqualTo(EncryptionPolicy.Kind.NO_KEY);
        assertThat(decision.message()).isNull();
    }

    @Test
    void anUnusableKeyRefusesWithAReasonThatQuotesNothingOfTheMessage() {
        EncryptionPolicy.Decision decision = policy.decide(plaintext(), BROKEN);

        assertThat(decision.kind()).isEqualTo(EncryptionPolicy.Kind.REFUSED);
        assertThat(decision.message()).isNull();
        assertThat(decision.reason()).isNotBlank().doesNotContain(CANARY);
    }

    @Test
    void oneExaminationServesSeveralOwners() {
        EncryptionPolicy.Examined examined = policy.examine(plaintext());

        assertThat(examined.isAlreadyEncrypted()).isFalse();
        assertThat(examined.forOwner(OWNER).kind()).isEqualTo(EncryptionPolicy.Kind.ENCRYPTED);
        assertThat(examined.forOwner(KEYLESS).kind()).isEqualTo(EncryptionPolicy.Kind.NO_KEY);
        assertThat(examined.forOwner(BROKEN).kind()).isEqualTo(EncryptionPolicy.Kind.REFUSED);
    }

    private static byte[] plaintext() {
        return ("From: <friend@example.org>\r\nTo: <" + OWNER + ">\r\nSubject: " + CANARY + "\r\n\r\n" + CANARY + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The armored OpenPGP message inside Essaim's PGP/MIME output. */
    private static byte[] encryptedPart(byte[] pgpMime) {
        String text = new String(pgpMime, StandardCharsets.ISO_8859_1);
        int begin = text.indexOf("-----BEGIN PGP MESSAGE-----");
        int end = text.indexOf("-----END PGP MESSAGE-----") + "-----END PGP MESSAGE-----".length();
        return text.substring(begin, end).getBytes(StandardCharsets.US_ASCII);
    }
}
