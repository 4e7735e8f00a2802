package org.essaim.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a backup's plaintext bundle ({@link BackupBundle}) into a new data directory, read as a stream (so the
 * command line can feed it straight from {@code gpg --decrypt}): the databases go back where they were, queued mail
 * goes to {@code james/restored-queues/} (queued again at the first start), every other file to its place, all of
 * it owner-only ({@link OwnerOnly}). Used by {@code essaim.jar backup restore|verify}, by
 * the automatic restore test of every backup, and by the standby.
 */
public final class BackupRestore {
    static final String RESTORED_QUEUES = "james/restored-queues/";
    /** The restored backup's manifest, kept in the restored data directory. */
    public static final String RESTORED_MANIFEST = "restored-from-backup.json";

    private BackupRestore() {
    }

    /**
     * @param to a directory that does not exist or is empty
     * @return the bundle's manifest
     * @throws IOException when the bundle is unreadable, incomplete (no manifest) or names a path outside {@code to}
     */
    public static BackupManifest restore(InputStream bundle, Path to) throws IOException {
        Path target = to.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            try (Stream<Path> existing = Files.list(target)) {
                if (existing.findAny().isPresent()) {
                    throw new IOException(target + " is not empty: restore into a new directory");
                }
            }
        }
        Files.createDirectories(target);
        OwnerOnly.directory(target);
        byte[] manifest = null;
        ZipInputStream zip = new ZipInputStream(bundle);
        for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
            String name = entry.getName();
            if (entry.isDirectory()) {
                continue;
            }
            if (name.equals(BackupManifest.FILE_NAME)) {
                manifest = zip.readAllBytes();
            } else if (name.startsWith(BackupBundle.DATABASES) && name.endsWith(".zip")) {
                String database = name.substring(BackupBundle.DATABASES.length(), name.length() - ".zip".length());
                unpackDatabase(zip, inside(target, database).getParent());
            } else if (name.startsWith(BackupBundle.QUEUES)) {
                copy(zip, inside(target, RESTORED_QUEUES + name.substring(BackupBundle.QUEUES.length())));
            } else if (name.startsWith(BackupBundle.FILES)) {
                copy(zip, inside(target, name.substring(BackupBundle.FILES.length())));
            } else {
                throw new IOException("Not an Essaim backup: unexpected entry " + name);
            }
        }
        if (manifest == null) {
            throw new IOException("The backup is incomplete: it has no " + BackupManifest.FILE_NAME);
        }
        OwnerOnly.file(Files.write(target.resolve(RESTORED_MANIFEST), manifest));
        return BackupManifest.fromJson(manifest);
    }

    /** The inner zip H2's BACKUP TO wrote: its database file(s) go into {@code directory}. */
    private static void unpackDatabase(InputStream outerEntry, Path directory) throws IOException {
        ZipInputStream inner = new ZipInputStream(new NotClosing(outerEntry));
        for (ZipEntry entry; (entry = inner.getNextEntry()) != null; ) {
            if (!entry.isDirectory()) {
                copy(inner, inside(directory, entry.getName()));
            }
        }
    }

    private static void copy(InputStream from, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.copy(from, file);
        OwnerOnly.file(file); // keys, databases, the log: never readable by others through the umask
    }

    private static Path inside(Path root, String relative) throws IOException {
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new IOException("Not an Essaim backup: the path " + relative + " leads outside the directory");
        }
        return resolved;
    }

    /** Lets the inner zip reader finish without closing the outer one. */
    private static final class NotClosing extends FilterInputStream {
        NotClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the outer zip stays open
        }
    }
}
