package org.essaim.portability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

import org.essaim.keys.StoredKey;
import org.essaim.keys.PublicKeyDirectory;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.ChildEssaim;
import org.essaim.support.ImapSnapshot;
import org.essaim.support.MailClients;
import org.essaim.support.SmtpSender;
import org.essaim.webmail.composing.ComposerPreferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Leaving freely: "Export my mailbox" gives every folder as stored (ciphertext stays ciphertext) as Maildir in a
 * zip with the public key and settings; importing it on another Essaim gives the same messages with the same
 * flags in the same folders, the key and the settings; mbox files from elsewhere come in encrypted.
 */
class ExportImportTest {
    private static final String PASSWORD = "a long enough test password";
    private static final String CANARY = "canary-" + UUID.randomUUID();

    @TempDir
    Path work;

    @Test
    void anExportImportedOnAnotherEssaimGivesTheSameMessagesFlagsFoldersKeyAndSettings() throws Exception {
        EssaimInstance essaim = EssaimInstance.shared();
        String alice = "alice.export." + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(alice, PASSWORD);
        essaim.publishGeneratedKey(alice);
        for (int i = 0; i < 4; i++) {
            SmtpSender.deliver(essaim, "Friend <friend" + i + "@example.org>", alice, "subject " + i, CANARY + " " + i);
        }
        awaitInbox(essaim.imapsPort(), alice, 4);
        flagAndFile(essaim.imapsPort(), alice);
        essaim.bean(ComposerPreferences.class).setSignsByDefault(alice, false);
        List<ImapSnapshot.Seen> before = ImapSnapshot.of(essaim, alice, PASSWORD);

        byte[] export = http(essaim.baseUrl(), alice, "GET", "/api/account/export", null).body();

        Map<String, byte[]> entries = unzip(export);
        assertThat(entries.keySet()).contains("README.txt", "public-key.asc", "settings.json", "Maildir/cur/", "Maildir/.Projects/cur/");
        assertThat(entries.keySet().stream().filter(name -> name.startsWith("Maildir/cur/") && !name.endsWith("/"))).hasSize(4);
        assertThat(new String(entries.get("public-key.asc"), StandardCharsets.US_ASCII))
                .isEqualTo(essaim.bean(PublicKeyDirectory.class).find(alice).map(StoredKey::armored).orElseThrow());
        assertThat(new String(entries.get("settings.json"), StandardCharsets.UTF_8)).contains("\"signByDefault\":false");
        assertThat(entries.keySet()).anyMatch(name -> name.matches("Maildir/cur/\\d+\\.\\d+_\\d+\\.essaim:2,FS"));
        assertThat(new String(export, StandardCharsets.ISO_8859_1)).as("mail as stored: ciphertext").doesNotContain(CANARY);

        // on another Essaim, where the same person has an account
        try (ChildEssaim other = ChildEssaim.start(work.resolve("other"), Map.of(
                "essaim.bootstrap.admin-email", alice, "essaim.bootstrap.admin-password", PASSWORD,
                "essaim.backup.schedule", "-"))) {
            HttpResponse<byte[]> imported = http(other.baseUrl(), alice, "POST", "/api/account/import", export);
            assertThat(imported.statusCode()).isEqualTo(200);
            JsonNode result = new ObjectMapper().readTree(imported.body());
            assertThat(result.path("messages").asInt()).isEqualTo(before.size());
            assertThat(result.path("publicKey").asText()).isEqualTo("published");

            assertThat(withoutUids(ImapSnapshot.of(other.imapsPort(), alice, PASSWORD))).isEqualTo(withoutUids(before));
            assertThat(http(other.baseUrl(), alice, "GET", "/api/keys/" + alice, null).body())
                    .isEqualTo(http(essaim.baseUrl(), alice, "GET", "/api/keys/" + alice, null).body());
            // settings came along: a second export from there says so
            assertThat(new String(unzip(http(other.baseUrl(), alice, "GET", "/api/account/export", null).body())
                    .get("settings.json"), StandardCharsets.UTF_8)).contains("\"signByDefault\":false");

            // mbox from another provider: stored encrypted to the key, like any mail in clear
            byte[] mboxZip = zip(Map.of("old-mail.mbox", ("From someone@example.net Mon Jan  1 00:00:00 2024\n"
                    + "From: <someone@example.net>\nSubject: old one\n\n" + CANARY + " mbox one\n>From the past\n\n"
                    + "From other@example.net Mon Jan  1 00:00:01 2024\n"
                    + "From: <other@example.net>\nSubject: old two\n\n" + CANARY + " mbox two\n").getBytes(StandardCharsets.UTF_8)));
            JsonNode mbox = new ObjectMapper().readTree(http(other.baseUrl(), alice, "POST", "/api/account/import", mboxZip).body());
            assertThat(mbox.path("messages").asInt()).isEqualTo(2);
            List<byte[]> all = ImapSnapshot.bytesOf(other.imapsPort(), alice, PASSWORD);
            assertThat(all).hasSize(before.size() + 2)
                    .allSatisfy(message -> assertThat(new String(message, StandardCharsets.ISO_8859_1)).doesNotContain(CANARY));
        }
    }

    /** Folder, flags and bytes of each message (UIDs and UIDVALIDITY belong to the server that gave them). */
    private static List<String> withoutUids(List<ImapSnapshot.Seen> snapshot) {
        List<String> seen = new ArrayList<>();
        snapshot.forEach(message -> seen.add(message.folder() + " " + message.flags() + " " + message.sha256()));
        seen.sort(null);
        return seen;
    }

    private static void flagAndFile(int imapsPort, String account) throws Exception {
        Store store = MailClients.imaps(imapsPort, account, PASSWORD);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] messages = inbox.getMessages();
            messages[0].setFlags(new Flags(Flags.Flag.SEEN), true);
            messages[0].setFlags(new Flags(Flags.Flag.FLAGGED), true);
            messages[1].setFlags(new Flags("$Important"), true);
            messages[2].setFlag(Flags.Flag.ANSWERED, true);
            Folder projects = store.getFolder("Projects");
            projects.create(Folder.HOLDS_MESSAGES);
            inbox.copyMessages(new Message[] {messages[3]}, projects);
            inbox.close(false);
        } finally {
            store.close();
        }
    }

    private static void awaitInbox(int imapsPort, String account, int count) throws Exception {
        Store store = MailClients.imaps(imapsPort, account, PASSWORD);
        try {
            MailClients.awaitMessages(store, "INBOX", count);
        } finally {
            store.close();
        }
    }

    private static HttpResponse<byte[]> http(String base, String account, String method, String path, byte[] body)
            throws Exception {
        String basic = Base64.getEncoder().encodeToString((account + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Basic " + basic)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(method + " " + path).isBetween(200, 299);
        return response;
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
