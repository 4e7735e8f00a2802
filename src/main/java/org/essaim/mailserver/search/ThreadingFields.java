package org.essaim.mailserver.search;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mailbox.MessageUid;

/**
 * What RFC 5256 threading needs of one message, from its outer headers: Message-ID, the References chain (or the
 * first In-Reply-To id), the base subject, whether the subject marked a reply or forward, and the sent date.
 * The subject of encrypted mail is a placeholder ("..." by Essaim, Thunderbird and others): it counts as empty, so
 * unrelated encrypted messages are not gathered into one thread by subject.
 */
public record ThreadingFields(MessageUid uid, String messageId, List<String> references, String baseSubject,
                              boolean reply, Date sentDate) {
    private static final Pattern MESSAGE_ID = Pattern.compile("<([^<>\\s]+)>");
    private static final Pattern REPLY = Pattern.compile(
            "(?i)^\\s*(\\[[^\\]]*\\]\\s*)*(re|fwd?)\\s*(\\[[^\\]]*\\])?\\s*:|\\(fwd\\)\\s*$");
    private static final String PLACEHOLDER = "...";

    static ThreadingFields of(ScannedMessage message, Date sentDate) {
        OuterHeaders headers = message.headers();
        List<String> ids = ids(headers.first("Message-ID"));
        List<String> references = ids(String.join(" ", headers.values("References")));
        if (references.isEmpty()) {
            List<String> inReplyTo = ids(headers.first("In-Reply-To"));
            if (!inReplyTo.isEmpty()) {
                references = List.of(inReplyTo.get(0));
            }
        }
        String subject = headers.first("Subject");
        String base = SortKeys.baseSubject(subject);
        if (base.equals(PLACEHOLDER)) {
            base = "";
        }
        boolean reply = subject != null && REPLY.matcher(subject).find();
        return new ThreadingFields(message.uid(), ids.isEmpty() ? null : ids.get(0), references, base, reply, sentDate);
    }

    private static List<String> ids(String header) {
        List<String> ids = new ArrayList<>();
        if (header == null) {
            return ids;
        }
        Matcher matcher = MESSAGE_ID.matcher(header);
        while (matcher.find()) {
            ids.add(matcher.group(1).toLowerCase(Locale.ROOT));
        }
        return ids;
    }
}
