package org.essaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.OwnInstance;
import org.essaim.support.EssaimInstance;
import org.essaim.support.MailClients;
import org.essaim.support.SmtpSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a restart keeps, feature by feature, checked across one restart of one instance (a restart is the point of
 * this class; the feature classes run on the shared instance, which is never restarted): stored mail with its
 * flags, own folders, and the published keys.
 */
@OwnInstance
class StartAndRestartTest {
    private static final String PASSWORD = "a long enough restart test password";

    @TempDir
    static Path dataDir;
    static EssaimInstance essaim;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.start(dataDir);
    }

    @AfterAll
    static void stop() {
        essaim.close();
    }

    @Test
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
