package org.essaim.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.BCPGInputStream;
import org.bouncycastle.bcpg.PacketTags;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPUserAttributeSubpacketVector;
import org.bouncycastle.util.encoders.Hex;
import org.pgpainless.PGPainless;
import org.pgpainless.algorithm.EncryptionPurpose;
import org.pgpainless.key.info.KeyRingInfo;
import org.essaim.crypto.InvalidPublicKeyException.Reason;

/**
 * Decides whether an uploaded OpenPGP public key may be published for an account, before anything is stored.
 *
 * <p>Accepted: one v4 certificate (ASCII-armored or binary, at most {@value #MAX_BYTES} bytes) that is neither
 * revoked nor expired, has a validly self-signed user ID whose e-mail address is the account's address, and
 * has a key usable for encryption. Refused with a specific {@link Reason}: anything holding secret key
 * packets (even inside an otherwise public upload), several certificates, garbage.
 *
 * <p>What is published is the certificate reduced to the user IDs of the account's address.
 *
 * <p>The packets are inspected one by one before any key parsing, so that secret material is recognised by
 * its packet tag and never handed to code that might try to use it.
 */
public final class PublicKeyValidator {
    public static final int MAX_BYTES = 64 * 1024;

    private static final Pattern ARMOR_BLOCK = Pattern.compile(
            "-----BEGIN PGP ([A-Z0-9 ,/]+)-----\\R(.*?)-----END PGP \\1-----", Pattern.DOTALL);
    /** The packet types a certificate is made of (RFC 4880 section 11.1; 21 is RFC 9580's padding). */
    private static final Set<Integer> CERTIFICATE_PACKETS = Set.of(PacketTags.PUBLIC_KEY, PacketTags.PUBLIC_SUBKEY,
            PacketTags.USER_ID, PacketTags.USER_ATTRIBUTE, PacketTags.SIGNATURE, PacketTags.TRUST, PacketTags.MARKER,
            21);
    private static final String EXPORT_HINT = "Export it with: gpg --armor --export your@address";

    private final Clock clock;

    public PublicKeyValidator() {
        this(Clock.systemUTC());
    }

    /** A validator that judges expiry and revocation at the clock's time (tests use a fixed clock). */
    public PublicKeyValidator(Clock clock) {
        this.clock = clock;
    }

    public ValidatedCertificate validate(byte[] uploaded, String address) throws InvalidPublicKeyException {
        if (uploaded == null || isBlank(uploaded)) {
            throw new InvalidPublicKeyException(Reason.EMPTY, "No key was sent. " + EXPORT_HINT);
        }
        if (uploaded.length > MAX_BYTES) {
            throw new InvalidPublicKeyException(Reason.TOO_LARGE,
                    "The key is larger than 64 KiB. Export it without third-party signatures: "
                            + "gpg --armor --export-options export-minimal --export your@address");
        }
        byte[] binary = dearmor(uploaded);
        int certificates = countCertificates(binary);
        if (certificates == 0) {
            throw new InvalidPublicKeyException(Reason.NOT_OPENPGP,
                    "No OpenPGP public key was found in the upload. " + EXPORT_HINT);
        }
        if (certificates > 1) {
            throw new InvalidPublicKeyException(Reason.SEVERAL_CERTIFICATES,
                    "The upload holds " + certificates + " keys; send only your own key.");
        }
        PGPPublicKeyRing certificate = parse(binary);
        return judge(certificate, address);
    }

    private ValidatedCertificate judge(PGPPublicKeyRing certificate, String address)
            throws InvalidPublicKeyException {
        if (certificate.getPublicKey().getVersion() != 4) {
            throw new InvalidPublicKeyException(Reason.UNSUPPORTED_VERSION,
                    "This is a version " + certificate.getPublicKey().getVersion()
                            + " OpenPGP key; only version 4 keys are accepted, because GnuPG 2.2 and many mail "
                            + "programs cannot use the others.");
        }
        Instant now = clock.instant();
        try {
            checkUsable(certificate, address, now);
            // Publish only what the address needs: other user IDs (private addresses, old names) and photo
            // IDs stay out of WKD and HKP, as GnuPG's own Web Key Service does. The result is checked again.
            PGPPublicKeyRing published = onlyUserIdsOf(certificate, address);
            List<String> userIds = checkUsable(published, address, now);
            return new ValidatedCertificate(
                    Hex.toHexString(published.getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT),
                    PGPainless.asciiArmor(published),
                    published.getEncoded(),
                    userIds);
        } catch (IOException | RuntimeException e) {
            // PGPainless throws when it finds no usable self-signature at all (e.g. a corrupted upload)
            throw new InvalidPublicKeyException(Reason.BROKEN_SELF_SIGNATURES,
                    "The key's self-signatures are missing or invalid; export it again. " + EXPORT_HINT);
        }
    }

    /** Returns the valid user IDs when the certificate may be published for the address. */
    private static List<String> checkUsable(PGPPublicKeyRing certificate, String address, Instant now)
            throws InvalidPublicKeyException {
        KeyRingInfo info = PGPainless.inspectKeyRing(certificate, Date.from(now));
        if (!info.getRevocationState().isNotRevoked()) {
            throw new InvalidPublicKeyException(Reason.REVOKED,
                    "This key has been revoked by its owner; upload your new key instead.");
        }
        Date expiry = primaryKeyExpiry(info);
        if (expiry != null && !expiry.toInstant().isAfter(now)) {
            throw new InvalidPublicKeyException(Reason.EXPIRED,
                    "This key expired on " + expiry.toInstant() + ". Extend it (gpg --quick-set-expire FINGERPRINT 2y)"
                            + " and upload it again.");
        }
        if (!info.isKeyValidlyBound(certificate.getPublicKey().getKeyID())) {
            throw new InvalidPublicKeyException(Reason.BROKEN_SELF_SIGNATURES,
                    "The key's self-signatures are missing or invalid, so nobody could trust what it says.");
        }
        List<String> userIds = info.getValidUserIds();
        if (userIds.stream().noneMatch(userId -> belongsTo(userId, address))) {
            throw new InvalidPublicKeyException(Reason.NO_MATCHING_USER_ID,
                    "None of this key's user IDs is " + address + ", the address of your account. "
                            + "Add one (gpg --quick-add-uid FINGERPRINT 'Your Name <" + address + ">') "
                            + "or upload your own key.");
        }
        if (info.getEncryptionSubkeys(EncryptionPurpose.ANY).isEmpty()) {
            throw new InvalidPublicKeyException(Reason.NO_ENCRYPTION_SUBKEY,
                    "This key has no valid key for encryption, so mail to you could not be encrypted. "
                            + "Add one (gpg --quick-add-key FINGERPRINT cv25519 encr) and upload it again.");
        }
        return userIds;
    }

    /** The certificate without the user IDs of other addresses and without user attributes (photo IDs). */
    private static PGPPublicKeyRing onlyUserIdsOf(PGPPublicKeyRing certificate, String address) {
        PGPPublicKey primary = certificate.getPublicKey();
        PGPPublicKey kept = primary;
        for (Iterator<byte[]> rawIds = primary.getRawUserIDs(); rawIds.hasNext(); ) {
            byte[] rawId = rawIds.next();
            if (!belongsTo(new String(rawId, StandardCharsets.UTF_8), address)) {
                kept = PGPPublicKey.removeCertification(kept, rawId);
            }
        }
        for (Iterator<PGPUserAttributeSubpacketVector> attributes = primary.getUserAttributes();
                attributes.hasNext(); ) {
            kept = PGPPublicKey.removeCertification(kept, attributes.next());
        }
        return kept == primary ? certificate : PGPPublicKeyRing.insertPublicKey(certificate, kept);
    }

    private static boolean belongsTo(String userId, String address) {
        return sameAddress(emailOf(userId), address);
    }

    /** The e-mail part of a user ID: "Name &lt;addr&gt;", "&lt;addr&gt;" or a bare "addr". */
    static String emailOf(String userId) {
        int open = userId.lastIndexOf('<');
        int close = userId.lastIndexOf('>');
        if (open >= 0 && close > open) {
            return userId.substring(open + 1, close).trim();
        }
        return userId.trim();
    }

    private static boolean sameAddress(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.trim().toLowerCase(Locale.ROOT));
    }

    /** The primary key's expiry, null when it never expires. */
    static Date primaryKeyExpiry(KeyRingInfo info) {
        try {
            return info.getPrimaryKeyExpirationDate();
        } catch (NoSuchElementException | IllegalStateException e) {
            // PGPainless needs a (possibly expired) primary user ID to find the expiry; without one the key
            // fails the user ID check anyway.
            return null;
        }
    }

    /** Binary packets from an upload: binary as is; armored text block by block, each checked for its type. */
    private static byte[] dearmor(byte[] uploaded) throws InvalidPublicKeyException {
        // Every binary OpenPGP packet header has its top bit set; a UTF-8 byte order mark (some Windows
        // editors save .asc files with one) does too, but starts text.
        if (!startsWithUtf8ByteOrderMark(uploaded) && (uploaded[firstNonWhitespace(uploaded)] & 0x80) != 0) {
            return uploaded;
        }
        String text = new String(uploaded, StandardCharsets.UTF_8);
        if (text.contains("PRIVATE KEY BLOCK")) {
            throw secretMaterial();
        }
        Matcher block = ARMOR_BLOCK.matcher(text);
        ByteArrayOutputStream packets = new ByteArrayOutputStream();
        while (block.find()) {
            if (!"PUBLIC KEY BLOCK".equals(block.group(1))) {
                throw new InvalidPublicKeyException(Reason.NOT_OPENPGP,
                        "This is a PGP " + block.group(1).toLowerCase(Locale.ROOT) + ", not a public key. "
                                + EXPORT_HINT);
            }
            packets.writeBytes(decodeArmor(block.group()));
        }
        if (packets.size() == 0) {
            throw new InvalidPublicKeyException(Reason.NOT_OPENPGP,
                    "This is not an OpenPGP public key (no \"-----BEGIN PGP PUBLIC KEY BLOCK-----\" found). "
                            + EXPORT_HINT);
        }
        return packets.toByteArray();
    }

    private static byte[] decodeArmor(String block) throws InvalidPublicKeyException {
        try (InputStream in = new ArmoredInputStream(
                new ByteArrayInputStream(block.getBytes(StandardCharsets.UTF_8)))) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new InvalidPublicKeyException(Reason.NOT_OPENPGP,
                    "The armored key is damaged (bad base64 or checksum); export it again. " + EXPORT_HINT);
        }
    }

    /** Walks the packet sequence by tag: refuses secret key packets, counts primary public keys. */
    private static int countCertificates(byte[] binary) throws InvalidPublicKeyException {
        int certificates = 0;
        try {
            BCPGInputStream packets = new BCPGInputStream(new ByteArrayInputStream(binary));
            int tag;
            while ((tag = packets.nextPacketTag()) >= 0) {
                if (tag == PacketTags.SECRET_KEY || tag == PacketTags.SECRET_SUBKEY) {
                    throw secretMaterial();
                }
                if (!CERTIFICATE_PACKETS.contains(tag)) {
                    throw new InvalidPublicKeyException(Reason.NOT_OPENPGP,
                            "The upload holds OpenPGP data that is not part of a public key (packet type " + tag
                                    + "). " + EXPORT_HINT);
                }
                if (tag == PacketTags.PUBLIC_KEY) {
                    certificates++;
                }
                packets.readPacket();
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidPublicKeyException(Reason.NOT_OPENPGP,
                    "The upload is not a well-formed OpenPGP key. " + EXPORT_HINT);
        }
        return certificates;
    }

    private static PGPPublicKeyRing parse(byte[] binary) throws InvalidPublicKeyException {
        try {
            PGPPublicKeyRing ring = PGPainless.readKeyRing().publicKeyRing(binary);
            if (ring != null) {
                return ring;
            }
        } catch (IOException | RuntimeException e) {
            // reported below
        }
        throw new InvalidPublicKeyException(Reason.NOT_OPENPGP,
                "The upload is not a well-formed OpenPGP key. " + EXPORT_HINT);
    }

    private static InvalidPublicKeyException secretMaterial() {
        return new InvalidPublicKeyException(Reason.SECRET_KEY_MATERIAL,
                "This upload contains a PRIVATE key. It was not stored. Never send your private key to any server; "
                        + "send only the public key. " + EXPORT_HINT);
    }

    private static boolean startsWithUtf8ByteOrderMark(byte[] data) {
        return data.length >= 3 && (data[0] & 0xff) == 0xEF && (data[1] & 0xff) == 0xBB && (data[2] & 0xff) == 0xBF;
    }

    private static int firstNonWhitespace(byte[] data) {
        int i = 0;
        while (i < data.length - 1 && Character.isWhitespace(data[i])) {
            i++;
        }
        return i;
    }

    private static boolean isBlank(byte[] data) {
        for (byte b : data) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }
}
