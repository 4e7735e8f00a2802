package org.essaim.spam;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a message's text into the set of tokens the classifier counts (each token once per message, as SpamBayes
 * does). The browser's copy, frontend/spam/essaim-spam-tokenizer.js, follows these rules line by line: change both.
 * <ul>
 * <li>Header tokens carry a prefix: subject words ({@code s:}), sender address and domain, display-name words,
 * the top content type and the types of non-text parts.</li>
 * <li>Body words of 3 to 12 characters, lower case, with punctuation trimmed at both ends; longer words count only
 * as their first letter and length in tens ({@code skip:c 20}), so base64 blobs and URLs do not flood the table.</li>
 * <li>Links count as their host name and its last two labels.</li>
 * </ul>
 */
public final class Tokenizer {
    /** Text beyond this many characters of a message is not read: the verdict's cost stays bounded. */
    static final int MAX_TEXT = 100_000;
    private static final String TRIM = "\"'()[]{}<>,.;:?*-_=#+/\\|`~^&@";
    /** Charsets whose use changed with the years (UTF-8 was rare in 2002): only unusual ones say something. */
    private static final Set<String> COMMON_CHARSETS = Set.of("us-ascii", "utf-8", "iso-8859-1", "iso-8859-15",
            "windows-1252");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern URL = Pattern.compile("(?i)(?:https?|ftp)://([a-z0-9.-]+)");

    private Tokenizer() {
    }

    public static Set<String> tokens(MessageText text) {
        Set<String> tokens = new LinkedHashSet<>();
        words(text.subject(), "s:", tokens);
        if (!text.fromAddress().isEmpty()) {
            tokens.add("from:" + text.fromAddress());
            int at = text.fromAddress().lastIndexOf('@');
            if (at >= 0) {
                tokens.add("fromdom:" + text.fromAddress().substring(at + 1));
            }
        } else {
            tokens.add("from:none");
        }
        words(text.fromName(), "fn:", tokens);
        tokens.add("ct:" + text.contentType());
        text.headers().forEach((name, value) -> {
            tokens.add("h:" + name);
            switch (name) {
                case "x-mailer", "user-agent" -> words(value, "xm:", tokens);
                case "x-priority", "x-msmail-priority", "importance", "precedence", "content-transfer-encoding" ->
                        tokens.add(name + ":" + trim(value.strip()).toLowerCase(Locale.ROOT));
                case "reply-to" -> {
                    int at = value.lastIndexOf('@');
                    tokens.add("rt:" + (at < 0 ? "" : trim(value.substring(at + 1)).toLowerCase(Locale.ROOT)));
                }
                default -> { }
            }
        });
        for (String charset : text.charsets()) {
            if (!COMMON_CHARSETS.contains(charset)) {
                tokens.add("charset:" + charset);
            }
        }
        for (String type : text.otherParts()) {
            tokens.add("part:" + type);
        }
        int budget = MAX_TEXT;
        for (String plain : text.plainTexts()) {
            budget = body(plain, budget, tokens);
        }
        for (String html : text.htmlTexts()) {
            tokens.add("part:html");
            budget = body(TAG.matcher(clip(html, budget)).replaceAll(" "), budget, tokens);
        }
        return tokens;
    }

    private static String clip(String text, int budget) {
        return text.length() > budget ? text.substring(0, Math.max(0, budget)) : text;
    }

    private static int body(String text, int budget, Set<String> tokens) {
        if (budget <= 0) {
            return 0;
        }
        String clipped = clip(text, budget);
        Matcher url = URL.matcher(clipped);
        while (url.find()) {
            String host = url.group(1).toLowerCase(Locale.ROOT);
            tokens.add("url:" + host);
            String[] labels = host.split("\\.");
            if (labels.length >= 2) {
                tokens.add("urldom:" + labels[labels.length - 2] + "." + labels[labels.length - 1]);
            }
        }
        words(clipped, "", tokens);
        return budget - clipped.length();
    }

    private static void words(String text, String prefix, Set<String> tokens) {
        for (String raw : WHITESPACE.split(text)) {
            String word = trim(raw).toLowerCase(Locale.ROOT);
            int length = word.length();
            if (length < 3) {
                continue;
            }
            if (length > 12) {
                tokens.add(prefix + "skip:" + word.charAt(0) + " " + (length / 10 * 10));
            } else {
                tokens.add(prefix + word);
            }
        }
    }

    private static String trim(String word) {
        int start = 0;
        int end = word.length();
        while (start < end && TRIM.indexOf(word.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && TRIM.indexOf(word.charAt(end - 1)) >= 0) {
            end--;
        }
        return word.substring(start, end);
    }
}
