package org.essaim.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.google.common.net.InetAddresses;

/**
 * Password guessing is slowed down on every door together, checked from outside: each door counts a wrong password
 * into the one throttle, refuses even the right password with a clear answer while the throttle says wait, and still
 * lets in a device that logged in before. Clients are told apart by their loopback source address (127.0.x.y).
 * How many guesses an hour get through is measured by PasswordGuessingBenchmark (docs/benchmarks.md).
 */
class PasswordGuessingTest {

    private static final String PASSWORD = "a long and good password 4 guessing";
    private static final AtomicInteger NEXT_CLIENT = new AtomicInteger(1);

    private static EssaimInstance essaim;
    private static LoginThrottle throttle;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        throttle = essaim.bean(LoginThrottle.class);
    }

    /** What a door answered to one login attempt. */
    enum Outcome { LOGGED_IN, WRONG_PASSWORD, THROTTLED }

    record Answer(Outcome outcome, String text) {
    }

    /** Every place that checks a password. */
    enum Door {
        IMAP_STARTTLS, IMAPS, IMAPS_AUTHENTICATE_PLAIN, POP3_STLS, POP3S, SUBMISSION, SMTP, WEB_LOGIN_FORM, API_HTTP_BASIC;

        Answer login(String client, String account, String password) {
            return switch (this) {
                case IMAP_STARTTLS -> imap(client, essaim.imapPort(), false, account, password);
                case IMAPS -> imap(client, essaim.imapsPort(), true, account, password);
                case IMAPS_AUTHENTICATE_PLAIN -> imapAuthenticate(client, account, password);
                case POP3_STLS -> pop3(client, essaim.pop3Port(), false, account, password);
                case POP3S -> pop3(client, essaim.pop3sPort(), true, account, password);
                case SUBMISSION -> smtp(client, essaim.submissionPort(), account, password);
                case SMTP -> smtp(client, essaim.smtpPort(), account, password);
                case WEB_LOGIN_FORM -> webForm(client, account, password);
                case API_HTTP_BASIC -> basic(client, account, password);
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Door.class)
    void eachDoorCountsWrongPasswordsRefusesEvenTheRightOneWhileThrottledAndKeepsTrustedDevicesIn(Door door) {
        String account = newAccount(door);
        String trustedDevice = newClient();
        String guesser = newClient();

        assertThat(door.login(trustedDevice, account, PASSWORD).outcome()).as("the owner logs in once")
                .isEqualTo(Outcome.LOGGED_IN);

        Answer wrong = door.login(guesser, account, "not the password");
        assertThat(wrong.outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
        assertThat(throttle.failuresOf(account)).as("the wrong password is counted").isEqualTo(1);

        Answer throttled = rightPasswordWhileGuessedAt(door, account);
        if (door == Door.WEB_LOGIN_FORM) {
            assertThat(throttled.text()).as("the login page words it (WebLoginTest shows the words)")
                    .endsWith("/login?error&throttled");
        } else {
            assertThat(throttled.text()).contains("Too many failed logins")
                    .containsPattern("try again in \\d+ (second|minute)");
        }

        assertThat(door.login(trustedDevice, account, PASSWORD).outcome())
                .as("a device that logged in before is not locked out by the guesser").isEqualTo(Outcome.LOGGED_IN);
    }

    @Test
    void anOpenWebmailSessionAndTheWebmailsOwnMailConnectionsKeepWorkingWhileTheAccountIsThrottled() throws IOException {
        String account = newAccount(Door.WEB_LOGIN_FORM);
        String browser = newClient();
        String sessionCookie = webLoginCookie(browser, account, PASSWORD);

        rightPasswordWhileGuessedAt(Door.IMAPS, account);

        assertThat(http(browser, "GET /api/keys/me HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + sessionCookie
                + "\r\nX-Requested-With: test\r\nConnection: close\r\n\r\n"))
                .as("the session that proved itself is still served").doesNotStartWith("HTTP/1.1 401");
        String webmailAddress = essaim.bean(MailServerBridge.class).webmailHost();
        assertThat(Door.IMAPS.login(webmailAddress, account, PASSWORD).outcome())
                .as("the webmail reconnecting to IMAP after its login").isEqualTo(Outcome.LOGGED_IN);
    }

    @ParameterizedTest
    @EnumSource(value = Door.class, names = {"SUBMISSION", "IMAPS"})
    void aNewClientsParallelLoginsWithTheRightPasswordAllGetInWhileParallelGuessesAreStillHeldBack(Door door)
            throws Exception {
        String account = newAccount(door);
        String newDevice = newClient(); // Thunderbird's first start, a mail queue opening several sessions
        assertThat(inParallel(10, () -> door.login(newDevice, account, PASSWORD)))
                .as("ten logins at once, none decided before the others started").containsOnly(Outcome.LOGGED_IN);
        assertThat(throttle.failuresOf(account)).isZero();

        String guessed = newAccount(door);
        String guesser = newClient();
        List<Outcome> guesses = inParallel(10, () -> door.login(guesser, guessed, "not the password"));
        assertThat(guesses).as("as many wrong passwords checked as one after the other, then refused")
                .contains(Outcome.THROTTLED).doesNotContain(Outcome.LOGGED_IN);
        assertThat(throttle.failuresOf(guessed)).as("every checked password counted")
                .isEqualTo((int) guesses.stream().filter(Outcome.WRONG_PASSWORD::equals).count())
                .isGreaterThanOrEqualTo(LoginThrottle.FREE_PER_ACCOUNT);
    }

    /** The outcomes of logins started together on as many threads. */
    private static List<Outcome> inParallel(int logins, Supplier<Answer> login) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(logins);
        try {
            CyclicBarrier start = new CyclicBarrier(logins);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < logins; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return login.get();
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Answer> answer : answers) {
                outcomes.add(answer.get().outcome());
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theThrottleRemembersNoClientAddressOnlyKeyedHashesOfThem() {
        String account = newAccount(Door.IMAPS);
        String guesser = newClient();
        Door.IMAPS.login(guesser, account, "wrong");
        assertThat(throttle.rememberedKeys()).contains("account:" + account)
                .noneMatch(key -> key.contains(guesser) || key.contains("127.42."));
    }

    /** A wrong password as a door handles it: admitted (true) and reported as failed, or refused (false). */
    private static boolean wrongPasswordFrom(InetAddress network, String account) {
        if (!throttle.admit(account, network).isZero()) {
            return false;
        }
        throttle.failed(account, network);
        return true;
    }

    /**
     * Wrong passwords from many guessers until the account waits, then the right password from one more: refused.
     * Each round the wait at least doubles, so a slow machine only needs another round.
     */
    private static Answer rightPasswordWhileGuessedAt(Door door, String account) {
        for (int round = 0; round < 12; round++) {
            while (wrongPasswordFrom(InetAddresses.forString(newClient()), account)) {
                // one more wrong password from yet another network (the botnet case)
            }
            Answer answer = door.login(newClient(), account, PASSWORD);
            if (answer.outcome() == Outcome.THROTTLED) {
                return answer;
            }
            assertThat(answer.outcome()).as("the right password, if the wait was over already").isEqualTo(Outcome.LOGGED_IN);
        }
        throw new AssertionError(door + " never refused the right password while the account was being guessed at");
    }

    private static String newAccount(Door door) {
        String address = "guess-" + door.name().toLowerCase().replace('_', '-') + "-" + NEXT_CLIENT.incrementAndGet()
                + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(address, PASSWORD);
        return address;
    }

    /** A loopback address no other test uses: 127.42.x.y. */
    private static String newClient() {
        int n = NEXT_CLIENT.incrementAndGet();
        return "127.42." + (n / 250) + "." + (n % 250 + 1);
    }

    private static Answer imap(String client, int port, boolean implicitTls, String account, String password) {
        try (LineClient imap = LineClient.connectFrom(client, port, implicitTls)) {
            imap.readLine();
            if (!implicitTls) {
                imap.send("s STARTTLS");
                imap.readImapUntilTagged("s");
                imap.upgradeToTls();
            }
            imap.send("a LOGIN " + quoted(account) + " " + quoted(password));
            String reply = imap.readImapUntilTagged("a");
            return reply.contains("a OK") ? new Answer(Outcome.LOGGED_IN, reply) : classifyRefusal(reply);
        }
    }

    /** RFC 4959 without an initial response: the credentials come after the server's "+". */
    private static Answer imapAuthenticate(String client, String account, String password) {
        try (LineClient imap = LineClient.connectFrom(client, essaim.imapsPort(), true)) {
            imap.readLine();
            imap.send("a AUTHENTICATE PLAIN");
            assertThat(imap.readLine()).startsWith("+");
            imap.send(Base64.getEncoder().encodeToString(("\0" + account + "\0" + password).getBytes(StandardCharsets.UTF_8)));
            String reply = imap.readImapUntilTagged("a");
            return reply.contains("a OK") ? new Answer(Outcome.LOGGED_IN, reply) : classifyRefusal(reply);
        }
    }

    private static Answer pop3(String client, int port, boolean implicitTls, String account, String password) {
        try (LineClient pop3 = LineClient.connectFrom(client, port, implicitTls)) {
            pop3.readLine();
            if (!implicitTls) {
                pop3.send("STLS");
                pop3.readLine();
                pop3.upgradeToTls();
            }
            pop3.send("USER " + account);
            pop3.readLine();
            pop3.send("PASS " + password);
            String reply = pop3.readLine();
            return reply.startsWith("+OK") ? new Answer(Outcome.LOGGED_IN, reply) : classifyRefusal(reply);
        }
    }

    private static Answer smtp(String client, int port, String account, String password) {
        try (LineClient smtp = LineClient.connectFrom(client, port, false)) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO guesser.test");
            smtp.smtp("STARTTLS");
            smtp.upgradeToTls();
            smtp.smtp("EHLO guesser.test");
            String plain = Base64.getEncoder().encodeToString(("\0" + account + "\0" + password).getBytes(StandardCharsets.UTF_8));
            String reply = smtp.smtp("AUTH PLAIN " + plain);
            return reply.startsWith("235") ? new Answer(Outcome.LOGGED_IN, reply) : classifyRefusal(reply);
        }
    }

    private static Answer webForm(String client, String account, String password) {
        String response = http(client, loginPost(account, password));
        String location = header(response, "Location");
        if (location.contains("throttled")) {
            return new Answer(Outcome.THROTTLED, location);
        }
        return location.contains("error") ? new Answer(Outcome.WRONG_PASSWORD, location) : new Answer(Outcome.LOGGED_IN, location);
    }

    private static Answer basic(String client, String account, String password) {
        String credentials = Base64.getEncoder().encodeToString((account + ":" + password).getBytes(StandardCharsets.UTF_8));
        String response = http(client, "GET /api/keys/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + credentials
                + "\r\nConnection: close\r\n\r\n");
        if (response.startsWith("HTTP/1.1 429")) {
            assertThat(header(response, "Retry-After")).matches("\\d+");
            return new Answer(Outcome.THROTTLED, response);
        }
        return response.startsWith("HTTP/1.1 401") ? new Answer(Outcome.WRONG_PASSWORD, response)
                : new Answer(Outcome.LOGGED_IN, response);
    }

    private static String webLoginCookie(String client, String account, String password) {
        String response = http(client, loginPost(account, password));
        assertThat(header(response, "Location")).doesNotContain("error");
        Matcher cookie = Pattern.compile("(?im)^Set-Cookie: (JSESSIONID=[^;]+)").matcher(response);
        assertThat(cookie.find()).as("a session cookie").isTrue();
        return cookie.group(1);
    }

    private static String loginPost(String account, String password) {
        String body = "username=" + URLEncoder.encode(account, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        String origin = "http://127.0.0.1:" + essaim.webPort();
        return "POST /login HTTP/1.1\r\nHost: 127.0.0.1:" + essaim.webPort() + "\r\nOrigin: " + origin
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
    }

    private static Answer classifyRefusal(String reply) {
        return new Answer(reply.contains("Too many failed logins") ? Outcome.THROTTLED : Outcome.WRONG_PASSWORD, reply);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** One HTTP/1.1 exchange from a given source address; returns status line, headers and body. */
    private static String http(String client, String request) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(client, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", essaim.webPort()), 15_000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(String response, String name) {
        Matcher header = Pattern.compile("(?im)^" + name + ": (.*)$").matcher(response);
        return header.find() ? header.group(1).trim() : "";
    }
}
