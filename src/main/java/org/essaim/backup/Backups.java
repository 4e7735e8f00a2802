package org.essaim.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.essaim.config.EssaimProperties;
import org.essaim.crypto.BackupEncryption;
import org.essaim.governance.PinnedAdminKeys;
import org.essaim.governance.ServerLog;
import org.essaim.mailserver.MailStoreSnapshot;
import org.essaim.mailserver.StoredMessageCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;

/**
 * Takes a backup of the running server (docs/backups.md):
 * <ol>
 * <li>copies every H2 database online ({@code BACKUP TO}); James' database and the mail queues during a short
 * pause of mail acceptance (SMTP answers 451 4.3.2, senders retry), after the spool emptied, so every message a
 * sender saw accepted is in the backup or arrives after it;</li>
 * <li>writes the bundle (databases, queued mail, every other file of the data directory but the search index)
 * with its manifest;</li>
 * <li>restores the bundle into a scratch directory and checks it against the manifest (the restore test);</li>
 * <li>encrypts it to every admin's pinned key and the operator's extra recipients, so the server itself cannot
 * read its backups; the plaintext staging directory is deleted;</li>
 * <li>applies the retention, copies off the machine (a directory, restic), and writes the result to the public
 * log ({@code backup.verified}, or {@code backup.failed} with the admins alerted by mail).</li>
 * </ol>
 * One backup at a time. A crash at any point leaves the previous backups untouched: partial files are named
 * {@code *.partial} or live in {@code .staging-*} and are removed by the next run.
 */
@Service
public class Backups {
    private static final Logger LOGGER = LoggerFactory.getLogger(Backups.class);
    static final String JAMES_DATABASE = "james/db/james";

    private final EssaimProperties settings;
    private final MailStoreSnapshot mailStore;
    private final DataSource applicationDatabase;
    private final String applicationDatabaseUser;
    private final PinnedAdminKeys adminKeys;
    private final ServerLog serverLog;
    private final BackupNotices notices;
    private final OffMachineCopies offMachine;
    private final BackupDirectory directory;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    public Backups(EssaimProperties settings, MailStoreSnapshot mailStore, DataSource applicationDatabase,
                   Environment environment, PinnedAdminKeys adminKeys, ServerLog serverLog, BackupNotices notices,
                   OffMachineCopies offMachine, BackupDirectory directory) {
        this.settings = settings;
        this.mailStore = mailStore;
        this.applicationDatabase = applicationDatabase;
        this.applicationDatabaseUser = environment.getProperty("spring.datasource.username", "sa");
        this.adminKeys = adminKeys;
        this.serverLog = serverLog;
        this.notices = notices;
        this.offMachine = offMachine;
        this.directory = directory;
    }

    /**
     * Takes a backup now. On failure the reason is logged publicly, the admins get a mail, and a
     * {@link BackupFailedException} says why; earlier backups are never touched by a failed one.
     */
    public BackupRecord backUp() {
        if (!oneAtATime.tryLock()) {
            throw new BackupFailedException("A backup is already running");
        }
        Instant started = Instant.now();
        Path backupDir = settings.backupDir();
        Path staging = backupDir.resolve(BackupDirectory.STAGING_PREFIX + started.toEpochMilli());
        try {
            directory.removeLeftovers();
            Files.createDirectories(staging);
            OwnerOnly.directory(staging); // plaintext copies of the databases and files until encrypted
            BackupRecord record = takeBackup(started, staging);
            directory.recordRun(BackupDirectory.LastRun.succeeded(Instant.now(), record.file()));
            afterwards(record);
            return record;
        } catch (IOException | SQLException | RuntimeException e) {
            String reason = e instanceof BackupFailedException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            LOGGER.error("Backup failed: {}", reason);
            failed(reason);
            throw e instanceof BackupFailedException failure ? failure : new BackupFailedException(reason, e);
        } finally {
            BackupDirectory.deleteTree(staging);
            oneAtATime.unlock();
        }
    }

    public boolean isRunning() {
        return oneAtATime.isLocked();
    }

    private BackupRecord takeBackup(Instant started, Path staging) throws IOException, SQLException {
        List<Recipient> recipients = recipients();
        Path dataDir = settings.absoluteDataDir();
        List<Path> excluded = new ArrayList<>(mailStore.notCopiedAsFiles());
        excluded.add(settings.backupDir());
        DataDirectoryFiles data = new DataDirectoryFiles(dataDir, excluded);
        Path stagedDatabases = staging.resolve("databases");
        Path stagedQueues = staging.resolve("queues");

        stage(started, "copying the databases");
        String applicationDatabasePath = applicationDatabasePath(dataDir);
        Map<String, String> users = new LinkedHashMap<>();
        for (Path database : data.databases()) {
            String path = DataDirectoryFiles.portable(database);
            if (path.equals(JAMES_DATABASE)) {
                users.put(path, "");
                continue; // copied during the pause, below
            }
            Path zip = stagedZip(stagedDatabases, path);
            if (path.equals(applicationDatabasePath)) {
                users.put(path, applicationDatabaseUser);
                try (Connection connection = applicationDatabase.getConnection()) {
                    H2Databases.backup(connection, zip);
                }
            } else {
                users.put(path, "sa");
                try (Connection connection = H2Databases.open(dataDir.resolve(database), "sa")) {
                    H2Databases.backup(connection, zip);
                }
            }
        }
        if (!users.containsKey(JAMES_DATABASE)) {
            throw new BackupFailedException("No mail database at " + dataDir.resolve(JAMES_DATABASE) + H2Databases.FILE_SUFFIX);
        }

        Instant opened;
        Instant closed;
        int queued;
        Duration window = Duration.ofSeconds(settings.backup().windowSeconds());
        try (MailStoreSnapshot.Pause pause = mailStore.pauseDelivery(window)) {
            opened = Instant.now();
            stage(started, "mail acceptance paused");
            mailStore.awaitEmptySpool(window);
            mailStore.backupDatabase(stagedZip(stagedDatabases, JAMES_DATABASE));
            queued = mailStore.exportQueues(stagedQueues);
            closed = Instant.now();
        }
        stage(started, "mail acceptance resumed after " + Duration.between(opened, closed).toMillis() + " ms");

        List<BackupManifest.DatabaseCopy> copies = new ArrayList<>();
        List<StoredMessageCatalog.StoredMessage> messages = List.of();
        BackupManifest.AuditHead auditHead = null;
        long accounts = 0;
        for (Map.Entry<String, String> database : users.entrySet()) {
            Path zip = stagedZip(stagedDatabases, database.getKey());
            String name = Path.of(database.getKey()).getFileName().toString();
            Path unpacked = staging.resolve("unpacked").resolve(database.getKey()).getParent();
            H2Databases.unpackBackupZip(zip, unpacked); // the copy is checked, not the live database
            try (Connection connection = H2Databases.open(unpacked.resolve(name), database.getValue())) {
                Map<String, Long> counts = H2Databases.rowCounts(connection);
                copies.add(new BackupManifest.DatabaseCopy(database.getKey(), database.getValue(), counts));
                if (database.getKey().equals(JAMES_DATABASE)) {
                    messages = StoredMessageCatalog.read(connection);
                    accounts = counts.getOrDefault("JAMES_USER", 0L);
                } else if (database.getKey().equals(applicationDatabasePath)) {
                    auditHead = RestoreCheck.auditHead(connection);
                }
            }
        }

        BackupDirectory.deleteTree(staging.resolve("unpacked"));

        stage(started, "writing the bundle");
        Path bundle = staging.resolve("bundle.zip");
        List<Path> files = data.files();
        List<StoredMessageCatalog.StoredMessage> catalog = messages;
        BackupManifest.AuditHead head = auditHead;
        long accountCount = accounts;
        try (OutputStream out = Files.newOutputStream(bundle)) {
            BackupBundle.write(out, stagedDatabases, stagedQueues, dataDir, files, fileEntries -> new BackupManifest(
                    BackupManifest.FORMAT, started.toString(), settings.domain(), opened.toString(), closed.toString(),
                    List.copyOf(copies), catalog, fileEntries, queued, head, accountCount));
        }

        stage(started, "restore test");
        Path scratch = staging.resolve("restore-test");
        BackupManifest manifest;
        try (InputStream in = Files.newInputStream(bundle)) {
            manifest = BackupRestore.restore(in, scratch);
        }
        RestoreCheck.Report report = RestoreCheck.check(scratch, manifest);
        BackupDirectory.deleteTree(scratch);
        if (!report.passed()) {
            throw new BackupFailedException("The restore test failed: " + String.join("; ", report.problems()));
        }
        BackupRecord.RestoreTest restoreTest = new BackupRecord.RestoreTest(Instant.now().toString(), true,
                report.messages(), report.accounts(), report.auditHead(), List.of());

        stage(started, "encrypting");
        Path target = directory.newBackupFile(started);
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        MessageDigest sha256 = BackupBundle.sha256();
        try {
            try (InputStream in = Files.newInputStream(bundle);
                 FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new DigestOutputStream(java.nio.channels.Channels.newOutputStream(channel), sha256)) {
                BackupEncryption.encrypt(in, out, recipients.stream().map(Recipient::certificate).toList());
                out.flush();
                channel.force(true);
            }
            checkEncryptedToEveryone(partial, recipients);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial); // a failed or stopped run leaves nothing (a crash: removed at the next start)
            throw e;
        }
        BackupRecord record = new BackupRecord(target.getFileName().toString(), started.toString(), Files.size(target),
                HexFormat.of().formatHex(sha256.digest()),
                recipients.stream().map(r -> new BackupRecord.Recipient(r.who(), r.fingerprint())).toList(),
                restoreTest, Duration.between(opened, closed).toMillis() / 1000.0,
                Duration.between(started, Instant.now()).toMillis() / 1000.0);
        record.writeBeside(target);
        stage(started, "written " + target.getFileName() + " (" + record.size() + " bytes, " + report.messages()
                + " messages), restore test passed");
        return record;
    }

    /** Retention, copies off the machine, the public log. A failure here leaves the new backup in place. */
    private void afterwards(BackupRecord record) {
        directory.applyRetention(settings.backup().keep());
        BackupRecord.RestoreTest test = record.restoreTest();
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("file", record.file());
        parameters.put("sha256", record.sha256());
        parameters.put("size", String.valueOf(record.size()));
        parameters.put("messages", String.valueOf(test.messages()));
        parameters.put("accounts", String.valueOf(test.accounts()));
        parameters.put("logHead", test.auditHead() == null ? "" : test.auditHead().seq() + ":" + test.auditHead().hash());
        serverLog.append("backup.verified", parameters);
        try {
            offMachine.copy(settings.backupDir());
        } catch (RuntimeException e) {
            String reason = "the backup " + record.file() + " is made, but its copy off the machine failed: " + e.getMessage();
            LOGGER.error("Backup: {}", reason);
            directory.recordRun(BackupDirectory.LastRun.failed(Instant.now(), reason));
            serverLog.append("backup.failed", Map.of("reason", reason));
            notices.backupFailed(reason);
        }
    }

    private void failed(String reason) {
        try {
            directory.recordRun(BackupDirectory.LastRun.failed(Instant.now(), reason));
            serverLog.append("backup.failed", Map.of("reason", reason));
        } catch (RuntimeException e) {
            LOGGER.error("Could not record the failed backup: {}", e.getMessage());
        }
        notices.backupFailed(reason);
    }

    /** Whom the backup is encrypted to: every admin's pinned key, then {@code essaim.backup.recipients}. */
    List<Recipient> recipients() throws IOException {
        List<Recipient> recipients = new ArrayList<>();
        for (PinnedAdminKeys.PinnedKey key : adminKeys.all()) {
            recipients.add(new Recipient(key.address(), key.fingerprint(), key.certificate()));
        }
        for (Path file : settings.backup().recipients()) {
            byte[] certificate = Files.readAllBytes(file);
            recipients.add(new Recipient(file.toString(), BackupEncryption.fingerprint(certificate), certificate));
        }
        if (recipients.isEmpty()) {
            throw new BackupFailedException("No key to encrypt the backup to: no admin has a published key yet, "
                    + "and essaim.backup.recipients is empty");
        }
        return recipients;
    }

    /** Reads the session-key packets back: each recipient must be able to decrypt. */
    private static void checkEncryptedToEveryone(Path encrypted, List<Recipient> recipients) throws IOException {
        Set<String> keyIds;
        try (InputStream in = Files.newInputStream(encrypted)) {
            keyIds = BackupEncryption.recipientKeyIds(in);
        }
        for (Recipient recipient : recipients) {
            if (BackupEncryption.encryptionKeyIds(recipient.certificate()).stream().noneMatch(keyIds::contains)) {
                throw new BackupFailedException("The backup is not encrypted to " + recipient.who());
            }
        }
    }

    /** The application database's path in the data directory (e.g. {@code db/essaim}). */
    private String applicationDatabasePath(Path dataDir) throws SQLException {
        try (Connection connection = applicationDatabase.getConnection()) {
            String url = connection.getMetaData().getURL();
            if (url == null || !url.startsWith("jdbc:h2:file:")) {
                throw new BackupFailedException("Backups copy the embedded H2 databases only; Essaim's database is "
                        + url + " (back it up with its own tools, e.g. pg_dump)");
            }
            String file = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
            Path path = Path.of(file).toAbsolutePath().normalize();
            if (!path.startsWith(dataDir)) {
                throw new BackupFailedException("Essaim's database " + path + " is outside the data directory");
            }
            return DataDirectoryFiles.portable(dataDir.relativize(path));
        }
    }

    private static Path stagedZip(Path stagedDatabases, String database) throws IOException {
        Path zip = stagedDatabases.resolve(database + ".zip");
        Files.createDirectories(zip.getParent());
        return zip;
    }

    private static void stage(Instant started, String what) {
        LOGGER.info("Backup {}: {}", started, what);
    }

    /** A key the backup is encrypted to. */
    record Recipient(String who, String fingerprint, byte[] certificate) { }
}
