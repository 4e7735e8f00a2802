package org.essaim.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real GnuPG ({@code gpg}) in its own throw-away home directory: makes keys, encrypts and decrypts,
 * so tests check Essaim's output against the reference implementation users actually run.
 */
public final class GnuPG {
    private final Path home;

    public GnuPG(Path home) {
        this.home = home;
        try {
            Files.createDirectories(home);
            home.toFile().setReadable(false, false);
            home.toFile().setReadable(true, true);
            home.toFile().setExecutable(false, false);
            home.toFile().setExecutable(true, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes an unprotected key pair for the address (Ed25519 + Cv25519); returns the armored public key. */
    public byte[] generateKey(String address) {
        run(null, "--quick-generate-key", "<" + address + ">", "future-default", "default", "never");
        return run(null, "--armor", "--export", address);
    }

    public byte[] decrypt(byte[] ciphertext) {
        return run(ciphertext, "--decrypt");
    }

    public byte[] encryptArmored(byte[] plaintext, String recipient) {
        return run(plaintext, "--armor", "--trust-model", "always", "--encrypt", "--recipient", recipient);
    }

    public byte[] encryptBinary(byte[] plaintext, String recipient) {
        return run(plaintext, "--trust-model", "always", "--encrypt", "--recipient", recipient);
    }

    public String listPackets(byte[] ciphertext) {
        return new String(run(ciphertext, "--list-packets"), StandardCharsets.UTF_8);
    }

    public void importKey(byte[] key) {
        run(key, "--import");
    }

    public byte[] run(byte[] input, String... arguments) {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--yes",
                "--no-tty", "--quiet", "--pinentry-mode", "loopback", "--passphrase", ""));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<byte[]> out = readAll(process.getInputStream());
            CompletableFuture<byte[]> err = readAll(process.getErrorStream());
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input);
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("gpg timed out: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("gpg failed (" + process.exitValue() + "): " + command + "\n"
                        + new String(err.join(), StandardCharsets.UTF_8));
            }
            return out.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the gpg-agent this home started. */
    public void close() {
        try {
            new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // nothing to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CompletableFuture<byte[]> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
                in.transferTo(out);
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
