package org.essaim.lists;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * What the archive pages and the search show of a post: subject, author (from Reply-To: the list rewrote From),
 * date and the text of its plain-text parts (HTML-only parts with their tags taken out; attachments and signatures
 * left out).
 */
record PostText(String subject, String authorName, String authorAddress, Optional<Date> date, String text,
                String messageId, List<String> parents) {
    private static final Session SESSION = Session.getInstance(new Properties());

    static PostText of(byte[] bytes) {
        try {
            MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(bytes));
            String subject = Optional.ofNullable(message.getSubject()).orElse("(no subject)");
            String from = message.getHeader("From", ",");
            InternetAddress author = firstAddress(message.getHeader("Reply-To", ","))
                    .or(() -> firstAddress(from))
                    .orElse(new InternetAddress());
            StringBuilder text = new StringBuilder();
            collectText(message, text);
            String messageId = Optional.ofNullable(message.getMessageID()).map(String::strip).orElse("");
            List<String> parents = new ArrayList<>();
            Optional.ofNullable(message.getHeader("In-Reply-To", " ")).ifPresent(v -> parents.addAll(ids(v)));
            Optional.ofNullable(message.getHeader("References", " "))
                    .map(PostText::ids).map(list -> { java.util.Collections.reverse(list); return list; })
                    .ifPresent(parents::addAll);
            return new PostText(subject,
                    Optional.ofNullable(author.getPersonal()).orElse(""),
                    Optional.ofNullable(author.getAddress()).orElse(""),
                    Optional.ofNullable(message.getSentDate()), text.toString(), messageId, parents);
        } catch (MessagingException | IOException e) {
            return new PostText("(unreadable post)", "", "", Optional.empty(), "", "", List.of());
        }
    }

    private static List<String> ids(String value) {
        List<String> ids = new ArrayList<>();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("<[^<>\\s]+>").matcher(value);
        while (matcher.find()) {
            ids.add(matcher.group());
        }
        return ids;
    }

    private static Optional<InternetAddress> firstAddress(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            InternetAddress[] addresses = InternetAddress.parseHeader(header, false);
            return addresses.length == 0 ? Optional.empty() : Optional.of(addresses[0]);
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }

    private static void collectText(Part part, StringBuilder out) throws MessagingException, IOException {
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return;
        }
        if (part.isMimeType("text/plain")) {
            out.append(contentAsText(part)).append('\n');
        } else if (part.isMimeType("text/html")) {
            out.append(contentAsText(part).replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ")
                    .replaceAll("<[^>]*>", " ")).append('\n');
        } else if (part.isMimeType("multipart/alternative")) {
            Multipart multipart = (Multipart) part.getContent();
            BodyPart chosen = null;
            for (int i = 0; i < multipart.getCount(); i++) {
                if (multipart.getBodyPart(i).isMimeType("text/plain") || chosen == null) {
                    chosen = multipart.getBodyPart(i);
                }
            }
            if (chosen != null) {
                collectText(chosen, out);
            }
        } else if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                collectText(multipart.getBodyPart(i), out);
            }
        } else if (part.isMimeType("message/rfc822")) {
            out.append("[forwarded message]\n");
        }
    }

    private static String contentAsText(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof String text) {
            return text;
        }
        if (content instanceof InputStream in) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return "";
    }
}
