package org.essaim.backup;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What of the data directory a backup copies as plain files: everything, so data that later features add is covered
 * without touching the backup, except what is copied another way or must not be copied:
 * H2 database files (copied online with {@code BACKUP TO}), the mail queue's store (exported message by message),
 * the search index (rebuilt after a restore), and the backups themselves.
 */
final class DataDirectoryFiles {
    private static final Set<String> H2_FILE_SUFFIXES = Set.of(".mv.db", ".lock.db", ".trace.db", ".temp.db", ".mv.db.tmp");

    private final Path dataDir;
    private final List<Path> excludedDirectories;

    /** @param excludedDirectories absolute directories left out, with everything below them */
    DataDirectoryFiles(Path dataDir, List<Path> excludedDirectories) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.excludedDirectories = excludedDirectories.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** The files to copy, relative to the data directory, sorted. */
    List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dataDir)) {
            return files;
        }
        Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return excludedDirectories.contains(dir.normalize()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && !isH2File(file)) {
                    files.add(dataDir.relativize(file));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                // a file deleted while walking (a mail repository entry handled meanwhile) is simply not copied
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        return files;
    }

    /** The H2 databases in the data directory, as paths without {@code .mv.db}, relative to it. */
    List<Path> databases() throws IOException {
        List<Path> databases = new ArrayList<>();
        if (!Files.isDirectory(dataDir)) {
            return databases;
        }
        Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return excludedDirectories.contains(dir.normalize()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                String name = file.getFileName().toString();
                if (name.endsWith(H2Databases.FILE_SUFFIX)) {
                    Path relative = dataDir.relativize(file);
                    databases.add(relative.resolveSibling(name.substring(0, name.length() - H2Databases.FILE_SUFFIX.length())));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        databases.sort(null);
        return databases;
    }

    static boolean isH2File(Path file) {
        String name = file.getFileName().toString();
        return H2_FILE_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    /** A relative path with {@code /} separators, as stored in the bundle and the manifest. */
    static String portable(Path relative) {
        return relative.toString().replace(java.io.File.separatorChar, '/');
    }
}
