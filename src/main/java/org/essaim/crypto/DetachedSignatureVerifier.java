package org.essaim.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.util.encoders.Hex;
import org.bouncycastle.util.io.Streams;
import org.pgpainless.PGPainless;
import org.pgpainless.decryption_verification.ConsumerOptions;
import org.pgpainless.decryption_verification.DecryptionStream;
import org.pgpainless.decryption_verification.MessageMetadata;
import org.pgpainless.decryption_verification.SignatureVerification;
import org.pgpainless.key.info.KeyRingInfo;
import org.pgpainless.signature.SignatureUtils;

/**
 * Checks a detached OpenPGP signature (as made by {@code gpg --detach-sign --armor} or OpenPGP.js) over exact
 * bytes against one public key (certificate).
 *
 * <p>Accepted only when exactly one signature is given, it is a document signature (binary or text mode) over
 * exactly these bytes, it was made by a signing-capable (sub)key of this certificate that was validly bound, not revoked and
 * not expired when the signature was made, and the certificate itself is neither revoked nor expired at the
 * reference time (the time of the check for new statements; the statement's time when re-verifying the log).
 */
public final class DetachedSignatureVerifier {
    public static final int MAX_SIGNATURE_BYTES = 16 * 1024;

    public VerifiedSignature verify(byte[] data, byte[] signature, byte[] certificate, Date referenceTime)
            throws InvalidSignatureException {
        PGPPublicKeyRing cert = readCertificate(certificate);
        checkCertificateUsable(cert, referenceTime);
        List<PGPSignature> signatures = readSignatures(signature);
        if (signatures.size() != 1) {
            throw new InvalidSignatureException("Send exactly one detached signature (found " + signatures.size() + ").");
        }
        PGPSignature only = signatures.get(0);
        // Binary (gpg --detach-sign) or text mode (gpg --textmode, OpenPGP.js text messages): the same for bytes
        // without line endings, such as canonical statements; gpg --verify accepts both.
        if (only.getSignatureType() != PGPSignature.BINARY_DOCUMENT
                && only.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
            throw new InvalidSignatureException("The signature must be a detached signature over the statement's "
                    + "exact bytes (gpg --detach-sign --armor statement.json).");
        }
        MessageMetadata metadata;
        try (DecryptionStream stream = PGPainless.decryptAndOrVerify()
                .onInputStream(new ByteArrayInputStream(data))
                .withOptions(ConsumerOptions.get()
                        .addVerificationCert(cert)
                        .addVerificationOfDetachedSignature(only))) {
            Streams.drain(stream);
            stream.close();
            metadata = stream.getMetadata();
        } catch (IOException | PGPException | RuntimeException e) {
            throw new InvalidSignatureException("The signature could not be checked: " + e.getMessage());
        }
        List<SignatureVerification> verified = metadata.getVerifiedDetachedSignatures();
        if (verified.size() != 1 || !metadata.isVerifiedDetachedSignedBy(cert)) {
            if (!metadata.getRejectedDetachedSignatures().isEmpty()) {
                SignatureVerification.Failure failure = metadata.getRejectedDetachedSignatures().get(0);
                boolean otherKey = failure.getSigningKey() == null
                        || cert.getPublicKey(failure.getSignature().getKeyID()) == null;
                throw new InvalidSignatureException(otherKey
                        ? "The signature was not made with the signer's published key."
                        : "The signature does not match these bytes or the signing key is not valid: "
                                + failure.getValidationException().getMessage());
            }
            throw new InvalidSignatureException("The signature was not made with the signer's published key.");
        }
        SignatureVerification good = verified.get(0);
        return new VerifiedSignature(
                hex(cert.getPublicKey().getFingerprint()),
                hex(cert.getPublicKey(good.getSigningKey().getSubkeyId()).getFingerprint()),
                good.getSignature().getCreationTime().toInstant());
    }

    /** Upper-case hex fingerprint of a certificate (armored or binary). */
    public String fingerprintOf(byte[] certificate) throws InvalidSignatureException {
        return hex(readCertificate(certificate).getPublicKey().getFingerprint());
    }

    /** Whether the certificate has a user ID (self-signed, at the reference time) whose e-mail part is the address. */
    public boolean hasUserIdOf(byte[] certificate, String address, Date referenceTime) throws InvalidSignatureException {
        KeyRingInfo info = PGPainless.inspectKeyRing(readCertificate(certificate), referenceTime);
        String wanted = address.trim().toLowerCase(Locale.ROOT);
        return info.getValidAndExpiredUserIds().stream()
                .map(PublicKeyValidator::emailOf)
                .anyMatch(email -> email.toLowerCase(Locale.ROOT).equals(wanted));
    }

    private static void checkCertificateUsable(PGPPublicKeyRing cert, Date referenceTime)
            throws InvalidSignatureException {
        KeyRingInfo info = PGPainless.inspectKeyRing(cert, referenceTime);
        if (!info.getRevocationState().isNotRevoked()) {
            throw new InvalidSignatureException("The signer's key is revoked.");
        }
        Date expiry = PublicKeyValidator.primaryKeyExpiry(info);
        if (expiry != null && !expiry.after(referenceTime)) {
            throw new InvalidSignatureException("The signer's key expired on " + expiry.toInstant() + ".");
        }
    }

    private static PGPPublicKeyRing readCertificate(byte[] certificate) throws InvalidSignatureException {
        try {
            PGPPublicKeyRing ring = PGPainless.readKeyRing().publicKeyRing(certificate);
            if (ring != null) {
                return ring;
            }
        } catch (IOException | RuntimeException e) {
            // reported below
        }
        throw new InvalidSignatureException("The signer's public key could not be read.");
    }

    private static List<PGPSignature> readSignatures(byte[] signature) throws InvalidSignatureException {
        if (signature == null || signature.length == 0) {
            throw new InvalidSignatureException("No signature was sent.");
        }
        if (signature.length > MAX_SIGNATURE_BYTES) {
            throw new InvalidSignatureException("The signature is larger than 16 KiB.");
        }
        String text = new String(signature, StandardCharsets.UTF_8);
        if (text.contains("-----BEGIN PGP SIGNED MESSAGE-----")
                || text.contains("-----BEGIN PGP") && !text.contains("-----BEGIN PGP SIGNATURE-----")) {
            throw new InvalidSignatureException("This is not a detached signature (expected "
                    + "\"-----BEGIN PGP SIGNATURE-----\", as made by gpg --detach-sign --armor).");
        }
        try (InputStream in = new ByteArrayInputStream(signature)) {
            return SignatureUtils.readSignatures(in);
        } catch (IOException | PGPException | RuntimeException e) {
            throw new InvalidSignatureException("The signature is damaged or not an OpenPGP signature.");
        }
    }

    private static String hex(byte[] fingerprint) {
        return Hex.toHexString(fingerprint).toUpperCase(Locale.ROOT);
    }
}
