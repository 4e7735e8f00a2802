package org.essaim.delivery.authentication;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;

/**
 * Header edits on the message's bytes, not through javax.mail: every other field (raw UTF-8 included) and the body
 * stay byte for byte, which re-serialising a MimeMessage does not promise.
 */
final class RawHeaders {
    private RawHeaders() {
    }

    /** The message without the header fields (with their continuation lines) that {@code drop} selects. */
    static byte[] without(byte[] message, Predicate<String> drop) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 512);
        int i = 0;
        boolean dropping = false;
        while (i < message.length) {
            int end = lineEnd(message, i);
            boolean blank = end - i == 0 || (end - i == 1 && message[i] == '\r');
            if (blank) {
                out.write(message, i, message.length - i); // the empty line and the body, untouched
                return out.toByteArray();
            }
            boolean continuation = message[i] == ' ' || message[i] == '\t';
            if (!continuation) {
                String line = new String(message, i, Math.min(end - i, 200), StandardCharsets.ISO_8859_1);
                dropping = drop.test(line);
            }
            int next = Math.min(end + 1, message.length);
            if (!dropping) {
                out.write(message, i, next - i);
            }
            i = next;
        }
        return out.toByteArray();
    }

    /** The whole field (name, colon, value, continuations) put in front of the message. */
    static byte[] prepend(String field, byte[] message) {
        byte[] line = (field + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[line.length + message.length];
        System.arraycopy(line, 0, out, 0, line.length);
        System.arraycopy(message, 0, out, line.length, message.length);
        return out;
    }

    /** The field's value when the header line starts with that field name (case-insensitive), else null. */
    static String valueIf(String line, String name) {
        return line.regionMatches(true, 0, name + ":", 0, name.length() + 1) ? line.substring(name.length() + 1) : null;
    }

    static MimeMessage message(String name, byte[] bytes) throws MessagingException {
        return new MimeMessageWrapper(new MimeMessageSource() {
            @Override
            public String getSourceId() {
                return name;
            }

            @Override
            public InputStream getInputStream() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long getMessageSize() {
                return bytes.length;
            }
        });
    }

    private static int lineEnd(byte[] message, int from) {
        for (int i = from; i < message.length; i++) {
            if (message[i] == '\n') {
                return i;
            }
        }
        return message.length;
    }
}
