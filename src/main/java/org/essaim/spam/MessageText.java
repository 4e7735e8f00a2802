package org.essaim.spam;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import org.essaim.delivery.spam.SpamJudge;

/**
 * What the classifier reads of a message: a few headers and the text of its parts, decoded. The browser's classifier
 * (frontend/spam/) builds the same record from postal-mime's parse of a decrypted message, so both sides count the
 * same tokens. Parsing is lenient: a broken part contributes its raw text rather than failing the message.
 */
public record MessageText(String subject, String fromAddress, String fromName, String contentType,
                          Map<String, String> headers, List<String> charsets, List<String> plainTexts, List<String> htmlTexts,
                          List<String> otherParts, List<String> structure) {

    /**
     * The headers whose presence or value the classifier counts (lower case). Only headers a sender writes: those a
     * receiving server or mail client adds (Received, Delivered-To, X-Status, ...) would teach the table where a
     * corpus was collected rather than what spam looks like.
     */
    public static final List<String> COUNTED_HEADERS = List.of("reply-to", "cc", "sender", "in-reply-to",
            "references", "list-id", "list-unsubscribe", "precedence", "organization",
            "content-transfer-encoding", "x-mailer", "user-agent", "x-priority", "x-msmail-priority", "importance",
            "to", "message-id", "date", "mime-version", "errors-to", "x-mimeole", "disposition-notification-to",
            "return-receipt-to", "comments", "x-originating-ip", "x-accept-language", "thread-index", "content-class");

    /** How much of a message is read ({@link SpamJudge#SCANNED_BYTES}); a message cut there parses as if its last part ended at the cut. */
    public static final int MAX_BYTES = SpamJudge.SCANNED_BYTES;
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final int MAX_PARTS = 50;
    private static final Pattern CHARSET = Pattern.compile("(?i)charset\\s*=\\s*\"?([a-z0-9_.:-]+)");

    public static MessageText parse(byte[] whole) {
        byte[] raw = whole.length > MAX_BYTES ? java.util.Arrays.copyOf(whole, MAX_BYTES) : whole;
        try {
            MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
            Builder builder = new Builder();
            builder.subject = decoded(message.getHeader("Subject", null));
            builder.from(message.getHeader("From", null));
            builder.contentType = baseType(message.getContentType());
            builder.charset(message.getContentType());
            for (String name : COUNTED_HEADERS) {
                String value = message.getHeader(name, null);
                if (value != null) {
                    builder.headers.put(name, decoded(value));
                }
            }
            builder.walk(message, 0);
            return builder.build();
        } catch (MessagingException | RuntimeException e) {
            return new MessageText("", "", "", "", Map.of(), List.of(), List.of(new String(raw, StandardCharsets.ISO_8859_1)),
                    List.of(), List.of(), List.of("unparsable"));
        }
    }

    private static String decoded(String header) {
        if (header == null) {
            return "";
        }
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(header));
        } catch (IOException | RuntimeException e) {
            return header;
        }
    }

    private static String baseType(String contentType) {
        if (contentType == null) {
            return "text/plain";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static final class Builder {
        String subject = "";
        String fromAddress = "";
        String fromName = "";
        String contentType = "";
        final Map<String, String> headers = new LinkedHashMap<>();
        final List<String> plain = new ArrayList<>();
        final List<String> html = new ArrayList<>();
        final List<String> other = new ArrayList<>();
        final List<String> charsets = new ArrayList<>();
        /** Each part's type and transfer encoding, depth first: the message's shape, not its content. */
        final List<String> structure = new ArrayList<>();
        int parts;

        void charset(String contentType) {
            if (contentType == null) {
                return;
            }
            Matcher charset = CHARSET.matcher(contentType);
            if (charset.find() && !charsets.contains(charset.group(1).toLowerCase(Locale.ROOT))) {
                charsets.add(charset.group(1).toLowerCase(Locale.ROOT));
            }
        }

        void from(String header) {
            if (header == null) {
                return;
            }
            try {
                InternetAddress[] addresses = InternetAddress.parseHeader(header, false);
                if (addresses.length > 0) {
                    fromAddress = addresses[0].getAddress() == null ? "" : addresses[0].getAddress().toLowerCase(Locale.ROOT);
                    fromName = addresses[0].getPersonal() == null ? "" : addresses[0].getPersonal();
                }
            } catch (MessagingException | RuntimeException e) {
                fromName = decoded(header);
            }
        }

        void walk(Part part, int depth) throws MessagingException {
            if (++parts > MAX_PARTS || depth > 10) {
                return;
            }
            String type = baseType(safeContentType(part));
            structure.add(depth + ":" + type + ";" + encoding(part));
            if (type.startsWith("multipart/")) {
                try {
                    Object content = part.getContent();
                    if (content instanceof Multipart multipart) {
                        for (int i = 0; i < multipart.getCount(); i++) {
                            BodyPart child = multipart.getBodyPart(i);
                            walk(child, depth + 1);
                        }
                        return;
                    }
                } catch (IOException | MessagingException | RuntimeException e) {
                    plain.add(rawText(part));
                    return;
                }
            }
            if (type.startsWith("text")) {
                charset(safeContentType(part));
            }
            if (type.equals("text/plain") || type.equals("text")) {
                plain.add(text(part));
            } else if (type.equals("text/html")) {
                html.add(text(part));
            } else if (type.equals("message/rfc822")) {
                plain.add(rawText(part));
            } else {
                other.add(type);
            }
        }

        private static String encoding(Part part) {
            try {
                String[] values = part.getHeader("Content-Transfer-Encoding");
                return values == null || values.length == 0 ? "" : values[0].trim().toLowerCase(Locale.ROOT);
            } catch (MessagingException | RuntimeException e) {
                return "?";
            }
        }

        private static String safeContentType(Part part) {
            try {
                return part.getContentType();
            } catch (MessagingException | RuntimeException e) {
                return "text/plain";
            }
        }

        private static String text(Part part) {
            try {
                Object content = part.getContent();
                if (content instanceof String s) {
                    return s;
                }
            } catch (IOException | MessagingException | RuntimeException e) {
                // an unknown charset or a broken encoding: fall back to the decoded bytes as Latin-1
            }
            return rawText(part);
        }

        private static String rawText(Part part) {
            try (InputStream in = part.getInputStream()) {
                return new String(in.readNBytes(1 << 20), StandardCharsets.ISO_8859_1);
            } catch (IOException | MessagingException | RuntimeException e) {
                return "";
            }
        }

        MessageText build() {
            return new MessageText(subject, fromAddress, fromName, contentType, Map.copyOf(headers), List.copyOf(charsets), List.copyOf(plain), List.copyOf(html),
                    List.copyOf(other), List.copyOf(structure));
        }
    }
}
