package org.essaim.mailserver.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A round trip with Debian's mbsync (isync), the way people keep a local Maildir (issue 14): 200 messages in three
 * folders pulled; then flags changed and a folder created on both sides, messages expunged on both sides; after
 * the second sync, the server's SEARCH ALL / SEARCH UNSEEN and the Maildir both agree with what was done.
 */
class MbsyncRoundTripTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final Map<String, Integer> SEEDED = Map.of("INBOX", 100, "Work", 60, "Lists", 40);
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*<([^>]+)>");

    @TempDir
    Path work;
    private final EssaimInstance essaim = EssaimInstance.shared();

    /** What the mailbox should hold: per folder, Message-ID to "seen". */
    private final Map<String, Map<String, Boolean>> truth = new LinkedHashMap<>();

    @Test
    void twoSyncsWithChangesOnBothSidesLeaveServerAndMaildirAgreeingWithTheTruth() throws Exception {
        String account = "mbsync-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(account, PASSWORD);
        essaim.publishGeneratedKey(account); // appended mail is stored encrypted, as in real use
        try (ImapSession imap = ImapSession.login(essaim.imapsPort(), account, PASSWORD)) {
            for (Map.Entry<String, Integer> folder : SEEDED.entrySet()) {
                if (!folder.getKey().equals("INBOX")) {
                    imap.tagged("CREATE \"" + folder.getKey() + "\"");
                }
                for (int i = 0; i < folder.getValue(); i++) {
                    appendTracked(imap, folder.getKey(), i % 3 == 0);
                }
            }
        }
        Path maildir = work.resolve("mail");
        Path config = writeConfig(account, maildir);

        mbsync(config);
        for (String folder : SEEDED.keySet()) {
            assertThat(maildir(maildir, folder).keySet()).as("pulled " + folder).isEqualTo(truth.get(folder).keySet());
        }

        changeTheServerSide(account);
        changeTheMaildirSide(maildir);
        mbsync(config);

        try (ImapSession imap = ImapSession.login(essaim.imapsPort(), account, PASSWORD)) {
            for (Map.Entry<String, Map<String, Boolean>> folder : truth.entrySet()) {
                String name = folder.getKey();
                Set<String> unseen = new HashSet<>();
                folder.getValue().forEach((id, seen) -> {
                    if (!seen) {
                        unseen.add(id);
                    }
                });
                imap.tagged("EXAMINE \"" + name + "\"");
                assertThat(messageIds(imap, imap.search("ALL"))).as("server ALL in " + name).isEqualTo(folder.getValue().keySet());
                assertThat(messageIds(imap, imap.search("UNSEEN"))).as("server UNSEEN in " + name).isEqualTo(unseen);
                assertThat(maildir(maildir, name)).as("Maildir " + name).isEqualTo(folder.getValue());
            }
        }
    }

    private void appendTracked(ImapSession imap, String folder, boolean seen) {
        String id = UUID.randomUUID() + "@mbsync.example";
        long uid = imap.append(folder, "From: Someone <someone@mbsync.example>\r\nTo: <me@essaim.test>\r\nSubject: "
                + folder + " message\r\nMessage-ID: <" + id + ">\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\nHello "
                + id + "\r\n");
        if (seen) {
            imap.tagged("SELECT \"" + folder + "\"");
            assertThat(imap.tagged("UID STORE " + uid + " +FLAGS.SILENT (\\Seen)")).startsWith("OK");
            imap.tagged("UNSELECT");
        }
        truth.computeIfAbsent(folder, name -> new LinkedHashMap<>()).put(id, seen);
    }

    /** On the server: flags changed in INBOX, a message expunged from Work, a new folder with mail. */
    private void changeTheServerSide(String account) {
        try (ImapSession imap = ImapSession.login(essaim.imapsPort(), account, PASSWORD)) {
            imap.tagged("SELECT INBOX");
            assertThat(imap.tagged("STORE 1:10 +FLAGS.SILENT (\\Seen)")).startsWith("OK");
            List<String> inbox = List.copyOf(truth.get("INBOX").keySet());
            inbox.subList(0, 10).forEach(id -> truth.get("INBOX").put(id, true));
            assertThat(imap.tagged("STORE 1 -FLAGS.SILENT (\\Seen)")).startsWith("OK");
            truth.get("INBOX").put(inbox.get(0), false);

            imap.tagged("SELECT \"Work\"");
            assertThat(imap.tagged("STORE 5:6 +FLAGS.SILENT (\\Deleted)")).startsWith("OK");
            assertThat(imap.tagged("EXPUNGE")).startsWith("OK");
            List<String> work = List.copyOf(truth.get("Work").keySet());
            truth.get("Work").remove(work.get(4));
            truth.get("Work").remove(work.get(5));
            imap.tagged("UNSELECT");

            imap.tagged("CREATE \"From-Server\"");
            for (int i = 0; i < 3; i++) {
                appendTracked(imap, "From-Server", false);
            }
        }
    }

    /** In the Maildir: flags changed in Lists, messages deleted (expunged at the next sync), a new folder with mail. */
    private void changeTheMaildirSide(Path maildir) throws IOException {
        List<Path> lists = files(maildir.resolve("Lists")).stream().sorted().toList();
        Map<String, Boolean> listsTruth = truth.get("Lists");
        for (Path file : lists.subList(0, 5)) {
            String id = messageId(file);
            rename(file, flags(file) + "S");
            listsTruth.put(id, true);
        }
        for (Path file : files(maildir.resolve("Lists")).stream().sorted().toList().subList(10, 13)) {
            String id = messageId(file);
            rename(file, flags(file) + "T"); // trashed: mbsync expunges it on both sides
            listsTruth.remove(id);
        }
        Path created = maildir.resolve("From-Maildir");
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(created.resolve(sub));
        }
        Map<String, Boolean> createdTruth = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            String id = UUID.randomUUID() + "@maildir.example";
            Files.writeString(created.resolve("new").resolve(System.currentTimeMillis() + "." + i + ".test"),
                    "From: Me <me@essaim.test>\nTo: <you@example.org>\nSubject: written offline\nMessage-ID: <" + id
                            + ">\nDate: Wed, 25 Nov 2026 11:00:00 +0000\n\nfrom the Maildir\n", StandardCharsets.UTF_8);
            createdTruth.put(id, false);
        }
        truth.put("From-Maildir", createdTruth);
    }

    private Path writeConfig(String account, Path maildir) throws IOException {
        Files.createDirectories(maildir);
        return Files.writeString(work.resolve("mbsyncrc"), String.join("\n",
                "IMAPAccount essaim", "Host 127.0.0.1", "Port " + essaim.imapsPort(), "User " + account,
                "Pass \"" + PASSWORD + "\"", "SSLType IMAPS",
                "CertificateFile " + essaim.dataDir().resolve("tls/cert.pem"), "",
                "IMAPStore far", "Account essaim", "",
                "MaildirStore near", "Path " + maildir + "/", "Inbox " + maildir.resolve("INBOX"), "SubFolders Verbatim", "",
                "Channel sync", "Far :far:", "Near :near:", "Patterns *", "Create Both", "Expunge Both", "SyncState *", ""));
    }

    /** Runs mbsync with its protocol trace (-D); kept in target/ when it fails, for the next reader. */
    private void mbsync(Path config) throws Exception {
        Path log = work.resolve("mbsync.log");
        Process process = new ProcessBuilder("mbsync", "-D", "-c", config.toString(), "-a")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("mbsync finished").isTrue();
        if (process.exitValue() != 0) {
            Files.copy(log, Path.of("target", "mbsync-failed.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            throw new AssertionError("mbsync failed (trace in target/mbsync-failed.log):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
    }

    /** Message-ID to seen of every message in a Maildir folder (flags from the file name, RFC-less but standard). */
    private static Map<String, Boolean> maildir(Path maildir, String folder) throws IOException {
        Map<String, Boolean> messages = new HashMap<>();
        for (Path file : files(maildir.resolve(folder))) {
            assertThat(messages.put(messageId(file), flags(file).contains("S"))).as("duplicate in " + folder).isNull();
        }
        return messages;
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> cur = Files.list(folder.resolve("cur")); Stream<Path> fresh = Files.list(folder.resolve("new"))) {
            return Stream.concat(cur, fresh).filter(Files::isRegularFile).toList();
        }
    }

    private static String flags(Path file) {
        String name = file.getFileName().toString();
        int info = name.indexOf(":2,");
        return info < 0 ? "" : name.substring(info + 3);
    }

    private static void rename(Path file, String flags) throws IOException {
        String name = file.getFileName().toString();
        int info = name.indexOf(":2,");
        String base = info < 0 ? name : name.substring(0, info);
        char[] sorted = flags.toCharArray();
        java.util.Arrays.sort(sorted);
        Files.move(file, file.getParent().getParent().resolve("cur").resolve(base + ":2," + new String(sorted)));
    }

    private static String messageId(Path file) throws IOException {
        Matcher id = MESSAGE_ID.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
        assertThat(id.find()).as(file + " has a Message-ID").isTrue();
        return id.group(1);
    }

    /** The Message-IDs of the given sequence numbers in the selected folder (outer headers stay readable). */
    private static Set<String> messageIds(ImapSession imap, List<Long> numbers) {
        Set<String> ids = new HashSet<>();
        if (numbers.isEmpty()) {
            return ids;
        }
        String set = String.join(",", numbers.stream().map(String::valueOf).toList());
        for (String line : imap.command("FETCH " + set + " (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")) {
            Matcher id = Pattern.compile("(?i)Message-ID:\\s*<([^>]+)>").matcher(line);
            if (id.find()) {
                ids.add(id.group(1));
            }
        }
        assertThat(ids).hasSize(numbers.size());
        return ids;
    }
}
