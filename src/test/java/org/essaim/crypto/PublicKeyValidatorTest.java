package org.essaim.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.Random;

import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.essaim.crypto.InvalidPublicKeyException.Reason;
import org.junit.jupiter.api.Test;
import org.pgpainless.PGPainless;
import org.pgpainless.algorithm.KeyFlag;
import org.pgpainless.key.generation.KeySpec;
import org.pgpainless.key.generation.type.KeyType;
import org.pgpainless.key.generation.type.eddsa_legacy.EdDSALegacyCurve;
import org.pgpainless.key.generation.type.xdh_legacy.XDHLegacySpec;
import org.pgpainless.key.protection.SecretKeyRingProtector;

/** What the key directory accepts, and the reason it gives for everything it refuses. */
class PublicKeyValidatorTest {
    private static final String ADDRESS = "admin@essaim.test";

    private final PublicKeyValidator validator = new PublicKeyValidator();

    @Test
    void acceptsAnArmoredCertificateWithTheAccountsAddressAndReEncodesIt() throws Exception {
        PGPSecretKeyRing secret = PGPainless.generateKeyRing().modernKeyRing("Admin <admin@essaim.test>");
        PGPPublicKeyRing certificate = PGPainless.extractCertificate(secret);

        ValidatedCertificate accepted = validator.validate(armored(certificate), ADDRESS);

        assertThat(accepted.fingerprint()).matches("[0-9A-F]{40}")
                .isEqualTo(PGPainless.inspectKeyRing(certificate).getFingerprint().toString());
        assertThat(accepted.armored()).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----")
                .doesNotContain("PRIVATE");
        assertThat(accepted.userIds()).containsExactly("Admin <admin@essaim.test>");
        assertThat(PGPainless.readKeyRing().publicKeyRing(accepted.binary()).getEncoded())
                .isEqualTo(certificate.getEncoded());
    }

    @Test
    void publishesOnlyTheUserIdsOfTheAccountsAddress() throws Exception {
        PGPSecretKeyRing secret = PGPainless.generateKeyRing().modernKeyRing("Ada <ada@private.example>");
        secret = PGPainless.modifyKeyRing(secret)
                .addUserId("Ada at work <Admin@essaim.test>", SecretKeyRingProtector.unprotectedKeys())
                .done();
        PGPPublicKeyRing certificate = PGPainless.extractCertificate(secret);

        ValidatedCertificate accepted = validator.validate(armored(certificate), ADDRESS);

        assertThat(accepted.userIds()).containsExactly("Ada at work <Admin@essaim.test>");
        PGPPublicKeyRing published = PGPainless.readKeyRing().publicKeyRing(accepted.binary());
        assertThat(published.getPublicKey().getUserIDs()).toIterable()
                .containsExactly("Ada at work <Admin@essaim.test>");
        assertThat(published.getPublicKey().getFingerprint()).isEqualTo(certificate.getPublicKey().getFingerprint());
        assertThat(accepted.armored()).doesNotContain("private.example");
    }

    @Test
    void acceptsTheBinaryFormToo() throws Exception {
        PGPPublicKeyRing certificate = certificateFor("Admin <admin@essaim.test>");
        assertThat(validator.validate(certificate.getEncoded(), ADDRESS).fingerprint()).hasSize(40);
    }

    @Test
    void acceptsArmorWithWindowsLineEndingsAByteOrderMarkAndSurroundingText() throws Exception {
        String armor = PGPainless.asciiArmor(certificateFor("Admin <admin@essaim.test>"));
        String pasted = "\uFEFFHere is my key:\r\n" + armor.replace("\n", "\r\n") + "\r\nRegards, Admin\r\n";
        assertThat(validator.validate(pasted.getBytes(StandardCharsets.UTF_8), ADDRESS)).isNotNull();
    }

    @Test
    void comparesAddressesCaseInsensitivelyInBothUserIdForms() throws Exception {
        assertThat(validator.validate(armored(certificateFor("Admin <Admin@Essaim.TEST>")), ADDRESS)).isNotNull();
        assertThat(validator.validate(armored(certificateFor("admin@essaim.test")), "ADMIN@essaim.test")).isNotNull();
    }

    @Test
    void refusesSecretKeysInEveryDisguise() throws Exception {
        PGPSecretKeyRing secret = PGPainless.generateKeyRing().modernKeyRing("Admin <admin@essaim.test>");
        byte[] armoredSecret = PGPainless.asciiArmor(secret).getBytes(StandardCharsets.UTF_8);
        byte[] publicThenSecret = concat(armored(PGPainless.extractCertificate(secret)), armoredSecret);
        byte[] secretPacketsUnderAPublicArmorHeader = new String(armoredSecret, StandardCharsets.UTF_8)
                .replace("PRIVATE KEY BLOCK", "PUBLIC KEY BLOCK").getBytes(StandardCharsets.UTF_8);

        assertRefused(armoredSecret, Reason.SECRET_KEY_MATERIAL, "PRIVATE key");
        assertRefused(secret.getEncoded(), Reason.SECRET_KEY_MATERIAL, "PRIVATE key");
        assertRefused(publicThenSecret, Reason.SECRET_KEY_MATERIAL, "PRIVATE key");
        assertRefused(secretPacketsUnderAPublicArmorHeader, Reason.SECRET_KEY_MATERIAL, "PRIVATE key");
    }

    @Test
    void refusesAnotherPersonsKey() throws Exception {
        assertRefused(armored(certificateFor("Mallory <mallory@example.org>")), Reason.NO_MATCHING_USER_ID,
                "admin@essaim.test");
        // an address that only contains the account's address is not the account's address
        assertRefused(armored(certificateFor("<xadmin@essaim.test>")), Reason.NO_MATCHING_USER_ID,
                "admin@essaim.test");
    }

    @Test
    void refusesSeveralCertificatesInOneUpload() throws Exception {
        byte[] two = concat(armored(certificateFor("Admin <admin@essaim.test>")),
                armored(certificateFor("Admin <admin@essaim.test>")));
        assertRefused(two, Reason.SEVERAL_CERTIFICATES, "2 keys");
        byte[] twoBinary = concat(certificateFor("Admin <admin@essaim.test>").getEncoded(),
                certificateFor("Admin <admin@essaim.test>").getEncoded());
        assertRefused(twoBinary, Reason.SEVERAL_CERTIFICATES, "2 keys");
    }

    @Test
    void refusesAnExpiredKey() throws Exception {
        Instant expiry = Instant.now().plus(Duration.ofDays(1));
        PGPSecretKeyRing expiring = PGPainless.buildKeyRing()
                .setPrimaryKey(KeySpec.getBuilder(KeyType.EDDSA_LEGACY(EdDSALegacyCurve._Ed25519),
                        KeyFlag.CERTIFY_OTHER, KeyFlag.SIGN_DATA))
                .addSubkey(KeySpec.getBuilder(KeyType.XDH_LEGACY(XDHLegacySpec._X25519),
                        KeyFlag.ENCRYPT_COMMS, KeyFlag.ENCRYPT_STORAGE))
                .addUserId("Admin <admin@essaim.test>")
                .setExpirationDate(Date.from(expiry))
                .build();
        byte[] upload = armored(PGPainless.extractCertificate(expiring));
        PublicKeyValidator twoDaysLater = new PublicKeyValidator(
                Clock.fixed(expiry.plus(Duration.ofDays(1)), ZoneOffset.UTC));

        assertThat(validator.validate(upload, ADDRESS)).isNotNull();
        assertThatThrownBy(() -> twoDaysLater.validate(upload, ADDRESS))
                .isInstanceOfSatisfying(InvalidPublicKeyException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED))
                .hasMessageContaining("expired");
    }

    @Test
    void refusesARevokedKey() throws Exception {
        PGPSecretKeyRing secret = PGPainless.generateKeyRing().modernKeyRing("Admin <admin@essaim.test>");
        PGPSecretKeyRing revoked = PGPainless.modifyKeyRing(secret)
                .revoke(SecretKeyRingProtector.unprotectedKeys())
                .done();
        assertRefused(armored(PGPainless.extractCertificate(revoked)), Reason.REVOKED, "revoked");
    }

    @Test
    void refusesAKeyThatCannotEncrypt() throws Exception {
        PGPSecretKeyRing signOnly = PGPainless.buildKeyRing()
                .setPrimaryKey(KeySpec.getBuilder(KeyType.EDDSA_LEGACY(EdDSALegacyCurve._Ed25519),
                        KeyFlag.CERTIFY_OTHER, KeyFlag.SIGN_DATA))
                .addUserId("Admin <admin@essaim.test>")
                .build();
        assertRefused(armored(PGPainless.extractCertificate(signOnly)), Reason.NO_ENCRYPTION_SUBKEY,
                "encryption");
    }

    @Test
    void refusesEmptyOversizedAndGarbageUploads() throws Exception {
        byte[] random = new byte[4096];
        new SecureRandom().nextBytes(random);
        random[0] = (byte) 0x99; // looks like the start of a binary public key packet
        byte[] damaged = armored(certificateFor("Admin <admin@essaim.test>"));
        damaged[200] = (byte) (damaged[200] == 'A' ? 'B' : 'A');

        assertRefused(new byte[0], Reason.EMPTY, "No key");
        assertRefused(" \n\t".getBytes(StandardCharsets.UTF_8), Reason.EMPTY, "No key");
        assertRefused(new byte[PublicKeyValidator.MAX_BYTES + 1], Reason.TOO_LARGE, "64 KiB");
        assertRefused(random, Reason.NOT_OPENPGP, "gpg --armor --export");
        byte[] literalDataPacket = {(byte) 0xCB, 0x06, 'b', 0x00, 0, 0, 0, 0};
        assertRefused(concat(certificateFor("Admin <admin@essaim.test>").getEncoded(), literalDataPacket),
                Reason.NOT_OPENPGP, "not part of a public key");
        assertRefused("hello, this is my key".getBytes(StandardCharsets.UTF_8), Reason.NOT_OPENPGP,
                "BEGIN PGP PUBLIC KEY BLOCK");
        assertRefused(damaged, Reason.NOT_OPENPGP, "export it again");
        assertRefused("-----BEGIN PGP MESSAGE-----\n\nwy4ECQMI\n-----END PGP MESSAGE-----\n"
                .getBytes(StandardCharsets.UTF_8), Reason.NOT_OPENPGP, "PGP message");
    }

    @Test
    void corruptedCertificatesAreRefusedNeverCrashTheValidator() throws Exception {
        byte[] good = certificateFor("Admin <admin@essaim.test>").getEncoded();
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            byte[] mutated = Arrays.copyOf(good, good.length);
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            if (random.nextBoolean()) {
                mutated = Arrays.copyOf(mutated, 1 + random.nextInt(mutated.length));
            }
            try {
                validator.validate(mutated, ADDRESS);
            } catch (InvalidPublicKeyException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    private void assertRefused(byte[] upload, Reason reason, String messagePart) {
        assertThatThrownBy(() -> validator.validate(upload, ADDRESS))
                .isInstanceOfSatisfying(InvalidPublicKeyException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }

    private static PGPPublicKeyRing certificateFor(String userId) throws Exception {
        return PGPainless.extractCertificate(PGPainless.generateKeyRing().modernKeyRing(userId));
    }

    private static byte[] armored(PGPPublicKeyRing certificate) throws Exception {
        return PGPainless.asciiArmor(certificate).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
