package org.essaim.portability;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an mbox file (mboxrd: each message starts with a "From " line; body lines starting with ">From " or
 * ">>From " had one '>' added) into messages with CRLF line ends.
 */
final class Mbox {
    private Mbox() {
    }

    static List<byte[]> split(byte[] mbox) {
        List<byte[]> messages = new ArrayList<>();
        ByteArrayOutputStream current = null;
        int start = 0;
        for (int i = 0; i <= mbox.length; i++) {
            if (i < mbox.length && mbox[i] != '\n') {
                continue;
            }
            int end = i > start && mbox[i - 1] == '\r' ? i - 1 : i;
            String line = new String(mbox, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (line.startsWith("From ")) {
                if (current != null) {
                    messages.add(trimmed(current));
                }
                current = new ByteArrayOutputStream();
            } else if (current != null && (i < mbox.length || end > start)) {
                int from = line.matches(">+From .*") ? start + 1 : start;
                current.write(mbox, from, end - from);
                current.write('\r');
                current.write('\n');
            }
            start = i + 1;
        }
        if (current != null) {
            messages.add(trimmed(current));
        }
        return messages;
    }

    /** Without the blank line mbox puts between messages. */
    private static byte[] trimmed(ByteArrayOutputStream message) {
        byte[] bytes = message.toByteArray();
        int length = bytes.length;
        if (length >= 4 && bytes[length - 4] == '\r' && bytes[length - 3] == '\n' && bytes[length - 2] == '\r' && bytes[length - 1] == '\n') {
            length -= 2;
        }
        return java.util.Arrays.copyOf(bytes, length);
    }
}
