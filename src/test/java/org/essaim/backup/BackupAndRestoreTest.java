package org.essaim.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Quota;
import jakarta.mail.Store;
import jakarta.mail.search.FromStringTerm;

import org.essaim.governance.AuditCommand;
import org.essaim.governance.AuditEntry;
import org.essaim.governance.AuditLog;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.mailserver.StoredMessageCatalog;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.essaim.support.EssaimInstance;
import org.essaim.support.OwnInstance;
import org.essaim.support.ChildEssaim;
import org.essaim.support.GnuPG;
import org.essaim.support.ImapSnapshot;
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
 * Backups of a running server, restored with an admin's key from GnuPG: every message comes back byte for byte
 * with its UIDVALIDITY, UID and flags, with accounts, aliases, quotas and an audit log that verifies; search works
 * after the index is rebuilt; mail sent while the backup runs is never lost; the backup shows nothing without an
 * admin key; it is pushed to restic and copied to a directory; a failed backup is logged and mailed to the admins.
 *
 * <p>Own instance: a fresh data directory (the audit log from its genesis, scheduled backups off, restic and copy
 * settings) whose backups are the point.
 */
@OwnInstance
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupAndRestoreTest {
    private static final String PASSWORD = "a long enough test password";
    private static final String ALICE = "alice.backup@" + EssaimInstance.DOMAIN;
    private static final String BOB = "bob.backup@" + EssaimInstance.DOMAIN;
    private static final String ALIAS = "contact.backup@" + EssaimInstance.DOMAIN;
    private static final String CANARY = "canary-" + UUID.randomUUID();
    private static final String RESTIC_PASSWORD = "restic test password";
    private static final long BOB_QUOTA = 100L * 1024 * 1024;

    @TempDir
    static Path work;
    static EssaimInstance essaim;
    static GnuPG adminGpg;
    static Backups backups;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(work.resolve("restic-password"), RESTIC_PASSWORD);
        essaim = EssaimInstance.start(work.resolve("data"), Map.of(
                "essaim.backup.schedule", "-", // run by the tests only
                "essaim.backup.copy-to", work.resolve("copies").toString(),
                "essaim.backup.restic-repository", work.resolve("restic").toString(),
                "essaim.backup.restic-password-file", work.resolve("restic-password").toString()));
        backups = essaim.bean(Backups.class);
        MailServerBridge bridge = essaim.bean(MailServerBridge.class);
        bridge.createAccount(ALICE, PASSWORD);
        bridge.createAccount(BOB, PASSWORD);
        essaim.publishGeneratedKey(ALICE);
        essaim.publishGeneratedKey(BOB);
        bridge.addAlias(ALIAS, ALICE);
        bridge.setStorageLimit(BOB, OptionalLong.of(BOB_QUOTA));
        adminGpg = new GnuPG(work.resolve("admin-gnupg"));
    }

    @AfterAll
    static void stop() {
        if (essaim != null) {
            essaim.close();
        }
        if (adminGpg != null) {
            adminGpg.close();
        }
    }

    @Test
    @Order(1)
    void aBackupWithNoAdminKeyToEncryptToFailsIsLoggedAndTheAdminsAreTold() throws Exception {
        assertThatThrownBy(backups::backUp).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("No key to encrypt the backup to");

        assertThat(lastServerEntry()).contains("\"action\":\"backup.failed\"").contains("No key to encrypt");
        assertThat(essaim.bean(BackupDirectory.class).lastRun()).hasValueSatisfying(run -> {
            assertThat(run.succeeded()).isFalse();
            assertThat(run.reason()).contains("No key to encrypt");
        });
        assertThat(essaim.bean(BackupDirectory.class).list()).isEmpty();
        Store store = MailClients.imaps(essaim, EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(Stream.of(inbox.getMessages()).map(BackupAndRestoreTest::subject))
                    .anySatisfy(subject -> assertThat(subject).startsWith(BackupNotices.SUBJECT));
            inbox.close(false);
        } finally {
            store.close();
        }
    }

    @Test
    @Order(2)
    void backupWipeRestoreWithTheAdminsGnuPGKeyGivesEveryMessageBackByteForByteWithItsUidsAndFlags() throws Exception {
        essaim.publishKey(EssaimInstance.ADMIN, adminGpg.generateKey(EssaimInstance.ADMIN)); // pinned: first key as admin
        for (int i = 0; i < 6; i++) {
            SmtpSender.deliver(essaim, "Friend " + i + " <friend" + i + "@example.org>", i % 2 == 0 ? ALICE : ALIAS,
                    "subject " + i, "Hello " + CANARY + " number " + i);
        }
        SmtpSender.deliver(essaim, BOB, "for bob", "Hello Bob " + CANARY);
        awaitMessages(ALICE, "INBOX", 6);
        awaitMessages(BOB, "INBOX", 1);
        giveAliceFlagsFoldersAndAGapInHerUids();
        List<ImapSnapshot.Seen> aliceBefore = ImapSnapshot.of(essaim, ALICE, PASSWORD);
        List<ImapSnapshot.Seen> bobBefore = ImapSnapshot.of(essaim, BOB, PASSWORD);

        BackupRecord record = backups.backUp();

        assertThat(record.restoreTest().passed()).isTrue();
        assertThat(record.restoreTest().messages()).isGreaterThanOrEqualTo(7);
        assertThat(record.recipients()).extracting(BackupRecord.Recipient::who).containsExactly(EssaimInstance.ADMIN);
        assertThat(lastServerEntry()).contains("\"action\":\"backup.verified\"").contains(record.sha256());
        Path restored = work.resolve("restored");
        Output restore = backupCommand("restore", backupFile(record).toString(), "--to", restored.toString(),
                "--gnupg-home", work.resolve("admin-gnupg").toString());
        assertThat(restore.status).as(restore.text()).isZero();
        assertThat(restore.out).contains("OK: ").contains("audit log verified");
        assertThat(Files.exists(restored.resolve("james/var/search-index"))).isFalse();
        // keys (DKIM, TLS), databases and the log: owner-only whatever the restoring process' umask (H2's own
        // *.trace.db, written when the restore check opens the databases, are inside the owner-only directory)
        assertThat(Files.getPosixFilePermissions(restored)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.walk(restored)) {
            assertThat(files.filter(Files::isRegularFile).filter(file -> !file.toString().endsWith(".trace.db")).toList())
                    .isNotEmpty().allSatisfy(file ->
                    assertThat(Files.getPosixFilePermissions(file)).as(file.toString())
                            .isEqualTo(PosixFilePermissions.fromString("rw-------")));
        }

        // the restored server, in a process of its own, as on another machine
        try (ChildEssaim second = ChildEssaim.start(restored, Map.of("essaim.backup.schedule", "-"))) {
            assertThat(ImapSnapshot.of(second.imapsPort(), ALICE, PASSWORD)).isEqualTo(aliceBefore);
            assertThat(ImapSnapshot.of(second.imapsPort(), BOB, PASSWORD)).isEqualTo(bobBefore);
            // the search index was rebuilt: every message is found by its sender, as on the original
            assertThat(searchFrom(second.imapsPort(), ALICE, "example.org")).isEqualTo(inboxCount(aliceBefore))
                    .isEqualTo(searchFrom(essaim.imapsPort(), ALICE, "example.org"));
            assertThat(searchFrom(second.imapsPort(), ALICE, "friend4@example.org"))
                    .isEqualTo(searchFrom(essaim.imapsPort(), ALICE, "friend4@example.org"));
            assertThat(searchFrom(second.imapsPort(), ALICE, "nobody.invalid")).isZero();
            assertThat(storageLimitKiB(second.imapsPort(), BOB)).isEqualTo(BOB_QUOTA / 1024);
            // mail keeps arriving, with the next UIDs; the alias still leads to Alice
            SmtpSender.deliver(second.smtpPort(), "<friend@example.org>", ALIAS, "after the restore", "still " + CANARY);
            awaitMessages(second.imapsPort(), ALICE, "INBOX", inboxCount(aliceBefore) + 1);
        }
        ByteArrayOutputStream auditOut = new ByteArrayOutputStream();
        assertThat(AuditCommand.verifyDataDir(restored, new PrintStream(auditOut), new PrintStream(auditOut)))
                .as(auditOut.toString()).isZero();
    }

    @Test
    @Order(3)
    void theBackupShowsNothingWithoutAnAdminKeyAndItsContentHoldsNoPrivateMail() throws Exception {
        BackupRecord record = essaim.bean(BackupDirectory.class).list().get(0).record().orElseThrow();
        byte[] encrypted = Files.readAllBytes(backupFile(record));
        for (String visible : List.of(CANARY, ALICE, BOB, "friend@example.org", EssaimInstance.DOMAIN, "Received:",
                "-----BEGIN PGP", "manifest.json", "audit_entry")) {
            assertThat(contains(encrypted, visible.getBytes(StandardCharsets.UTF_8))).as(visible).isFalse();
        }
        GnuPG stranger = new GnuPG(work.resolve("stranger-gnupg"));
        try {
            stranger.generateKey("stranger@example.org");
            assertThatThrownBy(() -> stranger.decrypt(encrypted)).hasMessageContaining("No secret key");
        } finally {
            stranger.close();
        }
        // With the admin's key: the whole server, where private mail is ciphertext.
        Path opened = work.resolve("opened-by-the-admin");
        Files.write(work.resolve("bundle.zip"), adminGpg.decrypt(encrypted));
        assertThat(backupCommand("restore", work.resolve("bundle.zip").toString(), "--to", opened.toString()).status).isZero();
        List<Path> holdingTheCanary;
        try (Stream<Path> files = Files.walk(opened)) {
            holdingTheCanary = files.filter(Files::isRegularFile).filter(file -> {
                try {
                    return contains(Files.readAllBytes(file), CANARY.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
        assertThat(holdingTheCanary).isEmpty();
        assertThat(StoredMessageCatalog.read(StoredMessageCatalog.jdbcUrlOf(opened))).hasSizeGreaterThanOrEqualTo(7);
    }

    @Test
    @Order(4)
    void everyMessageAcceptedBeforeTheBackupsPauseIsInItAndNothingIsAcceptedDuringThePause() throws Exception {
        int count = 30;
        Map<String, Instant> acceptedAt = new ConcurrentHashMap<>();
        List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < count; i++) {
                String id = "window-" + i + "-" + UUID.randomUUID();
                for (int attempt = 1; !tryDeliver(id, refusals); attempt++) {
                    assertThat(attempt).as("attempts for one message; refusals: %s", refusals).isLessThan(300);
                    sleep(100);
                }
                acceptedAt.put(id, Instant.now());
            }
        });
        while (acceptedAt.size() < 5) {
            sleep(20);
        }
        BackupRecord record = backups.backUp();
        sending.get(120, TimeUnit.SECONDS);

        Path restored = work.resolve("restored-window");
        Files.write(work.resolve("window-bundle.zip"), adminGpg.decrypt(Files.readAllBytes(backupFile(record))));
        assertThat(backupCommand("restore", work.resolve("window-bundle.zip").toString(), "--to", restored.toString()).status)
                .isZero();
        BackupManifest manifest = BackupManifest.fromJson(Files.readAllBytes(restored.resolve(BackupRestore.RESTORED_MANIFEST)));
        Instant opened = Instant.parse(manifest.windowOpened());
        Instant closed = Instant.parse(manifest.windowClosed());
        Set<String> inBackup = messageIdsIn(restored);
        acceptedAt.forEach((id, at) -> {
            assertThat(at.isAfter(opened) && at.isBefore(closed)).as("%s accepted during the pause", id).isFalse();
            if (at.isBefore(opened)) {
                assertThat(inBackup).as("%s accepted at %s, before the pause at %s", id, at, opened).contains(id);
            }
        });
        assertThat(refusals).allSatisfy(reply -> assertThat(reply).startsWith("451 4.3.2"));
        awaitMessages(BOB, "INBOX", 1 + count);
    }

    @Test
    @Order(5)
    void eachBackupIsPushedToResticWhichChecksAndIsCopiedToTheOperatorsDirectory() throws Exception {
        BackupRecord newest = essaim.bean(BackupDirectory.class).list().get(0).record().orElseThrow();
        List<String> restic = List.of("restic", "--repo", work.resolve("restic").toString(), "--password-file",
                work.resolve("restic-password").toString(), "--no-cache");
        assertThat(run(concat(restic, "check", "--read-data")).status).isZero();
        Path fromRestic = work.resolve("from-restic");
        assertThat(run(concat(restic, "restore", "latest", "--target", fromRestic.toString())).status).isZero();
        Path pushed;
        try (Stream<Path> files = Files.walk(fromRestic)) {
            pushed = files.filter(file -> file.getFileName().toString().equals(newest.file())).findFirst().orElseThrow();
        }
        assertThat(sha256(Files.readAllBytes(pushed))).isEqualTo(newest.sha256());

        Set<String> copied = new TreeSet<>();
        try (Stream<Path> files = Files.list(work.resolve("copies"))) {
            files.forEach(file -> copied.add(file.getFileName().toString()));
        }
        Set<String> kept = new TreeSet<>();
        for (BackupDirectory.Listed backup : essaim.bean(BackupDirectory.class).list()) {
            kept.add(backup.file().getFileName().toString());
            kept.add(BackupRecord.recordFileOf(backup.file()).getFileName().toString());
        }
        assertThat(copied).isEqualTo(kept);
        assertThat(sha256(Files.readAllBytes(work.resolve("copies").resolve(newest.file())))).isEqualTo(newest.sha256());

        Output list = backupCommand("list", "--dir", essaim.dataDir().resolve("backups").toString());
        assertThat(list.out).contains(newest.file()).contains("restore test passed").contains(EssaimInstance.ADMIN);
    }

    private static void giveAliceFlagsFoldersAndAGapInHerUids() throws Exception {
        Store store = MailClients.imaps(essaim, ALICE, PASSWORD);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] messages = inbox.getMessages();
            messages[0].setFlag(Flags.Flag.SEEN, true);
            messages[1].setFlag(Flags.Flag.FLAGGED, true);
            messages[1].setFlags(new Flags("$Important"), true);
            messages[2].setFlag(Flags.Flag.ANSWERED, true);
            Folder projects = store.getFolder("Projects");
            projects.create(Folder.HOLDS_MESSAGES);
            inbox.copyMessages(new Message[] {messages[3], messages[4]}, projects);
            messages[3].setFlag(Flags.Flag.DELETED, true);
            inbox.close(true); // expunged: a gap in the UIDs
        } finally {
            store.close();
        }
    }

    private static boolean tryDeliver(String id, List<String> refusals) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO sender.example");
            String mail = smtp.smtp("MAIL FROM:<friend@example.org>");
            if (!mail.startsWith("250")) {
                refusals.add(mail);
                return false;
            }
            assertThat(smtp.smtp("RCPT TO:<" + BOB + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            smtp.send("From: <friend@example.org>");
            smtp.send("To: <" + BOB + ">");
            smtp.send("Subject: during the backup");
            smtp.send("Message-ID: <" + id + "@example.org>");
            smtp.send("");
            smtp.send("sent while a backup runs " + CANARY);
            String end = smtp.smtp(".");
            smtp.smtp("QUIT");
            if (!end.startsWith("250")) {
                refusals.add(end);
                return false;
            }
            return true;
        }
    }

    /** The Message-IDs (outer headers stay readable) of every message stored in a restored data directory. */
    private static Set<String> messageIdsIn(Path dataDir) throws Exception {
        Set<String> ids = new TreeSet<>();
        try (Connection connection = DriverManager.getConnection(StoredMessageCatalog.jdbcUrlOf(dataDir), "", "");
             Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery("SELECT HEADER_BYTES FROM JAMES_MAIL")) {
            while (rows.next()) {
                String headers = new String(rows.getBytes(1), StandardCharsets.UTF_8);
                java.util.regex.Matcher id = java.util.regex.Pattern.compile("Message-ID: <([^@>]+)@").matcher(headers);
                if (id.find()) {
                    ids.add(id.group(1));
                }
            }
        }
        return ids;
    }

    private static int searchFrom(int imapsPort, String account, String from) throws Exception {
        Store store = MailClients.imaps(imapsPort, account, PASSWORD);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            return inbox.search(new FromStringTerm(from)).length;
        } finally {
            store.close();
        }
    }

    private static long storageLimitKiB(int imapsPort, String account) throws Exception {
        IMAPStore store = (IMAPStore) MailClients.imaps(imapsPort, account, PASSWORD);
        try {
            Quota quota = store.getQuota("INBOX")[0];
            return Stream.of(quota.resources).filter(r -> r.name.equalsIgnoreCase("STORAGE")).findFirst().orElseThrow().limit;
        } finally {
            store.close();
        }
    }

    private static int inboxCount(List<ImapSnapshot.Seen> snapshot) {
        return (int) snapshot.stream().filter(seen -> seen.folder().equals("INBOX")).count();
    }

    private static void awaitMessages(String account, String folder, int count) throws Exception {
        awaitMessages(essaim.imapsPort(), account, folder, count);
    }

    private static void awaitMessages(int imapsPort, String account, String folder, int count) throws Exception {
        Store store = MailClients.imaps(imapsPort, account, PASSWORD);
        try {
            MailClients.awaitMessages(store, folder, count);
        } finally {
            store.close();
        }
    }

    private static String lastServerEntry() {
        AuditEntry entry = essaim.bean(AuditLog.class).serverEntriesNewestFirst().get(0);
        return entry.statementText();
    }

    private static Path backupFile(BackupRecord record) {
        return essaim.dataDir().resolve("backups").resolve(record.file());
    }

    private static String subject(Message message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    record Output(int status, String out, String err) {
        String text() {
            return out + err;
        }
    }

    static Output backupCommand(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = Stream.concat(Stream.of("backup"), Stream.of(arguments)).toArray(String[]::new);
        int status = BackupCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Output run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Output(process.exitValue(), output, "");
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
