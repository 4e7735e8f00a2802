package org.essaim.mailserver.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.essaim.support.LineClient;

/** A raw IMAP session over implicit TLS, as a test client sees it: each command's lines up to its tagged answer. */
final class ImapSession implements AutoCloseable {
    private final LineClient client;
    private final String greeting;
    private int tag;

    private ImapSession(LineClient client) {
        this.client = client;
        this.greeting = client.readLine();
    }

    static ImapSession open(int imapsPort) {
        return new ImapSession(LineClient.connectTls(imapsPort));
    }

    static ImapSession login(int imapsPort, String user, String password) {
        ImapSession session = open(imapsPort);
        assertThat(session.tagged("LOGIN \"" + user + "\" \"" + password + "\"")).startsWith("OK");
        return session;
    }

    String greeting() {
        return greeting;
    }

    /** Sends one command; returns every line of the answer, the tagged one last (without its tag). */
    List<String> command(String command) {
        String t = "T" + (++tag);
        client.send(t + " " + command);
        List<String> lines = Arrays.asList(client.readImapUntilTagged(t).split("\n"));
        String last = lines.get(lines.size() - 1);
        lines.set(lines.size() - 1, last.substring(t.length() + 1));
        return lines;
    }

    /** The tagged answer only ("OK ...", "NO ...", "BAD ..."). */
    String tagged(String command) {
        List<String> lines = command(command);
        return lines.get(lines.size() - 1);
    }

    /** The numbers of the untagged {@code * SEARCH} / {@code * SORT} answer of a command. */
    List<Long> numbers(String command, String response) {
        List<String> lines = command(command);
        assertThat(lines.get(lines.size() - 1)).as(command).startsWith("OK");
        String prefix = "* " + response;
        return lines.stream().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> line.substring(prefix.length()).replaceAll("\\(MODSEQ \\d+\\)", "").trim())
                .map(numbers -> numbers.isEmpty() ? List.<Long>of()
                        : Arrays.stream(numbers.split(" ")).map(Long::parseLong).toList())
                .orElseThrow(() -> new AssertionError(command + " gave no " + response + ": " + lines));
    }

    List<Long> search(String criteria) {
        return numbers("SEARCH " + criteria, "SEARCH");
    }

    /** APPENDs a message (LITERAL+) and returns its UID. */
    long append(String mailbox, String message) {
        return append(mailbox, "", message);
    }

    /** APPENDs a message with flags, e.g. {@code (\\Flagged $Work)}, and returns its UID. */
    long append(String mailbox, String flags, String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        String t = "T" + (++tag);
        client.send(t + " APPEND \"" + mailbox + "\" " + (flags.isEmpty() ? "" : flags + " ") + "{" + bytes.length + "+}");
        client.sendRaw(bytes);
        client.send("");
        String answer = client.readImapUntilTagged(t);
        Matcher uid = Pattern.compile("APPENDUID \\d+ (\\d+)").matcher(answer);
        assertThat(uid.find()).as(answer).isTrue();
        return Long.parseLong(uid.group(1));
    }

    /** Reads whatever the server sends after the last command, until it closes the connection. */
    List<String> readUntilClosed() {
        java.util.ArrayList<String> lines = new java.util.ArrayList<>();
        try {
            while (true) {
                lines.add(client.readLine());
            }
        } catch (RuntimeException closed) {
            return lines;
        }
    }

    /** Writes several commands at once, as a pipelining client does (one write, no waiting). */
    void sendPipelined(String commands) {
        client.sendRaw(commands.getBytes(StandardCharsets.UTF_8));
    }

    /** Every line up to the tagged answer of {@code tag}. */
    List<String> readUntilTagged(String tag) {
        return Arrays.asList(client.readImapUntilTagged(tag).split("\n"));
    }

    void send(String line) {
        client.send(line);
    }

    @Override
    public void close() {
        client.close();
    }
}
