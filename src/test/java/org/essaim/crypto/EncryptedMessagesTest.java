package org.essaim.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.essaim.support.GnuPG;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgpainless.PGPainless;

/**
 * What counts as "already end-to-end encrypted" (stored as it came) and what does not (encrypted by the server),
 * over a corpus of message shapes: real PGP/MIME, inline PGP and S/MIME made by GnuPG, PGPainless and Bouncy
 * Castle pass; every shape that only dresses plaintext as encrypted is refused (issue 11, item 4).
 */
class EncryptedMessagesTest {
    private static final String LETTER = "Dear Bob, the meeting is at noon. " + UUID.randomUUID();
    private static final String ADDRESS = "bob@essaim.test";

    @TempDir
    static Path gnupgHome;
    static GnuPG gpg;
    static PGPPublicKeyRing certificate;

    @BeforeAll
    static void keys() throws Exception {
        gpg = new GnuPG(gnupgHome);
        gpg.generateKey(ADDRESS);
        certificate = PGPainless.readKeyRing().publicKeyRing(TestKeys.generate(ADDRESS).publicKey());
    }

    @AfterAll
    static void stopGpg() {
        gpg.close();
    }

    // --- what passes untouched ----------------------------------------------------------------------------------

    @Test
    void pgpMimeMadeByGnuPGAndByEssaimItselfIsEncrypted() {
        assertThat(EncryptedMessages.isEncrypted(pgpMime(gpg.encryptArmored(bytes(LETTER), ADDRESS)))).isTrue();
        byte[] essaimMade = new PgpMimeEncryptor().encrypt(bytes(plainMessage()), TestKeys.generate(ADDRESS).publicKey());
        assertThat(EncryptedMessages.isEncrypted(essaimMade)).as("what the server stores is never encrypted twice").isTrue();
    }

    @Test
    void pgpMimeWhoseEncryptedPartIsBase64OrBinaryIsEncrypted() {
        byte[] armored = gpg.encryptArmored(bytes(LETTER), ADDRESS);
        assertThat(EncryptedMessages.isEncrypted(pgpMime("Content-Transfer-Encoding: base64\r\n",
                Base64.getMimeEncoder().encodeToString(armored)))).isTrue();
        byte[] binary = gpg.encryptBinary(bytes(LETTER), ADDRESS);
        assertThat(EncryptedMessages.isEncrypted(pgpMime("Content-Transfer-Encoding: base64\r\n",
                Base64.getMimeEncoder().encodeToString(binary)))).isTrue();
    }

    @Test
    void inlinePgpInPlainQuotedPrintableOrBase64IsEncrypted() {
        String armored = text(gpg.encryptArmored(bytes(LETTER), ADDRESS));
        assertThat(EncryptedMessages.isEncrypted(bytes(headers("text/plain") + "\r\n" + crlf(armored)))).isTrue();
        assertThat(EncryptedMessages.isEncrypted(bytes(headers("text/plain; charset=utf-8")
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(bytes(armored))))).isTrue();
        String pgpainless = text(PgpMimeEncryptor.encrypt(bytes(LETTER), EncryptionRecipients.evaluate(certificate), true));
        assertThat(EncryptedMessages.isEncrypted(bytes("Subject: no MIME headers\r\n\r\n" + crlf(pgpainless)))).isTrue();
    }

    @Test
    void smimeEnvelopedDataIsEncryptedWhateverItsLabelSays() throws Exception {
        byte[] enveloped = envelopedData(bytes(plainMessage()));
        assertThat(EncryptedMessages.isEncrypted(smime("application/pkcs7-mime; smime-type=enveloped-data", enveloped))).isTrue();
        assertThat(EncryptedMessages.isEncrypted(smime("application/x-pkcs7-mime", enveloped))).isTrue();
    }

    // --- what is dressed as encrypted but holds plaintext -------------------------------------------------------

    @Test
    void aMultipartEncryptedWrapperAroundPlaintextIsNotEncrypted() {
        assertThat(EncryptedMessages.isEncrypted(pgpMime("", LETTER))).isFalse();
        assertThat(EncryptedMessages.isEncrypted(bytes(headers("multipart/encrypted; boundary=\"b\"") + "\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\n" + LETTER + "\r\n--b--\r\n")))
                .as("no protocol, any parts").isFalse();
    }

    @Test
    void armorLinesAroundPlaintextAreNotEncrypted() {
        String fake = "-----BEGIN PGP MESSAGE-----\r\n\r\n" + LETTER + "\r\n-----END PGP MESSAGE-----\r\n";
        assertThat(EncryptedMessages.isEncrypted(bytes(headers("text/plain") + "\r\n" + fake))).isFalse();
        assertThat(EncryptedMessages.isEncrypted(pgpMime("", fake))).isFalse();
        String base64OfText = "-----BEGIN PGP MESSAGE-----\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(bytes(LETTER)) + "\r\n-----END PGP MESSAGE-----\r\n";
        assertThat(EncryptedMessages.isEncrypted(bytes(headers("text/plain") + "\r\n" + base64OfText)))
                .as("base64 that decodes to no OpenPGP packets").isFalse();
    }

    @Test
    void plaintextInsideWellFormedOpenPgpPacketsIsNotEncrypted() {
        byte[] pkesk = packet(1, concat(new byte[] {3, 1, 2, 3, 4, 5, 6, 7, 8, 18}, new byte[40]));
        byte[] seipdOfText = packet(18, concat(new byte[] {1}, bytes(LETTER + " " + LETTER + " " + LETTER)));
        assertThat(EncryptedMessages.isEncrypted(inline(concat(pkesk, seipdOfText)))).isFalse();
        byte[] random = new byte[300];
        new java.security.SecureRandom().nextBytes(random);
        byte[] seipdOfRandom = packet(18, concat(new byte[] {1}, random));
        assertThat(EncryptedMessages.isEncrypted(inline(concat(pkesk, seipdOfRandom))))
                .as("the same packets holding ciphertext-like bytes (positive control)").isTrue();
        assertThat(EncryptedMessages.isEncrypted(inline(seipdOfRandom))).as("no session key packet").isFalse();
        assertThat(EncryptedMessages.isEncrypted(inline(concat(pkesk, seipdOfRandom, packet(11, bytes(LETTER))))))
                .as("a literal data packet after the encrypted data").isFalse();
        assertThat(EncryptedMessages.isEncrypted(inline(concat(pkesk, packet(9, concat(random))))))
                .as("legacy encryption without integrity protection").isFalse();
    }

    @Test
    void plaintextBesideRealCiphertextIsNotEncrypted() {
        String armored = text(gpg.encryptArmored(bytes(LETTER), ADDRESS));
        assertThat(EncryptedMessages.isEncrypted(bytes(headers("text/plain") + "\r\n" + LETTER + "\r\n" + crlf(armored))))
                .as("a letter before the armor").isFalse();
        assertThat(EncryptedMessages.isEncrypted(bytes(headers("text/plain") + "\r\n"
                + crlf(armored).replace("-----BEGIN PGP MESSAGE-----\r\n", "-----BEGIN PGP MESSAGE-----\r\nComment: "
                        + LETTER.repeat(20) + "\r\n"))))
                .as("a letter in an armor header").isFalse();
        byte[] withPreamble = pgpMime(gpg.encryptArmored(bytes("x"), ADDRESS));
        String preamble = (LETTER + "\r\n").repeat(20);
        assertThat(EncryptedMessages.isEncrypted(text(withPreamble).replace("This is an OpenPGP/MIME encrypted message",
                preamble).getBytes(StandardCharsets.ISO_8859_1))).as("a letter in the preamble").isFalse();
        assertThat(EncryptedMessages.isEncrypted(bytes(text(withPreamble) + preamble))).as("a letter in the epilogue").isFalse();
        assertThat(EncryptedMessages.isEncrypted(bytes(text(withPreamble).replace("Version: 1\r\n",
                "Version: 1\r\n\r\n--" + "pgp-boundary\r\nContent-Type: text/plain\r\n\r\n" + LETTER + "\r\n"))))
                .as("a third part").isFalse();
    }

    @Test
    void anSmimeLabelAroundPlaintextIsNotEncrypted() throws Exception {
        String label = "application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m";
        assertThat(EncryptedMessages.isEncrypted(smime(label, bytes(LETTER)))).as("base64 of the letter").isFalse();
        assertThat(EncryptedMessages.isEncrypted(bytes(headers(label) + "\r\n" + LETTER))).as("the letter as is").isFalse();

        EnvelopedData real = EnvelopedData.getInstance(ContentInfo.getInstance(
                org.bouncycastle.asn1.ASN1Primitive.fromByteArray(envelopedData(bytes("x")))).getContent());
        EncryptedContentInfo plaintextInside = new EncryptedContentInfo(CMSObjectIdentifiers.data,
                real.getEncryptedContentInfo().getContentEncryptionAlgorithm(),
                new DEROctetString(bytes(LETTER + LETTER + LETTER)));
        byte[] forged = new ContentInfo(CMSObjectIdentifiers.envelopedData,
                new EnvelopedData(null, real.getRecipientInfos(), plaintextInside, (org.bouncycastle.asn1.ASN1Set) null))
                .getEncoded();
        assertThat(EncryptedMessages.isEncrypted(smime(label, forged))).as("EnvelopedData holding plaintext").isFalse();
        byte[] trailing = concat(envelopedData(bytes("x")), bytes(LETTER));
        assertThat(EncryptedMessages.isEncrypted(smime(label, trailing))).as("the letter after the structure").isFalse();
    }

    @Test
    void plainMailIsNotEncrypted() {
        assertThat(EncryptedMessages.isEncrypted(bytes(plainMessage()))).isFalse();
        assertThat(EncryptedMessages.isEncrypted(new byte[0])).isFalse();
        assertThat(EncryptedMessages.isEncrypted(bytes("no header at all"))).isFalse();
    }

    // --- message shapes ------------------------------------------------------------------------------------------

    private static String plainMessage() {
        return headers("text/plain; charset=utf-8") + "\r\n" + LETTER + "\r\n";
    }

    private static String headers(String contentType) {
        return "From: <alice@example.org>\r\nTo: <" + ADDRESS + ">\r\nSubject: hello\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: " + contentType + "\r\n";
    }

    private static byte[] pgpMime(byte[] armored) {
        return pgpMime("", crlf(text(armored)));
    }

    /** RFC 3156 layout; the second part's body (and its extra headers) as given. */
    private static byte[] pgpMime(String partHeaders, String body) {
        return bytes(headers("multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"pgp-boundary\"")
                + "\r\nThis is an OpenPGP/MIME encrypted message\r\n"
                + "--pgp-boundary\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
                + "--pgp-boundary\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\n" + partHeaders
                + "\r\n" + body + "\r\n--pgp-boundary--\r\n");
    }

    private static byte[] smime(String contentType, byte[] der) {
        return bytes(headers(contentType) + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(der) + "\r\n");
    }

    private static byte[] inline(byte[] packets) {
        String armored = "-----BEGIN PGP MESSAGE-----\r\n\r\n" + Base64.getMimeEncoder().encodeToString(packets)
                + "\r\n-----END PGP MESSAGE-----\r\n";
        return bytes(headers("text/plain") + "\r\n" + armored);
    }

    /** A new-format OpenPGP packet with a five-octet length. */
    private static byte[] packet(int tag, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xc0 | tag);
        out.write(255);
        out.write(body.length >>> 24);
        out.write(body.length >>> 16);
        out.write(body.length >>> 8);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] envelopedData(byte[] content) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=" + ADDRESS);
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, Date.from(Instant.now().minus(1, ChronoUnit.DAYS)),
                Date.from(Instant.now().plus(1, ChronoUnit.DAYS)), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        CMSEnvelopedDataGenerator envelope = new CMSEnvelopedDataGenerator();
        envelope.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(certificate));
        return envelope.generate(new CMSProcessableByteArray(content),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES128_CBC).build()).getEncoded();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
