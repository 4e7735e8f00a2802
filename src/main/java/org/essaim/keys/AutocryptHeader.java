package org.essaim.keys;

import java.util.Base64;
import java.util.Locale;

/**
 * The {@code Autocrypt:} header of mail an Essaim user sends (Autocrypt Level 1, section 2.1): the sender's address,
 * {@code prefer-encrypt=mutual} (Essaim encrypts everything) and the published public key, base64 of its binary
 * packets, folded. Receiving clients (Thunderbird, K-9/FairEmail, Delta Chat...) learn the key from it. Pure.
 */
public final class AutocryptHeader {
    private static final int LINE = 76;

    private AutocryptHeader() {
    }

    /**
     * @param address the sender's address (the From address; Autocrypt ignores the header otherwise)
     * @param armoredPublicKey the key as published (armored OpenPGP public key)
     * @return the header value, folded with CRLF + space
     */
    public static String value(String address, String armoredPublicKey) {
        String keydata = Base64.getEncoder().encodeToString(binary(armoredPublicKey));
        StringBuilder value = new StringBuilder("addr=").append(address.toLowerCase(Locale.ROOT))
                .append("; prefer-encrypt=mutual; keydata=");
        for (int i = 0; i < keydata.length(); i += LINE) {
            value.append("\r\n ").append(keydata, i, Math.min(keydata.length(), i + LINE));
        }
        return value.toString();
    }

    /** The binary packets of an armored block (RFC 4880 6.2: armor headers, blank line, base64, "=" checksum). */
    static byte[] binary(String armored) {
        String[] lines = armored.replace("\r\n", "\n").split("\n");
        StringBuilder base64 = new StringBuilder();
        boolean body = false;
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("-----BEGIN ")) {
                body = false;
                continue;
            }
            if (trimmed.startsWith("-----END ")) {
                break;
            }
            if (!body) {
                body = trimmed.isEmpty(); // armor headers end at the first empty line
                continue;
            }
            if (trimmed.startsWith("=") && trimmed.length() == 5) {
                break; // the CRC-24 checksum
            }
            base64.append(trimmed);
        }
        if (base64.isEmpty()) {
            throw new IllegalArgumentException("Not an armored OpenPGP block");
        }
        return Base64.getDecoder().decode(base64.toString());
    }
}
