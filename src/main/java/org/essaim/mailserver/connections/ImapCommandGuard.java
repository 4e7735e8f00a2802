package org.essaim.mailserver.connections;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Looks at an IMAP command as it arrives (its lines so far, literal data skipped) and refuses, before James parses
 * it, what James 3.8.1 handles badly:
 * <ul>
 * <li>a literal size that is not a number ({@code {-1}}, {@code {abc}}, {@code {99999999999999999999}}): James sent
 * {@code + Ok} first and then gave no answer at all;</li>
 * <li>a literal larger than the server accepts: James sent {@code + Ok}, so the client sent its 30 MB, and only then
 * failed and dropped the connection. Now the client is told first: {@code NO [TOOBIG]} for APPEND (RFC 7889), BAD
 * otherwise;</li>
 * <li>a literal larger than a login needs before the client has logged in: James accepted and buffered
 * {@code LOGIN {45000000}} from anyone (30 such connections exhausted the memory);</li>
 * <li>parentheses nested deeper than any real command needs: a SEARCH with 10 000 of them overflowed James' parser's
 * stack ({@code StackOverflowError}).</li>
 * </ul>
 * A refused literal announced as non-synchronizing ({@code {n+}}, RFC 7888) is already on its way: the connection is
 * closed after the answer, as RFC 7888 allows.
 */
final class ImapCommandGuard {

    /** Parentheses: real SEARCH/FETCH commands nest a handful; each level costs stack in James' parser. */
    static final int MAX_NESTING = 100;
    /** A literal before login can only be a user name or password: a few KB is plenty. */
    static final int MAX_LITERAL_BEFORE_LOGIN = 8 * 1024;
    private static final Pattern LITERAL_SIZE = Pattern.compile("[0-9]{1,10}\\+?");

    /** The answer to a refused command, and whether the connection must be closed after it. */
    record Refusal(String response, boolean close) {
    }

    /**
     * What the guard found: a refusal, or nothing to refuse; and whether the command now waits for the data of a
     * synchronizing literal (the client waits for "+" before sending it).
     */
    record Verdict(Optional<Refusal> refusal, boolean awaitsSynchronizingLiteral) {
        static final Verdict ACCEPTED = new Verdict(Optional.empty(), false);

        static Verdict refused(String response, boolean close) {
            return new Verdict(Optional.of(new Refusal(response, close)), false);
        }
    }

    private ImapCommandGuard() {
    }

    /**
     * @param command          the bytes of the command received so far, from its first byte
     * @param authenticated    whether the session has logged in
     * @param maxLiteralSize   the server's literal (message) size limit, 0 for none
     */
    static Verdict check(byte[] command, boolean authenticated, long maxLiteralSize) {
        String tag = firstWord(command, 0);
        String name = commandName(command);
        int depth = 0;
        int position = 0;
        while (position < command.length) {
            int lineEnd = indexOf(command, (byte) '\n', position);
            int contentEnd = lineEnd < 0 ? command.length : (lineEnd > position && command[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd);
            boolean quoted = false;
            for (int i = position; i < contentEnd; i++) {
                byte c = command[i];
                if (c == '\\' && quoted) {
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && c == '(') {
                    if (++depth > MAX_NESTING) {
                        return Verdict.refused(bad(tag, "Command too deeply nested (more than " + MAX_NESTING
                                + " levels of parentheses)"), false);
                    }
                } else if (!quoted && c == ')') {
                    depth = Math.max(0, depth - 1);
                }
            }
            if (lineEnd < 0) {
                return Verdict.ACCEPTED; // the rest of this line has not arrived yet
            }
            Optional<String> literal = literalSpec(command, position, contentEnd);
            if (literal.isEmpty()) {
                return Verdict.ACCEPTED; // the command ends with this line
            }
            String spec = literal.get();
            boolean nonSynchronizing = spec.endsWith("+");
            if (!LITERAL_SIZE.matcher(spec).matches()) {
                return Verdict.refused(bad(tag, "Invalid literal size {" + printable(spec) + "}: a number of octets "
                        + "is expected"), spec.contains("+"));
            }
            long size = Long.parseLong(nonSynchronizing ? spec.substring(0, spec.length() - 1) : spec);
            if (size > Integer.MAX_VALUE || (maxLiteralSize > 0 && size > maxLiteralSize)) {
                String limit = maxLiteralSize > 0 ? " (the limit is " + maxLiteralSize + " octets)" : "";
                String response = "APPEND".equals(name)
                        ? tag + " NO [TOOBIG] Message too large" + limit
                        : bad(tag, "Literal too large" + limit);
                return Verdict.refused(response, nonSynchronizing);
            }
            if (!authenticated && size > MAX_LITERAL_BEFORE_LOGIN) {
                return Verdict.refused(bad(tag, "Literal too large before login (at most "
                        + MAX_LITERAL_BEFORE_LOGIN + " octets)"), nonSynchronizing);
            }
            long dataEnd = (long) lineEnd + 1 + size;
            if (dataEnd > command.length) {
                // still on its way; nothing of it yet right after its announcement: the client waits for "+"
                return new Verdict(Optional.empty(), !nonSynchronizing && lineEnd + 1 == command.length);
            }
            position = (int) dataEnd;
        }
        return Verdict.ACCEPTED;
    }

    /** The text between the last '{' and a '}' that ends the line, if the line announces a literal. */
    private static Optional<String> literalSpec(byte[] command, int lineStart, int contentEnd) {
        if (contentEnd <= lineStart || command[contentEnd - 1] != '}') {
            return Optional.empty();
        }
        for (int i = contentEnd - 2; i >= lineStart; i--) {
            if (command[i] == '{') {
                return Optional.of(new String(command, i + 1, contentEnd - 1 - (i + 1), StandardCharsets.ISO_8859_1));
            }
            if (command[i] == ' ' || command[i] == '"') {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String commandName(byte[] command) {
        int afterTag = indexOf(command, (byte) ' ', 0);
        if (afterTag < 0) {
            return "";
        }
        String name = firstWord(command, afterTag + 1).toUpperCase(Locale.ROOT);
        if ("UID".equals(name)) {
            int afterUid = indexOf(command, (byte) ' ', afterTag + 1);
            return afterUid < 0 ? name : firstWord(command, afterUid + 1).toUpperCase(Locale.ROOT);
        }
        return name;
    }

    private static String firstWord(byte[] command, int from) {
        int end = from;
        while (end < command.length && command[end] != ' ' && command[end] != '\r' && command[end] != '\n') {
            end++;
        }
        return new String(command, from, end - from, StandardCharsets.ISO_8859_1);
    }

    private static String bad(String tag, String text) {
        return (isTag(tag) ? tag : "*") + " BAD " + text;
    }

    /** RFC 3501 tag: ASTRING-CHAR except '+'. */
    private static boolean isTag(String tag) {
        if (tag.isEmpty() || tag.length() > 64) {
            return false;
        }
        for (char c : tag.toCharArray()) {
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\+]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String text) {
        String shown = text.length() > 24 ? text.substring(0, 24) + "..." : text;
        return shown.replaceAll("[^\\x21-\\x7e]", "?");
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
