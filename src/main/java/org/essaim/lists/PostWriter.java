package org.essaim.lists;

import java.io.ByteArrayOutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;

/**
 * Turns a post into what the list sends: From rewritten to the list with Reply-To the author, always (so authors
 * whose domain publishes a strict DMARC policy still reach every member: the list's own domain signs it), the
 * subject prefix, the RFC 2369/2919 headers, and the footer. The footer goes at the end of a plain-text body, or
 * else into a part of its own after the original content, which stays byte for byte as it came: the signature of a
 * PGP/MIME-signed post still verifies. What the archive must not show (Received lines, with their IP addresses;
 * the arrival checks; DKIM signatures the rewrite breaks) is taken out.
 */
final class PostWriter {
    /** Fields the list drops from a post (the list writes its own From, Reply-To, Subject, List-*). */
    private static final Set<String> DROPPED = Set.of("received", "return-path", "delivered-to", "dkim-signature",
            "arc-seal", "arc-message-signature", "arc-authentication-results", "authentication-results",
            "received-spf", "x-originating-ip", "x-spam-score", "x-spam-status", "x-spam-reasons", "x-spam-engine",
            "from", "reply-to", "sender", "subject", "precedence", "errors-to", "list-id", "list-post", "list-help",
            "list-subscribe", "list-unsubscribe", "list-unsubscribe-post", "list-archive", "list-owner", "x-essaim-list");
    /** Fields that describe the content: they move into the first part when the footer needs a part of its own. */
    private static final Set<String> CONTENT_FIELDS = Set.of("content-type", "content-transfer-encoding",
            "content-disposition", "content-description", "content-id", "content-language", "content-md5");

    private PostWriter() {
    }

    /** The author of a post, as its From field says. */
    record Author(String address, String displayName, String rawFrom) { }

    static Optional<Author> authorOf(RawPost post) {
        return post.first("From").flatMap(from -> {
            try {
                InternetAddress[] addresses = InternetAddress.parseHeader(MimeUtility.unfold(from), false);
                if (addresses.length == 0 || addresses[0].getAddress() == null) {
                    return Optional.empty();
                }
                InternetAddress first = addresses[0];
                String display = first.getPersonal() == null ? "" : first.getPersonal();
                return Optional.of(new Author(first.getAddress().toLowerCase(Locale.ROOT), display, from));
            } catch (AddressException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * The post as the list sends it, without the per-member List-Unsubscribe (see {@link #forMember}).
     *
     * @param footer plain text (UTF-8; in several languages it is not ASCII); empty for none (e.g. an encrypted post)
     */
    static byte[] listCopy(RawPost post, MailingList list, Author author, ListSettings settings, String footer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(post.body().length + 4096);
        out.writeBytes(RawPost.field("From", fromField(list, author)));
        out.writeBytes(RawPost.field("Reply-To", author.rawFrom()));
        out.writeBytes(RawPost.field("Subject", subject(post.first("Subject").orElse(""), list.subjectPrefix())));
        out.writeBytes(RawPost.field("List-Id", listId(list)));
        out.writeBytes(RawPost.field("List-Post", "<mailto:" + list.address() + ">"));
        out.writeBytes(RawPost.field("List-Help", "<" + settings.listPageUrl(list.address()) + ">, <mailto:"
                + list.commandAddress("owner") + "?subject=help>"));
        out.writeBytes(RawPost.field("List-Subscribe", "<mailto:" + list.commandAddress("subscribe")
                + ">, <" + settings.listPageUrl(list.address()) + ">"));
        out.writeBytes(RawPost.field("List-Owner", "<mailto:" + list.commandAddress("owner") + ">"));
        if (list.archive() != MailingList.Archive.NONE) {
            out.writeBytes(RawPost.field("List-Archive", "<" + settings.archiveUrl(list.address()) + ">"));
        }
        out.writeBytes(RawPost.field("Precedence", "list"));
        boolean wrap = !footer.isEmpty() && !footerFitsInBody(post);
        boolean widen = !footer.isEmpty() && !wrap && !isAscii(footer) && !isUtf8In8bit(post);
        for (RawPost.Field field : post.fields()) {
            String name = field.name().toLowerCase(Locale.ROOT);
            if (DROPPED.contains(name) || ((wrap || widen) && (CONTENT_FIELDS.contains(name) || name.equals("mime-version")))) {
                continue;
            }
            out.writeBytes(field.raw());
        }
        if (widen) {
            writeWidenedContentFields(out, post);
        }
        if (footer.isEmpty()) {
            out.writeBytes(new byte[] {'\r', '\n'});
            out.writeBytes(post.body());
        } else if (!wrap) {
            out.writeBytes(new byte[] {'\r', '\n'});
            out.writeBytes(post.body());
            byte[] body = post.body();
            if (body.length > 0 && body[body.length - 1] != '\n') {
                out.writeBytes(new byte[] {'\r', '\n'});
            }
            out.writeBytes(("-- \r\n" + footer + "\r\n").getBytes(StandardCharsets.UTF_8));
        } else {
            writeWrapped(out, post, footer);
        }
        return out.toByteArray();
    }

    /** The copy for one member: the list copy with that member's own one-click unsubscribe (RFC 8058). */
    static byte[] forMember(byte[] listCopy, MailingList list, String unsubscribeUrl) {
        byte[] fields = (RawPost.fieldString("List-Unsubscribe", "<mailto:" + list.commandAddress("unsubscribe")
                + ">, <" + unsubscribeUrl + ">") + RawPost.fieldString("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
                .getBytes(StandardCharsets.US_ASCII);
        byte[] copy = new byte[fields.length + listCopy.length];
        System.arraycopy(fields, 0, copy, 0, fields.length);
        System.arraycopy(listCopy, 0, copy, fields.length, listCopy.length);
        return copy;
    }

    /** The archive's copy: unsubscribing by mail only (no member's token in a public file). */
    static byte[] forArchive(byte[] listCopy, MailingList list) {
        byte[] field = RawPost.fieldString("List-Unsubscribe", "<mailto:" + list.commandAddress("unsubscribe") + ">")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] copy = new byte[field.length + listCopy.length];
        System.arraycopy(field, 0, copy, 0, field.length);
        System.arraycopy(listCopy, 0, copy, field.length, listCopy.length);
        return copy;
    }

    static String listId(MailingList list) {
        String description = list.description().replaceAll("[\\r\\n\"\\\\]", " ").strip();
        String id = "<" + list.name() + "." + list.domain() + ">";
        return description.isEmpty() ? id : "\"" + encodeIfNeeded(description) + "\" " + id;
    }

    private static String fromField(MailingList list, Author author) {
        String who = author.displayName().isBlank() ? author.address().replace("@", " at ") : author.displayName();
        try {
            return new InternetAddress(list.address(), who + " via " + list.name(), "UTF-8").toString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String subject(String rawSubject, String prefix) {
        if (prefix.isBlank()) {
            return rawSubject;
        }
        String decoded;
        try {
            decoded = MimeUtility.decodeText(rawSubject);
        } catch (UnsupportedEncodingException e) {
            decoded = rawSubject;
        }
        if (decoded.contains(prefix)) { // a reply keeps the one prefix it has
            return rawSubject;
        }
        return encodeIfNeeded(prefix) + " " + rawSubject;
    }

    private static String encodeIfNeeded(String text) {
        try {
            return MimeUtility.encodeText(text, "UTF-8", "Q");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain-text body in 7bit/8bit US-ASCII or UTF-8 takes the footer at its end; anything else gets a part. */
    private static boolean footerFitsInBody(RawPost post) {
        if (!post.mediaType().equals("text/plain")) {
            return false;
        }
        String encoding = post.first("Content-Transfer-Encoding").orElse("7bit").toLowerCase(Locale.ROOT);
        String charset = post.contentTypeParameter("charset").orElse("us-ascii");
        return (encoding.equals("7bit") || encoding.equals("8bit"))
                && (charset.equals("us-ascii") || charset.equals("utf-8"));
    }

    private static boolean isAscii(String text) {
        return StandardCharsets.US_ASCII.newEncoder().canEncode(text);
    }

    private static boolean isUtf8In8bit(RawPost post) {
        return post.first("Content-Transfer-Encoding").orElse("7bit").equalsIgnoreCase("8bit")
                && post.contentTypeParameter("charset").orElse("us-ascii").equals("utf-8");
    }

    /**
     * A US-ASCII (or 7bit) plain-text body is already UTF-8: declaring it so, 8bit, lets a non-ASCII footer (French)
     * follow it without wrapping the post in a multipart. The text's own bytes and its other parameters (format=flowed)
     * stay as they are; only the content fields of the post, which no signature covers here, are rewritten.
     */
    private static void writeWidenedContentFields(ByteArrayOutputStream out, RawPost post) {
        for (RawPost.Field field : post.fields()) {
            if (CONTENT_FIELDS.contains(field.name().toLowerCase(Locale.ROOT)) && !field.is("Content-Type")
                    && !field.is("Content-Transfer-Encoding")) {
                out.writeBytes(field.raw());
            }
        }
        String type = post.first("Content-Type").orElse("text/plain");
        String widened = type.matches("(?is).*;\\s*charset\\s*=.*")
                ? type.replaceAll("(?i)(;\\s*)charset\\s*=\\s*(\"[^\"]*\"|[^;\\s]*)", "$1charset=utf-8")
                : type + "; charset=utf-8";
        out.writeBytes(RawPost.field("MIME-Version", "1.0"));
        out.writeBytes(RawPost.field("Content-Type", widened));
        out.writeBytes(RawPost.field("Content-Transfer-Encoding", "8bit"));
    }

    private static void writeWrapped(ByteArrayOutputStream out, RawPost post, String footer) {
        String boundary = "essaim-list-" + UUID.randomUUID();
        ascii(out, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n");
        ascii(out, "--" + boundary + "\r\n");
        boolean hasContentType = false;
        for (RawPost.Field field : post.fields()) {
            if (CONTENT_FIELDS.contains(field.name().toLowerCase(Locale.ROOT))) {
                hasContentType |= field.is("Content-Type");
                out.writeBytes(field.raw());
            }
        }
        if (!hasContentType) {
            ascii(out, "Content-Type: text/plain; charset=us-ascii\r\n");
        }
        ascii(out, "\r\n");
        out.writeBytes(post.body());
        boolean ascii = isAscii(footer);
        out.writeBytes(("\r\n--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=" + (ascii ? "us-ascii" : "utf-8") + "\r\n"
                + (ascii ? "" : "Content-Transfer-Encoding: 8bit\r\n")
                + "Content-Disposition: inline\r\n"
                + "Content-Description: list footer\r\n"
                + "\r\n" + footer + "\r\n"
                + "--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
