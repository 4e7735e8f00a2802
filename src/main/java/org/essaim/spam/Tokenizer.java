package org.essaim.spam;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a message's text into the set of tokens the classifier counts (each token once per message, as SpamBayes
 * does). A browser-side copy must follow these rules line by line, and the shipped model must be retrained when
 * they change (docs/spam.md says how).
 * <ul>
 * <li>Header tokens carry a prefix: subject words ({@code s:}), sender address and domain, display-name words,
 * the top content type and the types of non-text parts.</li>
 * <li>Body words of 3 to 12 characters, lower case, with punctuation trimmed at both ends; longer words count only
 * as their first letter and length in tens ({@code skip:c 20}), so base64 blobs and URLs do not flood the table.</li>
 * <li>Links (in text, and in HTML attributes) count as their host name and its last two labels.</li>
 * <li>Shape tokens, never words: HTML tags and tag.attribute names, the MIME tree (type and transfer encoding of
 * each part), the form of To, Message-ID and Date, whether links point to the sender's domain, a shouting or money
 * subject. The classifier lets only a few of them count ({@link FisherClassifier#MAX_SHAPE_CLUES}).</li>
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
    private static final Pattern HTML_TAG = Pattern.compile("<\\s*(/?)([a-zA-Z][a-zA-Z0-9]{0,15})([^>]{0,500})>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]{1,20})\\s*=");
    private static final Pattern IP_HOST = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final int MAX_TAGS = 2000;
    private static final Pattern DATE_ZONE = Pattern.compile("([+-]\\d{4}|[A-Z]{2,4})\\s*(\\(.*\\))?$");

    /** Prefixes of the tokens that describe a message's form (see {@link #isShape}). */
    private static final List<String> SHAPE_PREFIXES = List.of("tag:", "attr:", "mime:", "html:", "to:", "mid:", "date:",
            "links:", "subject:", "body:", "h:", "ct:", "part:", "charset:");

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
            String clipped = clip(html, budget);
            htmlShape(clipped, tokens);
            budget = body(TAG.matcher(clipped).replaceAll(" "), budget, tokens);
        }
        mimeShape(text, tokens);
        headerShape(text, tokens);
        subjectShape(text.subject(), tokens);
        linkShape(text, tokens);
        return tokens;
    }

    /** Tokens that describe the message's form rather than its words: strongly correlated with each other. */
    static boolean isShape(String token) {
        for (String prefix : SHAPE_PREFIXES) {
            if (token.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** HTML's shape: which tags and attributes it uses, and where its links and images point (hrefs are not text). */
    private static void htmlShape(String html, Set<String> tokens) {
        Matcher url = URL.matcher(html);
        while (url.find()) {
            link(url.group(1), tokens);
        }
        Matcher tag = HTML_TAG.matcher(html);
        for (int count = 0; count < MAX_TAGS && tag.find(); count++) {
            if (!tag.group(1).isEmpty()) {
                continue;
            }
            String name = tag.group(2).toLowerCase(Locale.ROOT);
            tokens.add("tag:" + name);
            Matcher attribute = ATTRIBUTE.matcher(tag.group(3));
            while (attribute.find()) {
                tokens.add("attr:" + name + "." + attribute.group(1).toLowerCase(Locale.ROOT));
            }
        }
        if (html.contains("<!--")) {
            tokens.add("html:comment");
        }
        if (html.contains("&#")) {
            tokens.add("html:numeric-entity");
        }
    }

    /** The MIME tree: each part's type with its transfer encoding, and how many parts. */
    private static void mimeShape(MessageText text, Set<String> tokens) {
        for (String part : text.structure()) {
            tokens.add("mime:" + part.substring(part.indexOf(':') + 1));
        }
        tokens.add("mime:parts " + Math.min(text.structure().size(), 10));
    }

    /** Shapes of sender-written headers (never their values, except the few that name software). */
    private static void headerShape(MessageText text, Set<String> tokens) {
        String to = text.headers().getOrDefault("to", null);
        if (to == null) {
            tokens.add("to:none");
        } else {
            int addresses = to.split(",").length;
            tokens.add("to:count " + Math.min(addresses, 5));
            if (to.toLowerCase(Locale.ROOT).contains("undisclosed")) {
                tokens.add("to:undisclosed");
            }
            if (!text.fromAddress().isEmpty() && to.toLowerCase(Locale.ROOT).contains(text.fromAddress())) {
                tokens.add("to:is-from");
            }
        }
        String id = text.headers().get("message-id");
        if (id != null) {
            int at = id.lastIndexOf('@');
            if (at < 0) {
                tokens.add("mid:no-domain");
            } else {
                String domain = trim(id.substring(at + 1)).toLowerCase(Locale.ROOT);
                tokens.add(domain.indexOf('.') < 0 ? "mid:bare-host" : "mid:dotted");
                if (!text.fromAddress().isEmpty() && text.fromAddress().endsWith(domain)) {
                    tokens.add("mid:from-domain");
                }
            }
        }
        String date = text.headers().get("date");
        if (date != null) {
            String d = date.strip();
            tokens.add(Character.isLetter(d.isEmpty() ? ' ' : d.charAt(0)) ? "date:weekday" : "date:no-weekday");
            Matcher zone = DATE_ZONE.matcher(d);
            if (!zone.find()) {
                tokens.add("date:odd");
            } else {
                char first = zone.group(1).charAt(0);
                tokens.add(first == '+' || first == '-' ? "date:numeric-zone" : "date:zone-name");
            }
        }
        if (text.plainTexts().isEmpty() && !text.htmlTexts().isEmpty()) {
            tokens.add("body:html-only");
        }
    }

    /** Whether the links point to the sender's own domain (newsletters) or only elsewhere (most spam). */
    private static void linkShape(MessageText text, Set<String> tokens) {
        int at = text.fromAddress().lastIndexOf('@');
        String[] labels = at < 0 ? new String[0] : text.fromAddress().substring(at + 1).split("\\.");
        String fromDomain = labels.length >= 2 ? labels[labels.length - 2] + "." + labels[labels.length - 1] : "";
        long domains = tokens.stream().filter(t -> t.startsWith("urldom:")).count();
        if (domains == 0) {
            tokens.add("links:none");
            return;
        }
        tokens.add("links:domains " + Math.min(domains, 5));
        tokens.add(tokens.contains("urldom:" + fromDomain) ? "links:to-sender" : "links:elsewhere");
    }

    /** What a subject looks like: shouting, money, exclamation, and an answer or a forward. */
    private static void subjectShape(String subject, Set<String> tokens) {
        int letters = 0;
        int upper = 0;
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                }
            }
        }
        if (letters >= 6 && upper * 10 >= letters * 7) {
            tokens.add("subject:caps");
        }
        if (subject.contains("!")) {
            tokens.add("subject:!");
        }
        if (subject.contains("$")) {
            tokens.add("subject:$");
        }
        if (subject.matches("(?is)^\\s*(re|fwd?|aw|tr)\\s*:.*")) {
            tokens.add("subject:reply");
        }
        if (subject.isBlank()) {
            tokens.add("subject:empty");
        }
    }

    private static void link(String host, Set<String> tokens) {
        String lower = host.toLowerCase(Locale.ROOT);
        tokens.add("url:" + lower);
        if (IP_HOST.matcher(lower).matches()) {
            tokens.add("url:ip-address");
            return;
        }
        String[] labels = lower.split("\\.");
        if (labels.length >= 2) {
            tokens.add("urldom:" + labels[labels.length - 2] + "." + labels[labels.length - 1]);
        }
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
            link(url.group(1), tokens);
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
