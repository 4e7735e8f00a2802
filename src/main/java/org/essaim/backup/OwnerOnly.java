package org.essaim.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Owner-only permissions for what a backup or a restore writes: a restored data directory holds the DKIM and TLS
 * private keys (owner-only where Essaim made them, see dkim/DkimKeyStore and mailserver/TlsMaterial), the
 * databases (account names, password hashes) and the log, and a backup's staging directory holds plaintext copies
 * of them; neither may become readable by other users of the machine through the process's umask.
 */
final class OwnerOnly {
    private OwnerOnly() {
    }

    static void directory(Path directory) throws IOException {
        set(directory, "rwx------");
    }

    static void file(Path file) throws IOException {
        set(file, "rw-------");
    }

    private static void set(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the parent directory's own protection applies
        }
    }
}
