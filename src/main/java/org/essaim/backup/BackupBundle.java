package org.essaim.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The plaintext layout of a backup, a zip (what the admins get back with {@code gpg -d}):
 * <pre>
 * databases/&lt;path&gt;.zip   each H2 database's BACKUP TO copy, e.g. databases/db/essaim.zip, databases/james/db/james.zip
 * queues/&lt;queue&gt;/n.json, n.eml   the mail that was queued
 * files/&lt;path&gt;          every other file of the data directory
 * manifest.json          written last (see {@link BackupManifest})
 * </pre>
 * Never written to disk in the clear outside the staging directory; encrypted right after its restore test.
 */
final class BackupBundle {
    static final String DATABASES = "databases/";
    static final String QUEUES = "queues/";
    static final String FILES = "files/";

    private BackupBundle() {
    }

    /** Writes the bundle; returns the files' entries (with SHA-256) for the manifest, written by {@code manifest}. */
    static List<BackupManifest.FileEntry> write(OutputStream out, Path stagedDatabases, Path stagedQueues, Path dataDir,
                                                List<Path> files, java.util.function.Function<List<BackupManifest.FileEntry>,
                                                BackupManifest> manifest) throws IOException {
        List<BackupManifest.FileEntry> entries = new ArrayList<>();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            // Mail is ciphertext and the databases are zips already: the fastest level saves the little there is.
            zip.setLevel(Deflater.BEST_SPEED);
            addTree(zip, stagedDatabases, DATABASES);
            addTree(zip, stagedQueues, QUEUES);
            for (Path relative : files) {
                Path file = dataDir.resolve(relative);
                InputStream content;
                try {
                    content = Files.newInputStream(file);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // deleted since the listing (a mail repository entry handled meanwhile)
                }
                MessageDigest sha256 = sha256();
                long size;
                zip.putNextEntry(new ZipEntry(FILES + DataDirectoryFiles.portable(relative)));
                try (InputStream in = new DigestInputStream(content, sha256)) {
                    size = in.transferTo(zip);
                }
                zip.closeEntry();
                entries.add(new BackupManifest.FileEntry(DataDirectoryFiles.portable(relative),
                        HexFormat.of().formatHex(sha256.digest()), size));
            }
            zip.putNextEntry(new ZipEntry(BackupManifest.FILE_NAME));
            zip.write(manifest.apply(List.copyOf(entries)).toJson());
            zip.closeEntry();
        }
        return entries;
    }

    private static void addTree(ZipOutputStream zip, Path root, String prefix) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            zip.putNextEntry(new ZipEntry(prefix + DataDirectoryFiles.portable(root.relativize(file))));
            Files.copy(file, zip);
            zip.closeEntry();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
