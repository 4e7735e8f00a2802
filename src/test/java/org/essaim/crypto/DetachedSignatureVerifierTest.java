package org.essaim.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;

import org.essaim.keys.GpgHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detached signatures made by real GnuPG, checked against one certificate. */
class DetachedSignatureVerifierTest {
    private static final byte[] STATEMENT = "{\"action\":\"account.disable\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path work;
    static GpgHome alice;
    static String aliceKey;
    static byte[] aliceCertificate;
    static byte[] aliceSignature;
    final DetachedSignatureVerifier verifier = new DetachedSignatureVerifier();

    @BeforeAll
    static void keys() {
        alice = GpgHome.create(work, "alice");
        aliceKey = withSigningKey(alice, alice.generateKey("Alice <alice@essaim.test>"));
        aliceCertificate = alice.exportArmored(aliceKey);
        aliceSignature = sign(alice, aliceKey, STATEMENT);
    }

    @AfterAll
    static void stop() {
        alice.close();
    }

    @Test
    void aGnupgDetachedSignatureVerifiesAndNamesTheCertificate() throws Exception {
        VerifiedSignature verified = verifier.verify(STATEMENT, aliceSignature, aliceCertificate, new Date());

        assertThat(verified.certificateFingerprint()).isEqualTo(aliceKey);
        assertThat(verified.signingKeyFingerprint()).matches("[0-9A-F]{40}").isNotEqualTo(aliceKey);
        assertThat(verifier.fingerprintOf(aliceCertificate)).isEqualTo(aliceKey);
        assertThat(verifier.hasUserIdOf(aliceCertificate, "ALICE@essaim.test", new Date())).isTrue();
        assertThat(verifier.hasUserIdOf(aliceCertificate, "bob@essaim.test", new Date())).isFalse();
    }

    @Test
    void textModeSignaturesAsBrowsersMakeThemVerifyButCleartextSignaturesDoNot() throws Exception {
        byte[] textMode = alice.gpgBytes(STATEMENT, "--local-user", aliceKey, "--textmode", "--detach-sign", "--armor").stdout();
        assertThat(verifier.verify(STATEMENT, textMode, aliceCertificate, new Date()).certificateFingerprint())
                .isEqualTo(aliceKey);

        byte[] clearSigned = alice.gpgBytes(STATEMENT, "--local-user", aliceKey, "--clearsign").stdout();
        assertThatThrownBy(() -> verifier.verify(STATEMENT, clearSigned, aliceCertificate, new Date()))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("not a detached signature");
    }

    @Test
    void otherBytesAnotherKeyAndGarbageAreRefused() {
        byte[] flipped = STATEMENT.clone();
        flipped[3] ^= 1;
        assertThatThrownBy(() -> verifier.verify(flipped, aliceSignature, aliceCertificate, new Date()))
                .isInstanceOf(InvalidSignatureException.class);

        try (GpgHome mallory = GpgHome.create(work, "mallory")) {
            String malloryKey = withSigningKey(mallory, mallory.generateKey("Mallory <alice@essaim.test>"));
            byte[] forged = sign(mallory, malloryKey, STATEMENT);
            assertThatThrownBy(() -> verifier.verify(STATEMENT, forged, aliceCertificate, new Date()))
                    .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("published key");
        }
        assertThatThrownBy(() -> verifier.verify(STATEMENT, "garbage".getBytes(StandardCharsets.UTF_8),
                aliceCertificate, new Date())).isInstanceOf(InvalidSignatureException.class);
        assertThatThrownBy(() -> verifier.verify(STATEMENT, aliceCertificate, aliceCertificate, new Date()))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("not a detached signature");
    }

    @Test
    void signaturesOfRevokedAndExpiredKeysAreRefused() throws Exception {
        try (GpgHome bob = GpgHome.create(work, "bob")) {
            String bobKey = withSigningKey(bob, bob.generateKey("Bob <bob@essaim.test>"));
            byte[] signature = sign(bob, bobKey, STATEMENT);
            assertThat(verifier.verify(STATEMENT, signature, bob.exportArmored(bobKey), new Date())).isNotNull();
            // GnuPG keeps a revocation certificate for every key it generates; importing it revokes the key
            String revocation = Files.readString(bob.path().resolve("openpgp-revocs.d/" + bobKey + ".rev"))
                    .replace(":-----BEGIN", "-----BEGIN");
            bob.importKeys(revocation.getBytes(StandardCharsets.UTF_8));
            byte[] revoked = bob.exportArmored(bobKey);
            assertThatThrownBy(() -> verifier.verify(STATEMENT, signature, revoked, new Date()))
                    .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("revoked");
        }
        try (GpgHome carol = GpgHome.create(work, "carol")) {
            String carolKey = carol.generateKey("Carol <carol@essaim.test>", "20200101T000000");
            carol.gpg("--faked-system-time", "20200101T000100", "--quick-add-key", carolKey, "ed25519", "sign", "1d");
            byte[] signature = carol.gpgBytes(STATEMENT, "--faked-system-time", "20200101T000200",
                    "--local-user", carolKey, "--detach-sign", "--armor").stdout();
            assertThatThrownBy(() -> verifier.verify(STATEMENT, signature, carol.exportArmored(carolKey), new Date()))
                    .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("expired");
        }
    }

    static String withSigningKey(GpgHome home, String fingerprint) {
        home.gpg("--quick-add-key", fingerprint, "ed25519", "sign", "0");
        return fingerprint;
    }

    static byte[] sign(GpgHome home, String fingerprint, byte[] data) {
        return home.gpgBytes(data, "--local-user", fingerprint, "--detach-sign", "--armor").stdout();
    }
}
