package org.essaim.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.pgpainless.PGPainless;

/** The encrypted subject header: the subject as the user reads it, encrypted, base64 in folded lines. */
class EncryptedSubjectTest {

    @Test
    void theSubjectIsDecodedAsTheUserReadsIt() {
        assertThat(EncryptedSubject.decoded(field("Subject: =?UTF-8?B?UsOpdW5pb24gw6AgMTUgaA==?=\r\n")))
                .isEqualTo("Réunion à 15 h");
        assertThat(EncryptedSubject.decoded(field("Subject: =?ISO-8859-1?Q?caf=E9?=\r\n"))).isEqualTo("café");
        assertThat(EncryptedSubject.decoded(field("Subject: =?UTF-8?Q?R=C3=A9union?=\r\n =?UTF-8?Q?_=C3=A0_15_h?=\r\n")))
                .as("two encoded-words over a folded line").isEqualTo("Réunion à 15 h");
        assertThat(EncryptedSubject.decoded(new RawMessage.Field("Subject",
                "Subject: 会议 ✓\r\n".getBytes(StandardCharsets.UTF_8)))).as("raw UTF-8 (RFC 6532)").isEqualTo("会议 ✓");
        assertThat(EncryptedSubject.decoded(new RawMessage.Field("Subject",
                "Subject: caf\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1)))).as("raw Latin-1").isEqualTo("café");
        assertThat(EncryptedSubject.decoded(field("Subject: =?x-unknown?Q?abc?=\r\n")))
                .as("an unknown charset stays as written").isEqualTo("=?x-unknown?Q?abc?=");
    }

    @Test
    void foldedLinesStayWithin76CharactersAndJoinBackToTheValue() {
        String base64 = "A".repeat(500);
        String folded = EncryptedSubject.folded(base64);
        String[] lines = (EncryptedSubject.HEADER + ": " + folded).split("\r\n");

        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
        assertThat(java.util.Arrays.copyOfRange(lines, 1, lines.length)).allSatisfy(line -> assertThat(line).startsWith(" "));
        assertThat(folded.replace("\r\n ", "")).isEqualTo(base64);
        assertThat(EncryptedSubject.folded("short")).isEqualTo("short");
    }

    @Test
    void theHeaderDecryptsToTheUtf8SubjectAndAnAbsentSubjectToNothing() throws Exception {
        TestKeys.KeyPair key = TestKeys.generate("rita@essaim.test");
        PGPPublicKeyRing certificate = PGPainless.readKeyRing().publicKeyRing(key.publicKey());

        String header = new String(EncryptedSubject.headerField(
                Optional.of(field("Subject: =?UTF-8?B?UsOpdW5pb24gw6AgMTUgaA==?=\r\n")), EncryptionRecipients.evaluate(certificate)), StandardCharsets.US_ASCII);
        assertThat(header).startsWith("Essaim-Encrypted-Subject: ").endsWith("\r\n").doesNotContain("union");
        assertThat(new String(TestKeys.decrypt(ciphertextOf(header), key.secretKey()), StandardCharsets.UTF_8))
                .isEqualTo("Réunion à 15 h");

        String empty = new String(EncryptedSubject.headerField(Optional.empty(), EncryptionRecipients.evaluate(certificate)), StandardCharsets.US_ASCII);
        assertThat(TestKeys.decrypt(ciphertextOf(empty), key.secretKey())).isEmpty();
    }

    private static byte[] ciphertextOf(String headerField) {
        String value = headerField.substring(headerField.indexOf(':') + 1).replace("\r\n", "").replace(" ", "");
        return Base64.getDecoder().decode(value);
    }

    private static RawMessage.Field field(String raw) {
        return new RawMessage.Field(raw.substring(0, raw.indexOf(':')), raw.getBytes(StandardCharsets.US_ASCII));
    }
}
