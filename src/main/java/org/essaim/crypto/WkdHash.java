package org.essaim.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The Web Key Directory name of a mailbox: z-base-32 of the SHA-1 of its lower-cased local part
 * (draft-koch-openpgp-webkey-service, section 3.1). The domain is not part of the hash.
 */
public final class WkdHash {
    private static final char[] ZBASE32 = "ybndrfg8ejkmcpqxot1uwisza345h769".toCharArray();

    private WkdHash() {
    }

    public static String ofLocalPart(String localPart) {
        return zbase32(sha1(localPart.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
    }

    /** The local part of an address: everything before its last '@'. */
    public static String localPartOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at);
    }

    static String zbase32(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ZBASE32[(buffer >> (bits - 5)) & 0x1f]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ZBASE32[(buffer << (5 - bits)) & 0x1f]);
        }
        return out.toString();
    }

    private static byte[] sha1(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-1", e);
        }
    }
}
