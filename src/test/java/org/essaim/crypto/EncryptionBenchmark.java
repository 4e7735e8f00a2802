package org.essaim.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.essaim.support.GnuPG;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Messages per second through the delivery encryption step (PgpMimeEncryptor, in process) against the same
 * messages through {@code gpg --encrypt} and {@code sqop encrypt} (one process per message, as a filter
 * would run them), on the same machine in the same run, for 4 KB and 1 MB messages. See docs/benchmarks.md.
 * <p>
 * Run: {@code mvn -B -o test -Dtest=EncryptionBenchmark -Dexcluded.test.groups=none} (optional
 * {@code -Dbenchmark.seconds=5}: time spent on each measurement). Tagged benchmark: left out of {@code mvn test}.
 */
@Tag("benchmark")
class EncryptionBenchmark {
    private static final String RECIPIENT = "bench@essaim.test";

    @Test
    void messagesPerSecondAgainstGnuPGAndSqop() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(System.getProperty("benchmark.seconds", "5"));
        Path work = Files.createTempDirectory("essaim-bench");
        GnuPG gpg = new GnuPG(work.resolve("gnupg"));
        try {
            byte[] certificate = gpg.generateKey(RECIPIENT);
            Path certificateFile = work.resolve("cert.asc");
            Files.write(certificateFile, certificate);
            boolean sqop = commandExists("sqop");
            PgpMimeEncryptor encryptor = new PgpMimeEncryptor();

            System.out.printf("Essaim delivery encryption benchmark (%s, %d cores, Java %s, %.0f s per measurement)%n",
                    System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), seconds);
            System.out.printf("%-8s %16s %16s %16s %12s %12s%n", "size", "essaim msg/s", "gpg msg/s",
                    "sqop msg/s", "essaim/gpg", "essaim/sqop");
            for (int size : List.of(4 * 1024, 1024 * 1024)) {
                byte[] message = message(size);
                List<Step> steps = new java.util.ArrayList<>(List.of(
                        new Step(m -> encryptor.encrypt(m, certificate)),
                        new Step(m -> gpg.run(m, "--armor", "--trust-model", "always", "--encrypt", "--recipient", RECIPIENT))));
                if (sqop) {
                    steps.add(new Step(m -> runProcess(m, "sqop", "encrypt", certificateFile.toString())));
                }
                steps.forEach(step -> step.warmUp(message, seconds * 0.2));
                // Interleaved rounds, so that load from other processes on a shared machine hits all tools alike.
                for (int round = 0; round < ROUNDS; round++) {
                    for (Step step : steps) {
                        step.measure(message, seconds / ROUNDS);
                    }
                }
                double essaim = steps.get(0).rate();
                double viaGpg = steps.get(1).rate();
                double viaSqop = sqop ? steps.get(2).rate() : Double.NaN;
                System.out.printf("%-8s %16.1f %16.1f %16s %12.2f %12s%n", size == 4096 ? "4 KB" : "1 MB",
                        essaim, viaGpg, sqop ? String.format("%.1f", viaSqop) : "n/a", essaim / viaGpg,
                        sqop ? String.format("%.2f", essaim / viaSqop) : "n/a");
            }
        } finally {
            gpg.close();
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static final int ROUNDS = 5;

    /** One way of encrypting a message, with the messages and time it has accumulated. */
    private static final class Step {
        private final Consumer<byte[]> action;
        private long messages;
        private long nanos;

        Step(Consumer<byte[]> action) {
            this.action = action;
        }

        void warmUp(byte[] message, double seconds) {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            do {
                action.accept(message);
            } while (System.nanoTime() < end);
        }

        void measure(byte[] message, double seconds) {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            do {
                action.accept(message);
                messages++;
            } while (System.nanoTime() < end);
            nanos += System.nanoTime() - start;
        }

        double rate() {
            return messages / (nanos / 1e9);
        }
    }

    /** A plausible mail of about {@code size} bytes: text body, and above 64 KB a base64 attachment. */
    static byte[] message(int size) {
        Random random = new Random(size);
        StringBuilder mail = new StringBuilder()
                .append("From: Friend <friend@example.org>\r\nTo: <").append(RECIPIENT).append(">\r\n")
                .append("Subject: Benchmark message\r\nMessage-ID: <bench-").append(size).append("@example.org>\r\n")
                .append("Date: Wed, 25 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n\r\n");
        String[] words = {"essaim", "ruche", "mail", "lorem", "ipsum", "abeille", "message", "collectif", "clef"};
        int textSize = size > 65536 ? 8192 : size;
        int lineLength = 0;
        while (mail.length() < textSize - 200) {
            String word = words[random.nextInt(words.length)];
            mail.append(word).append(' ');
            lineLength += word.length() + 1;
            if (lineLength > 70) {
                mail.append("\r\n");
                lineLength = 0;
            }
        }
        mail.append("\r\n");
        if (size > 65536) {
            byte[] attachment = new byte[(size - mail.length()) * 3 / 4 - 512];
            random.nextBytes(attachment);
            mail.append("--b\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n")
                    .append("Content-Transfer-Encoding: base64\r\n\r\n")
                    .append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(attachment))
                    .append("\r\n");
        }
        mail.append("--b--\r\n");
        return mail.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean commandExists(String command) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] runProcess(byte[] input, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread writer = new Thread(() -> {
                try (var in = process.getOutputStream()) {
                    in.write(input);
                } catch (IOException e) {
                    // reported through the exit code
                }
            });
            writer.start();
            byte[] output = process.getInputStream().readAllBytes();
            writer.join();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command[0] + " failed");
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
