package org.essaim.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Real GnuPG in a throw-away GNUPGHOME, always in batch mode with an empty passphrase.
 * {@link #close()} stops the gpg-agent and dirmngr this home started. Public: governance tests sign with it.
 */
public final class GpgHome implements AutoCloseable {
    private static final String[] BATCH = {"--batch", "--yes", "--utf8-strings", "--pinentry-mode", "loopback", "--passphrase", ""};

    private final Path home;

    private GpgHome(Path home) {
        this.home = home;
    }

    public static GpgHome create(Path parent, String name) {
        try {
            Path home = Files.createDirectories(parent.resolve(name));
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            return new GpgHome(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Runs gpg and fails unless it exits with 0. */
    public String gpg(String... arguments) {
        return gpgBytes(null, arguments).out();
    }

    public Result gpgBytes(byte[] stdin, String... arguments) {
        Result result = tryGpg(stdin, arguments);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("gpg " + String.join(" ", arguments) + " exited with "
                    + result.exitCode() + ": " + result.stderr());
        }
        return result;
    }

    public Result tryGpg(byte[] stdin, String... arguments) {
        List<String> command = new ArrayList<>(List.of("gpg"));
        command.addAll(List.of(BATCH));
        command.addAll(List.of(arguments));
        return run(stdin, command);
    }

    /** Generates 'Name &lt;address&gt;' as GnuPG users do: ed25519 certification key plus cv25519 encryption subkey. */
    public String generateKey(String userId, String... fakedSystemTime) {
        List<String> time = fakedSystemTime.length == 0 ? List.of()
                : List.of("--faked-system-time", fakedSystemTime[0]);
        List<String> generate = new ArrayList<>(time);
        generate.addAll(List.of("--quick-gen-key", userId, "ed25519", "cert", fakedSystemTime.length == 0 ? "0" : "1d"));
        gpg(generate.toArray(String[]::new));
        String fingerprint = fingerprintOf(userId);
        List<String> addKey = new ArrayList<>(time);
        addKey.addAll(List.of("--quick-add-key", fingerprint, "cv25519", "encr", fakedSystemTime.length == 0 ? "0" : "1d"));
        gpg(addKey.toArray(String[]::new));
        return fingerprint;
    }

    /** The primary fingerprint of the first key matching {@code who}. */
    public String fingerprintOf(String who) {
        for (String line : gpg("--with-colons", "--list-keys", who).split("\n")) {
            if (line.startsWith("fpr:")) {
                return line.split(":")[9];
            }
        }
        throw new IllegalStateException("No key for " + who);
    }

    public List<String> fingerprints() {
        List<String> fingerprints = new ArrayList<>();
        boolean primary = false;
        for (String line : gpg("--with-colons", "--list-keys").split("\n")) {
            if (line.startsWith("pub:")) {
                primary = true;
            } else if (line.startsWith("fpr:") && primary) {
                fingerprints.add(line.split(":")[9]);
                primary = false;
            } else if (line.startsWith("sub:")) {
                primary = false;
            }
        }
        return fingerprints;
    }

    public byte[] exportArmored(String fingerprint) {
        return gpgBytes(null, "--armor", "--export", fingerprint).stdout();
    }

    public byte[] exportSecretArmored(String fingerprint) {
        return gpgBytes(null, "--armor", "--export-secret-keys", fingerprint).stdout();
    }

    public Result importKeys(byte[] keys) {
        return tryGpg(keys, "--import");
    }

    public Path path() {
        return home;
    }

    @Override
    public void close() {
        run(null, List.of("gpgconf", "--kill", "all"));
    }

    private Result run(byte[] stdin, List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("GNUPGHOME", home.toString());
            builder.environment().put("LC_ALL", "C");
            Process process = builder.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(java.io.InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
