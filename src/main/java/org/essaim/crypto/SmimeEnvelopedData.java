package org.essaim.crypto;

import java.io.IOException;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;

/**
 * Whether some bytes are a CMS (RFC 5652) ContentInfo holding EnvelopedData or AuthEnvelopedData (RFC 5083), the
 * body of an S/MIME encrypted message: well-formed DER/BER with nothing after it, at least one recipient, and an
 * encrypted content that looks like ciphertext ({@link CiphertextLook}). Nothing is decrypted.
 */
final class SmimeEnvelopedData {
    private static final int SAMPLE = 1024;

    private SmimeEnvelopedData() {
    }

    static boolean isEnvelopedData(byte[] der) {
        try {
            // fromByteArray refuses trailing data after the one object
            ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(der));
            if (CMSObjectIdentifiers.envelopedData.equals(info.getContentType())) {
                EnvelopedData enveloped = EnvelopedData.getInstance(info.getContent());
                return enveloped.getRecipientInfos().size() > 0 && looksEncrypted(enveloped.getEncryptedContentInfo());
            }
            if (CMSObjectIdentifiers.authEnvelopedData.equals(info.getContentType())) {
                AuthEnvelopedData enveloped = AuthEnvelopedData.getInstance(info.getContent());
                return enveloped.getRecipientInfos().size() > 0
                        && looksEncrypted(enveloped.getAuthEncryptedContentInfo());
            }
            return false;
        } catch (IOException | RuntimeException notCms) {
            return false; // BC reports malformed structures with IllegalArgumentException, ClassCastException, ...
        }
    }

    private static boolean looksEncrypted(EncryptedContentInfo content) {
        ASN1OctetString encrypted = content == null ? null : content.getEncryptedContent();
        if (encrypted == null) {
            return false; // detached content: nothing here to store untouched
        }
        byte[] octets = encrypted.getOctets();
        return CiphertextLook.isLikelyCiphertext(Arrays.copyOf(octets, Math.min(SAMPLE, octets.length)));
    }
}
