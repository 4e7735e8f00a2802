package org.essaim.mailserver.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * The header section of a stored message as the server sees it: for encrypted mail these are the outer headers
 * only (From, To, Cc, Date, Message-ID, References, the placeholder Subject), never the protected ones inside the
 * ciphertext. Values are unfolded and their RFC 2047 encoded-words decoded; raw 8-bit bytes (RFC 6532) are read
 * as UTF-8, so a search for "Åström" finds a header written either way.
 */
final class OuterHeaders {
    private final List<String[]> fields;

    private OuterHeaders(List<String[]> fields) {
        this.fields = fields;
    }

    static OuterHeaders parse(byte[] headerSection) {
        String text = new String(headerSection, StandardCharsets.UTF_8);
        List<String[]> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.split("\r?\n", -1)) {
            if (line.isEmpty()) {
                break; // end of the header section
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(line); // folded continuation: unfold (the CRLF goes, the blank stays)
                continue;
            }
            add(fields, current);
            current = new StringBuilder(line);
        }
        add(fields, current);
        return new OuterHeaders(fields);
    }

    private static void add(List<String[]> fields, StringBuilder field) {
        if (field == null) {
            return;
        }
        int colon = field.indexOf(":");
        if (colon <= 0) {
            return; // not a header field (a broken line): nothing to search in
        }
        String name = field.substring(0, colon).trim();
        String value = DecoderUtil.decodeEncodedWords(field.substring(colon + 1).trim(), DecodeMonitor.SILENT);
        fields.add(new String[] {name, value});
    }

    /** Every value of the named field, in order (names compared without case). */
    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase(name)) {
                values.add(field[1]);
            }
        }
        return values;
    }

    /** The first value of the named field, or null. */
    String first(String name) {
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase(name)) {
                return field[1];
            }
        }
        return null;
    }

    boolean has(String name) {
        return first(name) != null;
    }

    /** RFC 3501 SEARCH semantics: a case-insensitive substring of some value of the field. */
    boolean contains(String name, String text) {
        String wanted = text.toLowerCase(Locale.ROOT);
        return values(name).stream().anyMatch(value -> value.toLowerCase(Locale.ROOT).contains(wanted));
    }

    /** TEXT on the headers: the substring in any field, name or value. */
    boolean anyContains(String text) {
        String wanted = text.toLowerCase(Locale.ROOT);
        return fields.stream().anyMatch(field -> (field[0] + ": " + field[1]).toLowerCase(Locale.ROOT).contains(wanted));
    }
}
