package org.essaim.crypto;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
 * Read as a stream: only packet headers and the first bytes of each packet body are kept, so a message of any size
 * is checked with a few KB of memory (issue 11 item 6).
 * <p>
 * Nothing is decrypted and no key is needed: this is a check of form, to decide whether the server must encrypt.
 * Legacy symmetrically encrypted data without integrity protection (tag 9) does not count: it is re-encrypted.
 */
final class OpenPgpEncryptedMessage {
    static final String BEGIN = "-----BEGIN PGP MESSAGE-----";
    private static final String END = "-----END PGP MESSAGE-----";
    /** Armor headers name a program or a web site; anything longer is no armor header. */
    private static final int MAX_ARMOR_HEADERS = 512;
    /** Armor lines are 64 or 76 characters; a far longer line is no armor (and is not held in memory). */
    private static final int MAX_ARMOR_LINE = 64 * 1024;
    private static final int PKESK = 1;
    private static final int SKESK = 3;
    private static final int MARKER = 10;
    private static final int SEIPD = 18;
    private static final int AEAD = 20;
    private static final int PADDING = 21;
    /** How many bytes of the encrypted payload are looked at; enough to tell ciphertext from text. */
    private static final int SAMPLE = 1024;
    /** The fixed fields of the longest encrypted data header (SEIPD v2: version, cipher, mode, chunk size, salt). */
    private static final int LONGEST_FIXED_FIELDS = 4 + 32;

    private OpenPgpEncryptedMessage() {
    }

    /** Text that is, apart from surrounding white space, exactly one ASCII-armored PGP MESSAGE block holding one. */
    static boolean isArmored(String text) {
        return isArmored(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** The same, read as a stream (ISO-8859-1 text). */
    static boolean isArmored(InputStream text) {
        try {
            ArmorData data = ArmorData.open(text);
            if (data == null) {
                return false;
            }
            boolean encrypted = isBinary(Base64.getDecoder().wrap(data));
            // The decoder stops at the padding: what follows must be no more data, then the checksum and END lines.
            return encrypted && data.read() < 0 && data.endedWell();
        } catch (IOException | IllegalArgumentException notArmor) {
            return false; // a line too long, base64 that does not decode
        }
    }

    /** Binary OpenPGP data that is one encrypted message. */
    static boolean isBinary(byte[] data) {
        try {
            return isBinary(new ByteArrayInputStream(data));
        } catch (IOException e) {
            return false; // cannot happen with an array
        }
    }

    /** The same, read as a stream to its end (or until it is clearly not one). */
    static boolean isBinary(InputStream data) throws IOException {
        int sessionKeys = 0;
        boolean encryptedData = false;
        while (true) {
            Packet packet = Packet.read(data);
            if (packet == null) {
                return encryptedData; // the data ended at a packet boundary
            }
            if (packet == Packet.MALFORMED) {
                return false;
            }
            switch (packet.tag) {
                case MARKER, PADDING -> { }
                case PKESK, SKESK -> {
                    if (encryptedData || !packet.hasValidSessionKeyVersion()) {
                        return false;
                    }
                    sessionKeys++;
                }
                case SEIPD, AEAD -> {
                    if (encryptedData || sessionKeys == 0 || !packet.looksEncrypted()) {
                        return false;
                    }
                    encryptedData = true;
                }
                default -> {
                    return false;
                }
            }
        }
    }

    /** One packet: its tag, its body's length and first bytes (the rest was read past). */
    private static final class Packet {
        static final Packet MALFORMED = new Packet(-1);
        private static final int KEPT = LONGEST_FIXED_FIELDS + SAMPLE;

        final int tag;
        private final byte[] start = new byte[KEPT];
        private int kept;
        private long length;

        private Packet(int tag) {
            this.tag = tag;
        }

        /** @return the next packet, null at the end of the data, {@link #MALFORMED} when it is no well-formed packet */
        static Packet read(InputStream data) throws IOException {
            int header = data.read();
            if (header < 0) {
                return null;
            }
            if ((header & 0x80) == 0) {
                return MALFORMED;
            }
            try {
                if ((header & 0x40) != 0) {
                    return readNewFormat(data, header & 0x3f);
                }
                Packet packet = new Packet((header >> 2) & 0x0f);
                int lengthType = header & 0x03;
                if (lengthType == 3) {
                    packet.readToEnd(data); // indeterminate: to the end of the data
                    return packet;
                }
                int octets = lengthType == 0 ? 1 : lengthType == 1 ? 2 : 4;
                long length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | readByte(data);
                }
                packet.readBody(data, length);
                return packet;
            } catch (EOFException truncated) {
                return MALFORMED; // a length runs past the end of the data
            }
        }

        private static Packet readNewFormat(InputStream data, int tag) throws IOException {
            Packet packet = new Packet(tag);
            while (true) {
                int first = readByte(data);
                long length;
                boolean partial = false;
                if (first < 192) {
                    length = first;
                } else if (first < 224) {
                    length = ((first - 192) << 8) + readByte(data) + 192;
                } else if (first == 255) {
                    length = ((long) readByte(data) << 24) | (readByte(data) << 16) | (readByte(data) << 8) | readByte(data);
                } else {
                    length = 1L << (first & 0x1f);
                    partial = true;
                    if (tag != SEIPD && tag != AEAD && tag != 8 && tag != 9 && tag != 11) {
                        return MALFORMED; // only data packets may have partial lengths
                    }
                }
                packet.readBody(data, length);
                if (!partial) {
                    return packet;
                }
            }
        }

        private static int readByte(InputStream data) throws IOException {
            int b = data.read();
            if (b < 0) {
                throw new EOFException();
            }
            return b;
        }

        /** Reads {@code count} body bytes, keeping the first ones. */
        private void readBody(InputStream data, long count) throws IOException {
            int keep = (int) Math.min(count, KEPT - kept);
            if (data.readNBytes(start, kept, keep) < keep) {
                throw new EOFException();
            }
            kept += keep;
            data.skipNBytes(count - keep); // EOFException when the data ends first
            length += count;
        }

        private void readToEnd(InputStream data) throws IOException {
            int got = data.readNBytes(start, kept, KEPT - kept);
            kept += got;
            length += got;
            byte[] skip = new byte[8192];
            int n;
            while ((n = data.read(skip)) > 0) {
                length += n;
            }
        }

        private int bodyByte(int index) {
            return index < kept ? start[index] & 0xff : -1;
        }

        boolean hasValidSessionKeyVersion() {
            int version = bodyByte(0);
            return tag == PKESK ? (version == 3 || version == 6) && length >= 10
                    : (version == 4 || version == 5 || version == 6) && length >= 4;
        }

        /** SEIPD v1 or v2 / AEAD v1, whose encrypted octets (after the fixed fields) look like ciphertext. */
        boolean looksEncrypted() {
            int version = bodyByte(0);
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
            int available = (int) Math.min(SAMPLE, Math.max(0, Math.min(length, kept) - payloadStart));
            byte[] sample = new byte[available];
            System.arraycopy(start, payloadStart, sample, 0, available);
            return CiphertextLook.isLikelyCiphertext(sample);
        }
    }

    /**
     * The base64 characters of one armored block, read line by line: what precedes the block must be white space, the
     * BEGIN line stand alone, armor headers be short, and after the data (and its checksum line) only the END line and
     * white space may follow. {@link #endedWell()} says, once the data was read to its end, whether all that held.
     */
    private static final class ArmorData extends InputStream {
        private final InputStream text;
        private byte[] line = new byte[0];
        private int position;
        private boolean dataEnded;
        private boolean endedWell;

        private ArmorData(InputStream text) {
            this.text = text;
        }

        /** @return the data of the block, positioned after its headers, or null when the text starts otherwise */
        static ArmorData open(InputStream text) throws IOException {
            ArmorData data = new ArmorData(text);
            String first;
            do {
                first = data.nextLine();
            } while (first != null && first.isBlank());
            if (first == null) {
                return null;
            }
            String begin = first.strip();
            if (!begin.startsWith(BEGIN) || !begin.substring(BEGIN.length()).isBlank()) {
                return null;
            }
            // Armor headers ("Version: ...", "Comment: ...") up to the blank line: short notes, not a place for a letter.
            int headerLength = 0;
            String next = data.nextLine();
            while (next != null && !next.isBlank() && next.matches("[A-Za-z][A-Za-z0-9-]*: .*")) {
                headerLength += next.length();
                if (headerLength > MAX_ARMOR_HEADERS) {
                    return null;
                }
                next = data.nextLine();
            }
            data.take(next); // the blank line, or the first data line when there are no headers
            return data;
        }

        boolean endedWell() {
            return endedWell;
        }

        /** Makes {@code candidate} the current line if it carries data; ends the data at the checksum or END line. */
        private void take(String candidate) throws IOException {
            if (candidate == null) {
                dataEnded = true; // no END line
                return;
            }
            String content = candidate.strip();
            if (content.equals(END)) {
                dataEnded = true;
                endedWell = restIsBlank();
                return;
            }
            if (content.startsWith("=") && content.length() == 5) {
                dataEnded = true; // the CRC-24 checksum line ends the data; then only the END line
                String next;
                do {
                    next = nextLine();
                } while (next != null && next.isBlank());
                endedWell = next != null && next.strip().equals(END) && restIsBlank();
                return;
            }
            line = content.getBytes(StandardCharsets.ISO_8859_1);
            position = 0;
        }

        private boolean restIsBlank() throws IOException {
            String rest;
            while ((rest = nextLine()) != null) {
                if (!rest.isBlank()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            while (position >= line.length) {
                if (dataEnded) {
                    return -1;
                }
                line = new byte[0];
                position = 0;
                take(nextLine());
            }
            return line[position++] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            int first = read();
            if (first < 0) {
                return -1;
            }
            bytes[offset] = (byte) first;
            int n = Math.min(length - 1, line.length - position);
            System.arraycopy(line, position, bytes, offset + 1, n);
            position += n;
            return n + 1;
        }

        /** The next line without its end (a line ends at LF, an optional CR before it removed), null at the end. */
        private String nextLine() throws IOException {
            StringBuilder out = new StringBuilder(80);
            int b;
            boolean any = false;
            while ((b = text.read()) >= 0) {
                any = true;
                if (b == '\n') {
                    break;
                }
                if (out.length() >= MAX_ARMOR_LINE) {
                    throw new IOException("Line too long for armor");
                }
                out.append((char) b);
            }
            if (!any) {
                return null;
            }
            int length = out.length();
            if (b == '\n' && length > 0 && out.charAt(length - 1) == '\r') {
                out.setLength(length - 1);
            }
            return out.toString();
        }
    }
}
