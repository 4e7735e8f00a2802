package org.essaim.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise "no client IP address in the logs", tried the hostile way: from 127.0.0.2, every port gets wrong
 * passwords, unknown and malformed commands, overlong lines, connections reset mid-command, and bytes that are not
 * TLS where TLS is expected; the web gets wrong logins, forged Vaadin requests and garbage. Afterwards the log file
 * holds neither 127.0.0.2 nor 127.0.0.1 (the server itself listens on 127.0.0.3, so no address in the log is
 * legitimate), and no stack trace for a reset or a bad handshake. An own instance: its log goes to a file.
 */
class NoClientAddressInLogsTest {

    private static final String CLIENT = "127.0.0.2";
    private static final String SERVER = "127.0.0.3";
    private static final Random RANDOM = new Random(11);

    @TempDir
    static Path dataDir;
    private static EssaimInstance essaim;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.start(dataDir, Map.of(
                "logging.file.name", dataDir.resolve("logs/essaim.log").toString(),
                "essaim.bind-address", SERVER,
                "server.address", SERVER));
        essaim.publishGeneratedKey(EssaimInstance.ADMIN); // so that DATA to the admin is reached
    }

    @AfterAll
    static void stop() {
        essaim.stop();
    }

    @Test
    void hostileSessionsOnEveryPortLeaveNoClientAddressAndNoStackTraceOfAResetInTheLog() throws IOException {
        long logBefore = Files.size(log());

        for (int port : List.of(essaim.smtpPort(), essaim.submissionPort())) {
            smtpNonsense(port);
            smtpResetMidData(port);
            starttlsThenGarbage(port, "EHLO hostile.test", "STARTTLS");
            notTls(port);
        }
        for (int port : List.of(essaim.imapPort(), essaim.imapsPort())) {
            boolean implicitTls = port == essaim.imapsPort();
            imapNonsense(port, implicitTls);
            resetAfter(port, implicitTls, "a1 CAPABILITY");
            notTls(port);
        }
        starttlsThenGarbage(essaim.imapPort(), null, "s STARTTLS");
        for (int port : List.of(essaim.pop3Port(), essaim.pop3sPort())) {
            boolean implicitTls = port == essaim.pop3sPort();
            pop3Nonsense(port, implicitTls);
            resetAfter(port, implicitTls, "CAPA");
            notTls(port);
        }
        starttlsThenGarbage(essaim.pop3Port(), null, "STLS");
        webNonsense();

        String written = logSince(logBefore);
        assertThat(written).as("the hostile sessions were logged (positive control)")
                .contains("UnusableLocalPartRefusal").contains("Invalid security key received from");
        assertThat(linesContaining(written, CLIENT)).as("log lines with the client's address").isEmpty();
        assertThat(linesContaining(written, "127.0.0.1")).as("log lines with a loopback client address").isEmpty();
        assertThat(linesContaining(written, "Connection reset")).as("stack traces of reset connections").isEmpty();
        assertThat(linesContaining(written, "SSLException")).as("stack traces of TLS garbage").isEmpty();
        assertThat(linesContaining(written, "Unable to process request")).isEmpty();
        assertThat(linesContaining(written, "Error while processing imap request")).isEmpty();
    }

    private static void smtpNonsense(int port) {
        try (LineClient smtp = LineClient.connectFrom(CLIENT, SERVER, port, false)) {
            smtp.readSmtpReply();
            for (String command : List.of("EHLO hostile.test", "FOO bar", "MAIL FROM:<unclosed",
                    "MAIL FROM:<someone@example.org>", "RCPT TO:<\"victim@example.net\"@essaim.test>", "RCPT TO:<x@y>",
                    "VRFY root", "AUTH PLAIN " + plain("admin@essaim.test", "wrong"), "NOOP " + "A".repeat(10_000))) {
                smtp.smtp(command);
            }
        }
    }

    private static void smtpResetMidData(int port) {
        try (LineClient smtp = LineClient.connectFrom(CLIENT, SERVER, port, false)) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO hostile.test");
            smtp.smtp("MAIL FROM:<someone@example.org>");
            smtp.smtp("RCPT TO:<" + EssaimInstance.ADMIN + ">");
            smtp.send("DATA");
            smtp.sendRaw("Subject: cut short\r\n\r\nhalf a mess".getBytes(StandardCharsets.US_ASCII));
            reset(smtp.socket());
        }
    }

    /** Commands sent one after the other whatever the answers (James closes the connection on some of them). */
    private static void imapNonsense(int port, boolean implicitTls) {
        for (String command : List.of("a1 FOO", "a2 LOGIN admin@essaim.test wrong", "a3 SELECT INBOX",
                "a4 LOGIN {-1}", "a5 NOOP " + "X".repeat(100_000))) {
            try (LineClient imap = LineClient.connectFrom(CLIENT, SERVER, port, implicitTls)) {
                imap.readLine();
                imap.send(command);
                drain(imap.socket());
            } catch (UncheckedIOException e) {
                // closed by the server: an answer too
            }
        }
    }

    private static void pop3Nonsense(int port, boolean implicitTls) {
        try (LineClient pop3 = LineClient.connectFrom(CLIENT, SERVER, port, implicitTls)) {
            pop3.readLine();
            for (String command : List.of("FOO", "USER admin@essaim.test", "PASS wrong", "RETR 1", "APOP x y",
                    "AUTH PLAIN", "STAT")) {
                pop3.send(command);
                pop3.readLine();
            }
            pop3.send("USER " + "X".repeat(20_000));
            drain(pop3.socket());
        }
    }

    private static void resetAfter(int port, boolean implicitTls, String command) {
        LineClient client = LineClient.connectFrom(CLIENT, SERVER, port, implicitTls);
        client.readLine();
        client.send(command);
        reset(client.socket());
    }

    /** A port that expects TLS (or a greeting reader) gets a broken TLS record, then the connection is reset. */
    private static void notTls(int port) {
        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            out.write(brokenTlsRecord());
            out.flush();
            drain(socket);
            reset(socket);
        } catch (IOException e) {
            // the server may close first: that is a fine answer to garbage
        }
    }

    private static void starttlsThenGarbage(int port, String hello, String starttls) {
        try (LineClient client = LineClient.connectFrom(CLIENT, SERVER, port, false)) {
            client.readLine();
            if (hello != null) {
                client.smtp(hello);
            }
            client.send(starttls);
            client.readLine();
            client.sendRaw(brokenTlsRecord());
            drain(client.socket());
            reset(client.socket());
        } catch (UncheckedIOException e) {
            // closed by the server: fine
        }
    }

    private static void webNonsense() throws IOException {
        http("GET /api/keys/me HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                + Base64.getEncoder().encodeToString("admin@essaim.test:wrong".getBytes(StandardCharsets.UTF_8))
                + "\r\nConnection: close\r\n\r\n");
        String origin = "http://" + SERVER + ":" + essaim.webPort();
        String body = "username=admin%40essaim.test&password=wrong";
        http("POST /login HTTP/1.1\r\nHost: " + SERVER + ":" + essaim.webPort() + "\r\nOrigin: " + origin
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
        // A Vaadin UI, then a request to it with a forged security key ("Invalid security key received from ...").
        String page = http("GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String cookie = first(Pattern.compile("(?im)^Set-Cookie: (JSESSIONID=[^;]+)"), page);
        String init = http("GET /?v-r=init&location=login HTTP/1.1\r\nHost: x\r\nCookie: " + cookie
                + "\r\nConnection: close\r\n\r\n");
        String ui = first(Pattern.compile("\"v-uiId\":(\\d+)"), init);
        String forged = "{\"csrfToken\":\"forged\",\"rpc\":[],\"syncId\":0,\"clientId\":0}";
        http("POST /?v-r=uidl&v-uiId=" + ui + " HTTP/1.1\r\nHost: x\r\nCookie: " + cookie
                + "\r\nContent-Type: application/json\r\nContent-Length: " + forged.length() + "\r\nConnection: close\r\n\r\n"
                + forged);
        http("GET /%%%% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        try (Socket socket = connect(essaim.webPort())) {
            socket.getOutputStream().write(brokenTlsRecord());
            drain(socket);
        }
        try (Socket socket = connect(essaim.webPort())) {
            socket.getOutputStream().write("POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"
                    .getBytes(StandardCharsets.US_ASCII));
            reset(socket);
        }
    }

    private static String http(String request) throws IOException {
        try (Socket socket = connect(essaim.webPort())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(CLIENT, 0));
        socket.connect(new InetSocketAddress(SERVER, port), 15_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Reads what the server says until it closes or falls silent for a second. */
    private static void drain(Socket socket) {
        try {
            socket.setSoTimeout(1_000);
            socket.getInputStream().readAllBytes();
        } catch (SocketTimeoutException e) {
            // silent: fine
        } catch (IOException e) {
            // closed: fine
        }
    }

    /** Closes with a TCP reset (SO_LINGER 0), as a scanner or a dropped client does. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static byte[] brokenTlsRecord() {
        byte[] garbage = new byte[600];
        RANDOM.nextBytes(garbage);
        byte[] header = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc};
        byte[] record = new byte[header.length + garbage.length];
        System.arraycopy(header, 0, record, 0, header.length);
        System.arraycopy(garbage, 0, record, header.length, garbage.length);
        return record;
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in %s", pattern, text.length() > 300 ? text.substring(0, 300) : text).isTrue();
        return matcher.group(1);
    }

    private static Path log() {
        return dataDir.resolve("logs/essaim.log");
    }

    /** The log written since the given size (a few seconds' grace for the server to write what it still has). */
    private static String logSince(long offset) throws IOException {
        try {
            Thread.sleep(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] all = Files.readAllBytes(log());
        return new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
    }

    private static List<String> linesContaining(String text, String needle) {
        return text.lines().filter(line -> line.contains(needle)).toList();
    }
}
