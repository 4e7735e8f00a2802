package org.essaim.webmail.composing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;

/**
 * Writes the outer message around the browser's ciphertext: RFC 3156 multipart/encrypted with the outer headers
 * a server needs to route and thread it, {@code Subject: ...} (the real one is inside, protected) and the
 * {@code Essaim-Encrypted-Subject} header for message lists. Pure: bytes in, bytes out, CRLF line ends.
 */
final class PgpMimeWriter {
    static final String HIDDEN_SUBJECT = "...";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The addressing and threading of one message. Bcc is written only into drafts (the user's own copy). */
    record Headers(InternetAddress from, List<InternetAddress> to, List<InternetAddress> cc, List<InternetAddress> bcc,
            Instant date, String messageId, String inReplyTo, String references, String autocrypt) {
        Headers(InternetAddress from, List<InternetAddress> to, List<InternetAddress> cc, List<InternetAddress> bcc,
                Instant date, String messageId, String inReplyTo, String references) {
            this(from, to, cc, bcc, date, messageId, inReplyTo, references, null);
        }
    }

    private PgpMimeWriter() {
    }

    static byte[] write(Headers headers, String armored, String encryptedSubject, boolean withBcc) {
        StringBuilder out = new StringBuilder(armored.length() + 2048);
        header(out, "From", headers.from().toString());
        addresses(out, "To", headers.to());
        addresses(out, "Cc", headers.cc());
        if (withBcc) {
            addresses(out, "Bcc", headers.bcc());
        }
        header(out, "Date", new MailDateFormat().format(Date.from(headers.date())));
        header(out, "Message-ID", headers.messageId());
        if (headers.inReplyTo() != null && !headers.inReplyTo().isBlank()) {
            header(out, "In-Reply-To", headers.inReplyTo());
        }
        if (headers.references() != null && !headers.references().isBlank()) {
            header(out, "References", headers.references());
        }
        if (headers.autocrypt() != null) {
            header(out, "Autocrypt", headers.autocrypt()); // keys/AutocryptHeader: already folded
        }
        header(out, "Subject", HIDDEN_SUBJECT);
        header(out, "Essaim-Encrypted-Subject", fold(encryptedSubject));
        header(out, "MIME-Version", "1.0");
        String boundary = "essaim-pgp-" + HexFormat.of().formatHex(randomBytes());
        header(out, "Content-Type", "multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n boundary=\""
                + boundary + "\"");
        out.append("\r\n");
        out.append("This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\r\n");
        out.append("--").append(boundary).append("\r\n");
        out.append("Content-Type: application/pgp-encrypted\r\n");
        out.append("Content-Description: PGP/MIME version identification\r\n\r\n");
        out.append("Version: 1\r\n\r\n");
        out.append("--").append(boundary).append("\r\n");
        out.append("Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n");
        out.append("Content-Description: OpenPGP encrypted message\r\n");
        out.append("Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n");
        out.append(armored.replace("\r\n", "\n").replace("\n", "\r\n"));
        if (!armored.endsWith("\n")) {
            out.append("\r\n");
        }
        out.append("\r\n--").append(boundary).append("--\r\n");
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A fresh Message-ID at the sender's domain. */
    static String newMessageId(String senderAddress) {
        String domain = senderAddress.substring(senderAddress.lastIndexOf('@') + 1);
        return "<" + HexFormat.of().formatHex(randomBytes()) + "@" + domain + ">";
    }

    /** 76-character lines joined by CRLF + one space, as the Essaim-Encrypted-Subject contract says. */
    static String fold(String value) {
        StringBuilder folded = new StringBuilder(value.length() + value.length() / 76 * 3);
        for (int i = 0; i < value.length(); i += 76) {
            if (i > 0) {
                folded.append("\r\n ");
            }
            folded.append(value, i, Math.min(value.length(), i + 76));
        }
        return folded.toString();
    }

    private static void addresses(StringBuilder out, String name, List<InternetAddress> addresses) {
        if (!addresses.isEmpty()) {
            header(out, name, InternetAddress.toString(addresses.toArray(InternetAddress[]::new), name.length() + 2));
        }
    }

    private static void header(StringBuilder out, String name, String value) {
        out.append(name).append(": ").append(value).append("\r\n");
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
