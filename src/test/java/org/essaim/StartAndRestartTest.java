package org.essaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.OwnInstance;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.MailClients;
import org.essaim.support.SmtpSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What holds at start, and what a restart keeps, checked on one instance of its own (a first start and a restart are
 * the point of this class; the feature classes run on the shared instance, which is never restarted): the bootstrap
 * admin logs in the moment the mail ports answer and is an admin the moment the web answers, the readiness probe says when all is up, and a restart keeps
 * stored mail with its flags, own folders and the published keys.
 */
@OwnInstance
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StartAndRestartTest {
    private static final String PASSWORD = "a long enough restart test password";

    @TempDir
    static Path dataDir;
    static EssaimInstance essaim;
    static final HttpClient http = HttpClient.newHttpClient();

    /** IMAPS LOGIN replies for the bootstrap admin, from a client that tries from the first moment of the start. */
    static final List<String> earlyLogins = new CopyOnWriteArrayList<>();
    /** Likewise, the status of the bootstrap admin's first admin API request (HTTP Basic) once the web answers. */
    static final List<String> earlyAdminRequests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        essaim = EssaimInstance.unstarted(dataDir, Map.of());
        ExecutorService clients = Executors.newFixedThreadPool(2);
        AtomicBoolean started = new AtomicBoolean();
        Future<?> imap = clients.submit(() -> tryUntilItAnswers(started, earlyLogins, StartAndRestartTest::imapsLogin));
        Future<?> web = clients.submit(() -> tryUntilItAnswers(started, earlyAdminRequests, StartAndRestartTest::adminRequest));
        try {
            essaim.launch();
        } finally {
            started.set(true);
            imap.get(60, TimeUnit.SECONDS);
            web.get(60, TimeUnit.SECONDS);
            clients.shutdownNow();
        }
    }

    /** Tries again and again until the server accepts the connection, then once more; records that first answer. */
    private static void tryUntilItAnswers(AtomicBoolean started, List<String> answers, Callable<String> attempt) {
        while (true) {
            try {
                answers.add(attempt.call());
                return;
            } catch (Exception notYet) {
                if (started.get()) {
                    answers.add("no answer after the start: " + notYet);
                    return;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static String imapsLogin() {
        try (LineClient imap = LineClient.connectTls(essaim.imapsPort())) {
            imap.readLine();
            imap.send("a1 LOGIN \"" + EssaimInstance.ADMIN + "\" \"" + EssaimInstance.ADMIN_PASSWORD + "\"");
            return imap.readImapUntilTagged("a1");
        }
    }

    /** An admin-only API request as the bootstrap admin: 401 without the account, 403 without the admin role. */
    private static String adminRequest() throws Exception {
        String basic = Base64.getEncoder().encodeToString(
                (EssaimInstance.ADMIN + ":" + EssaimInstance.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/api/admin/storage"))
                .header("Authorization", "Basic " + basic).build();
        return "HTTP " + http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @AfterAll
    static void stop() {
        essaim.close();
    }

    @Test
    @Order(1)
    void theBootstrapAdminLogsInTheMomentTheMailPortsAnswer() {
        assertThat(earlyLogins).as("the first LOGIN, made as soon as IMAPS accepted a connection").hasSize(1);
        assertThat(earlyLogins.get(0)).contains("a1 OK");
    }

    @Test
    @Order(1)
    void theBootstrapAdminIsAnAdminTheMomentTheWebAnswers() {
        assertThat(earlyAdminRequests).as("the first admin API request, made as soon as the web accepted a connection")
                .containsExactly("HTTP 200");
    }

    @Test
    @Order(1)
    void theReadinessProbeSaysUpWithoutDetailsAndNeedsNoLogin() throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/env").statusCode()).as("nothing else of the actuator").isNotEqualTo(200);
        assertThat(get("/actuator/health/readiness").body()).doesNotContain("mailServer");
    }

    @Test
    @Order(2)
    void mailFlagsFoldersAndPublishedKeysSurviveARestart() throws Exception {
        String user = EssaimInstance.uniqueAddress("restart");
        essaim.bean(MailServerBridge.class).createAccount(user, PASSWORD);
        essaim.publishGeneratedKey(user);
        String sender = "keeper-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        SmtpSender.deliver(essaim, "Keeper <" + sender + ">", user, "Survives restart", "Keep me.");
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            MailClients.awaitMessages(imap, "INBOX", 1);
            Folder projects = imap.getFolder("Projects");
            assertThat(projects.create(Folder.HOLDS_MESSAGES)).isTrue();
            Folder inbox = imap.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            findBySender(inbox, sender).setFlag(Flags.Flag.FLAGGED, true);
            inbox.close(false);
        }
        String keyBefore = get("/api/keys/" + user).body();

        essaim.restart();

        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            assertThat(imap.getFolder("Projects").exists()).isTrue();
            Folder inbox = imap.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(findBySender(inbox, sender).isSet(Flags.Flag.FLAGGED)).isTrue();
            inbox.close(false);
        }
        assertThat(get("/api/keys/" + user).body()).isEqualTo(keyBefore);
    }

    private static Message findBySender(Folder folder, String sender) throws Exception {
        for (Message m : folder.getMessages()) {
            String[] from = m.getHeader("From");
            if (from != null && from[0].contains(sender)) {
                return m;
            }
        }
        throw new AssertionError("No message from " + sender + " in " + folder.getFullName());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
