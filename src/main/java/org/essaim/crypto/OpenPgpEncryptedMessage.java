package org.essaim.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Whether some bytes are an encrypted OpenPGP message by its grammar (RFC 9580 section 10.3): one or more session
 * key packets (PKESK, tag 1; SKESK, tag 3), then exactly one encrypted data packet (SEIPD, tag 18; or the AEAD
 * encrypted data of the LibrePGP drafts, tag 20) that runs to the very end; marker (10) and padding (21) packets may
 * sit anywhere. Each packet's length must add up to the data's length exactly. The encrypted payload must also look
 * like ciphertext ({@link CiphertextLook}), so plaintext dressed in a well-formed packet is not taken for it.
 * <p>
 * In armored form, only short armor headers may stand in clear beside the data.
 * <p>
 * Nothing is decrypted and no key is needed: this is a check of form, to decide whether the server must encrypt.
 * Legacy symmetrically encrypted data without integrity protection (tag 9) does not count: it is re-encrypted.
 */
final class OpenPgpEncryptedMessage {
    private static final String BEGIN = "-----BEGIN PGP MESSAGE-----";
    private static final String END = "-----END PGP MESSAGE-----";
    /** Armor headers name a program or a web site; anything longer is no armor header. */
    private static final int MAX_ARMOR_HEADERS = 512;
    private static final int PKESK = 1;
    private static final int SKESK = 3;
    private static final int MARKER = 10;
    private static final int SEIPD = 18;
    private static final int AEAD = 20;
    private static final int PADDING = 21;
    /** How many bytes of the encrypted payload are looked at; enough to tell ciphertext from text. */
    private static final int SAMPLE = 1024;

    private OpenPgpEncryptedMessage() {
    }

    /** Text that is, apart from surrounding white space, exactly one ASCII-armored PGP MESSAGE block holding one. */
    static boolean isArmored(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith(BEGIN) || !trimmed.endsWith(END)) {
            return false;
        }
        String[] lines = trimmed.substring(BEGIN.length(), trimmed.length() - END.length()).split("\r?\n", -1);
        int line = 1; // lines[0] is what followed BEGIN on its own line: must be empty
        if (!lines[0].isBlank()) {
            return false;
        }
        // Armor headers ("Version: ...", "Comment: ...") up to the blank line: short notes, not a place for a letter.
        int headerLength = 0;
        while (line < lines.length && !lines[line].isBlank()) {
            if (!lines[line].matches("[A-Za-z][A-Za-z0-9-]*: .*")) {
                break; // no header block (some writers omit the blank line when there are no headers)
            }
            headerLength += lines[line].length();
            if (headerLength > MAX_ARMOR_HEADERS) {
                return false;
            }
            line++;
        }
        StringBuilder base64 = new StringBuilder();
        for (; line < lines.length; line++) {
            String content = lines[line].strip();
            if (content.isEmpty()) {
                continue;
            }
            if (content.startsWith("=") && content.length() == 5) {
                break; // the CRC-24 checksum line ends the data
            }
            base64.append(content);
        }
        for (line++; line < lines.length; line++) {
            if (!lines[line].isBlank()) {
                return false; // only the END line may follow the checksum
            }
        }
        try {
            return isBinary(Base64.getDecoder().decode(base64.toString().getBytes(StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** Binary OpenPGP data that is one encrypted message. */
    static boolean isBinary(byte[] data) {
        int position = 0;
        int sessionKeys = 0;
        boolean encryptedData = false;
        while (position < data.length) {
            Packet packet = Packet.read(data, position);
            if (packet == null) {
                return false;
            }
            switch (packet.tag) {
                case MARKER, PADDING -> { }
                case PKESK, SKESK -> {
                    if (encryptedData || !packet.hasValidSessionKeyVersion(data)) {
                        return false;
                    }
                    sessionKeys++;
                }
                case SEIPD, AEAD -> {
                    if (encryptedData || sessionKeys == 0 || !packet.looksEncrypted(data)) {
                        return false;
                    }
                    encryptedData = true;
                }
                default -> {
                    return false;
                }
            }
            position = packet.end;
        }
        return encryptedData;
    }

    /** One packet: its tag, where its body's chunks lie, and where the next packet starts. */
    private record Packet(int tag, int[] chunkStarts, int[] chunkLengths, int end) {

        /** @return the packet at {@code position}, or null when the bytes are no well-formed packet */
        static Packet read(byte[] data, int position) {
            int header = data[position] & 0xff;
            if ((header & 0x80) == 0) {
                return null;
            }
            int at = position + 1;
            if ((header & 0x40) != 0) {
                return readNewFormat(data, header & 0x3f, at);
            }
            int tag = (header >> 2) & 0x0f;
            int lengthType = header & 0x03;
            long length;
            if (lengthType == 3) {
                length = data.length - at; // indeterminate: to the end of the data
            } else {
                int octets = lengthType == 0 ? 1 : lengthType == 1 ? 2 : 4;
                if (at + octets > data.length) {
                    return null;
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (data[at++] & 0xff);
                }
            }
            if (length > data.length - at) {
                return null;
            }
            return new Packet(tag, new int[] {at}, new int[] {(int) length}, at + (int) length);
        }

        private static Packet readNewFormat(byte[] data, int tag, int at) {
            java.util.List<int[]> chunks = new java.util.ArrayList<>();
            while (true) {
                if (at >= data.length) {
                    return null;
                }
                int first = data[at++] & 0xff;
                long length;
                boolean partial = false;
                if (first < 192) {
                    length = first;
                } else if (first < 224) {
                    if (at >= data.length) {
                        return null;
                    }
                    length = ((first - 192) << 8) + (data[at++] & 0xff) + 192;
                } else if (first == 255) {
                    if (at + 4 > data.length) {
                        return null;
                    }
                    length = ((long) (data[at] & 0xff) << 24) | ((data[at + 1] & 0xff) << 16)
                            | ((data[at + 2] & 0xff) << 8) | (data[at + 3] & 0xff);
                    at += 4;
                } else {
                    length = 1L << (first & 0x1f);
                    partial = true;
                    if (tag != SEIPD && tag != AEAD && tag != 8 && tag != 9 && tag != 11) {
                        return null; // only data packets may have partial lengths
                    }
                }
                if (length > data.length - at) {
                    return null;
                }
                chunks.add(new int[] {at, (int) length});
                at += (int) length;
                if (!partial) {
                    break;
                }
            }
            return new Packet(tag, chunks.stream().mapToInt(c -> c[0]).toArray(),
                    chunks.stream().mapToInt(c -> c[1]).toArray(), at);
        }

        private int bodyLength() {
            int total = 0;
            for (int length : chunkLengths) {
                total += length;
            }
            return total;
        }

        private int bodyByte(byte[] data, int index) {
            for (int i = 0; i < chunkStarts.length; i++) {
                if (index < chunkLengths[i]) {
                    return data[chunkStarts[i] + index] & 0xff;
                }
                index -= chunkLengths[i];
            }
            return -1;
        }

        boolean hasValidSessionKeyVersion(byte[] data) {
            int version = bodyByte(data, 0);
            return tag == PKESK ? (version == 3 || version == 6) && bodyLength() >= 10
                    : (version == 4 || version == 5 || version == 6) && bodyLength() >= 4;
        }

        /** SEIPD v1 or v2 / AEAD v1, whose encrypted octets (after the fixed fields) look like ciphertext. */
        boolean looksEncrypted(byte[] data) {
            int version = bodyByte(data, 0);
            int payloadStart;
            if (tag == SEIPD && version == 1) {
                payloadStart = 1;
            } else if (tag == SEIPD && version == 2) {
                payloadStart = 4 + 32; // version, cipher, AEAD mode, chunk size, 32-octet salt
            } else if (tag == AEAD && version == 1) {
                payloadStart = 4 + 16; // version, cipher, AEAD mode, chunk size, starting IV (at most 16 octets)
            } else {
                return false;
            }
            int available = bodyLength() - payloadStart;
            byte[] sample = new byte[Math.max(0, Math.min(SAMPLE, available))];
            for (int i = 0; i < sample.length; i++) {
                sample[i] = (byte) bodyByte(data, payloadStart + i);
            }
            return CiphertextLook.isLikelyCiphertext(sample);
        }
    }
}
