package org.essaim.support;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.springframework.util.FileSystemUtils;

/**
 * Application class-data sharing (AppCDS) for the {@link ChildEssaim} JVMs: a child start spends most of its CPU
 * loading and verifying the same ten thousand classes; mapping them from an archive saves much of it.
 * <p>
 * Java 17 will not dump an archive while a non-empty directory is on the class path, so the class path's directories
 * (target/classes, target/test-classes) are copied once into jars under {@code target/child-essaim/cds/<fingerprint>/}
 * (the fingerprint covers their files, the rest of the class path and the JDK, so a rebuild gets fresh ones). The first
 * child that gets to claim the archive dumps it when it exits ({@code -XX:ArchiveClassesAtExit}, under a temporary
 * name moved into place once complete); later children map it ({@code -XX:SharedArchiveFile}). Several test JVMs start
 * children side by side: the claim is an atomic file creation, a jar is published by an atomic hard link, and a child
 * never waits for either: without an archive (not dumped yet, or its dumping child was killed with SIGKILL, which dumps
 * nothing) it simply loads classes as usual, and the JVM itself ignores an archive that does not match
 * ({@code -Xshare:auto}, the default; never {@code -Xshare:on}). {@code -Dessaim.test.child-cds=false} turns it off.
 */
final class ChildClassDataSharing {
    /** A claim this old without an archive was left by a test JVM that died: another child may try. */
    private static final Duration ABANDONED_CLAIM = Duration.ofMinutes(15);
    private static final String ARCHIVE = "essaim.jsa";
    private static final String CLAIM = "dump.claim";
    private static ChildClassDataSharing thisBuild;

    private final Path directory;
    private final String classPath;

    private ChildClassDataSharing(Path directory, String classPath) {
        this.directory = directory;
        this.classPath = classPath;
    }

    /** The jars and archive of this build, made on first use in this test JVM; null when CDS is off or failed. */
    static synchronized ChildClassDataSharing forThisBuild() {
        if ("false".equals(System.getProperty("essaim.test.child-cds"))) {
            return null;
        }
        if (thisBuild == null) {
            try {
                thisBuild = prepare(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
            } catch (IOException | UncheckedIOException e) {
                System.err.println("Child JVMs without class data sharing: " + e); // slower, never wrong
                return null;
            }
        }
        return thisBuild;
    }

    private static ChildClassDataSharing prepare(List<String> entries) throws IOException {
        Path directory = Path.of("target", "child-essaim", "cds", fingerprint(entries)).toAbsolutePath();
        Files.createDirectories(directory);
        removeEarlierBuilds(directory);
        List<String> jarred = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Path entry = Path.of(entries.get(i));
            jarred.add(Files.isDirectory(entry) ? jarOnce(entry, directory.resolve(i + "-" + entry.getFileName() + ".jar"))
                    : entries.get(i));
        }
        return new ChildClassDataSharing(directory, String.join(File.pathSeparator, jarred));
    }

    /**
     * Each build's jars and archive take about 150 MB: those of earlier builds go once nothing has touched them for an
     * hour (not at once: a test run of another build in this folder may still be starting children from them).
     */
    private static void removeEarlierBuilds(Path current) throws IOException {
        Instant unused = Instant.now().minus(Duration.ofHours(1));
        try (Stream<Path> builds = Files.list(current.getParent())) {
            for (Path build : (Iterable<Path>) builds::iterator) {
                if (!build.equals(current) && Files.getLastModifiedTime(build).toInstant().isBefore(unused)) {
                    FileSystemUtils.deleteRecursively(build);
                }
            }
        }
    }

    /** The class path for a child: the same entries, with jars in place of the directories. */
    String classPath() {
        return classPath;
    }

    /**
     * What one child start adds to its JVM options: map the archive if there is one, else dump it at exit if this
     * child may and gets the claim, else nothing. {@link Launch#exited} is called when that child has ended.
     */
    Launch launch(boolean mayDump) {
        Path archive = directory.resolve(ARCHIVE);
        if (Files.isRegularFile(archive)) {
            return new Launch(List.of("-XX:SharedArchiveFile=" + archive), null);
        }
        if (mayDump && claimDump()) {
            Path partial = directory.resolve("dumping-" + UUID.randomUUID() + ".jsa");
            return new Launch(List.of("-XX:ArchiveClassesAtExit=" + partial), partial);
        }
        return new Launch(List.of(), null);
    }

    private boolean claimDump() {
        Path claim = directory.resolve(CLAIM);
        try {
            if (Files.exists(claim) && Files.getLastModifiedTime(claim).toInstant()
                    .isBefore(Instant.now().minus(ABANDONED_CLAIM))) {
                Files.deleteIfExists(claim);
            }
            Files.createFile(claim); // atomic: of two children starting at once, one gets it
            return true;
        } catch (IOException e) { // FileAlreadyExistsException: another child dumps it
            return false;
        }
    }

    /** One child's part: its JVM options, and the archive it dumps at exit (null if it does not). */
    final class Launch {
        private final List<String> jvmOptions;
        private final Path dumping;

        private Launch(List<String> jvmOptions, Path dumping) {
            this.jvmOptions = jvmOptions;
            this.dumping = dumping;
        }

        List<String> jvmOptions() {
            return jvmOptions;
        }

        /**
         * Publishes the archive the child dumped, or gives the claim back so that a later child dumps it. A JVM ended
         * by SIGKILL (exit status 137) dumped nothing, or only part: its file is thrown away.
         */
        void exited(int status) {
            if (dumping == null) {
                return;
            }
            try {
                if (status != 137 && Files.isRegularFile(dumping) && Files.size(dumping) > 0) {
                    Files.move(dumping, directory.resolve(ARCHIVE), StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.deleteIfExists(dumping);
                    Files.deleteIfExists(directory.resolve(CLAIM));
                }
            } catch (IOException e) {
                System.err.println("Child JVM archive not kept: " + e); // later children load classes as usual
            }
        }
    }

    /**
     * Copies a class directory into a jar, unless this build's jar is there already. Written under a temporary name and
     * published by a hard link, which fails rather than replaces: an archive only matches the jar (size and time) it was
     * dumped with, so a published jar is never replaced.
     */
    private static String jarOnce(Path classes, Path jar) throws IOException {
        if (!Files.exists(jar)) {
            Path partial = jar.resolveSibling(jar.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                writeJar(classes, partial);
                Files.createLink(jar, partial);
            } catch (FileAlreadyExistsException e) {
                // the other test JVM published it first: same content
            } finally {
                Files.deleteIfExists(partial);
            }
        }
        return jar.toString();
    }

    /**
     * A stored (uncompressed: cheaper to read) jar, made by the JDK's own jar tool, which also writes an entry per
     * directory: Spring's class path scanning needs them to find the packages in a jar.
     */
    private static void writeJar(Path classes, Path jar) throws IOException {
        ToolProvider tool = ToolProvider.findFirst("jar").orElseThrow(() -> new IOException("no jar tool in this JDK"));
        StringWriter messages = new StringWriter();
        PrintWriter out = new PrintWriter(messages);
        int status = tool.run(out, out, "--create", "--no-compress", "--no-manifest", "--file", jar.toString(),
                "-C", classes.toString(), ".");
        if (status != 0) {
            throw new IOException("jar of " + classes + " failed: " + messages);
        }
    }

    /** Names, sizes and times of the directories' files, the other class path entries and the JDK. */
    private static String fingerprint(List<String> entries) throws IOException {
        MessageDigest digest = sha256();
        digest.update((System.getProperty("java.home") + System.getProperty("java.vm.version")).getBytes(StandardCharsets.UTF_8));
        for (String entry : entries) {
            digest.update((entry + "\n").getBytes(StandardCharsets.UTF_8));
            if (Files.isDirectory(Path.of(entry))) {
                try (Stream<Path> files = Files.walk(Path.of(entry))) {
                    for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                        String line = file + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis() + "\n";
                        digest.update(line.getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
