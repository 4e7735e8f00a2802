package org.essaim.spam;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fixed rules of the embedded filter that read the message itself: GTUBE, the standard test string every spam
 * filter must refuse, and header sanity (what RFC 5322 requires of every sender, and what careless bulk mailers
 * leave out or get wrong). Points are small except for GTUBE: one missing header alone never junks a message.
 */
final class ContentRules {
    static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private static final byte[] GTUBE_BYTES = GTUBE.getBytes(StandardCharsets.US_ASCII);
    static final double GTUBE_POINTS = 1000;

    private ContentRules() {
    }

    static List<Reason> apply(byte[] raw, MessageText text) {
        List<Reason> reasons = new ArrayList<>();
        if (contains(raw, GTUBE_BYTES) || text.plainTexts().stream().anyMatch(t -> t.contains(GTUBE))) {
            reasons.add(new Reason("GTUBE", GTUBE_POINTS));
        }
        String headers = headerBlock(raw);
        if (!hasHeader(headers, "date")) {
            reasons.add(new Reason("MISSING_DATE", 1.0));
        } else if (dateInFuture(headerValue(headers, "date"))) {
            reasons.add(new Reason("DATE_IN_FUTURE", 1.0));
        }
        if (!hasHeader(headers, "message-id")) {
            reasons.add(new Reason("MISSING_MESSAGE_ID", 1.0));
        }
        if (!hasHeader(headers, "from")) {
            reasons.add(new Reason("MISSING_FROM", 2.0));
        } else if (text.fromAddress().isEmpty() || text.fromAddress().indexOf('@') <= 0) {
            reasons.add(new Reason("FROM_NOT_AN_ADDRESS", 1.5));
        }
        if (!hasHeader(headers, "subject")) {
            reasons.add(new Reason("MISSING_SUBJECT", 0.5));
        }
        return reasons;
    }

    /** The header section, up to the first empty line (at most 64 KiB are looked at). */
    static String headerBlock(byte[] raw) {
        int limit = Math.min(raw.length, 65_536);
        for (int i = 0; i + 1 < limit; i++) {
            if (raw[i] == '\n' && (raw[i + 1] == '\n' || (raw[i + 1] == '\r' && i + 2 < limit && raw[i + 2] == '\n'))) {
                return "\n" + new String(raw, 0, i + 1, StandardCharsets.ISO_8859_1);
            }
        }
        return "\n" + new String(raw, 0, limit, StandardCharsets.ISO_8859_1);
    }

    private static boolean hasHeader(String headers, String name) {
        return headers.toLowerCase(Locale.ROOT).contains("\n" + name + ":");
    }

    private static String headerValue(String headers, String name) {
        int start = headers.toLowerCase(Locale.ROOT).indexOf("\n" + name + ":");
        int end = headers.indexOf('\n', start + 1);
        return headers.substring(start + name.length() + 2, end < 0 ? headers.length() : end).trim();
    }

    private static boolean dateInFuture(String value) {
        try {
            String cleaned = value.replaceAll("\\s*\\([^)]*\\)\\s*$", "").replaceAll("\\s+", " ");
            ZonedDateTime date = ZonedDateTime.parse(cleaned, DateTimeFormatter.RFC_1123_DATE_TIME);
            return date.isAfter(ZonedDateTime.now().plusDays(2));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
