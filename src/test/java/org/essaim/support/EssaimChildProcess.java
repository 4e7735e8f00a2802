package org.essaim.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;


/**
 * Essaim in a JVM of its own (the test JVM's classpath), for what one process cannot show: a second server at the
 * same time (the embedded ActiveMQ broker is one per JVM), a server killed with SIGKILL, a restart after a crash.
 * Loopback only, free ports, its own data directory. Its output is kept, line by line, so tests can wait for a
 * log line (e.g. a backup reaching a stage). (internet's {@code EssaimProcess} drives its child by one-line
 * commands instead; both start the same application.)
 */
public final class EssaimChildProcess implements AutoCloseable {
    private static final List<String> PORTS = List.of("server.port", "essaim.smtp.port", "essaim.submission.port",
            "essaim.imap.port", "essaim.imaps.port", "essaim.pop3.port", "essaim.pop3s.port");

    private final Path dataDir;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> output = new ArrayList<>();
    private Process process;

    private EssaimChildProcess(Path dataDir, Map<String, Object> extra) {
        this.dataDir = dataDir;
        properties.put("essaim.data-dir", dataDir.toString());
        properties.put("essaim.domain", EssaimInstance.DOMAIN);
        properties.put("essaim.hostname", "mail." + EssaimInstance.DOMAIN);
        properties.put("essaim.bind-address", "127.0.0.1");
        properties.put("server.address", "127.0.0.1");
        PORTS.forEach(port -> properties.put(port, freePort()));
        properties.put("essaim.bootstrap.admin-email", EssaimInstance.ADMIN);
        properties.put("essaim.bootstrap.admin-password", EssaimInstance.ADMIN_PASSWORD);
        properties.putAll(extra);
    }

    /** Starts and waits until the application is ready (web, SMTP, IMAP up). */
    public static EssaimChildProcess start(Path dataDir, Map<String, Object> properties) {
        EssaimChildProcess essaim = new EssaimChildProcess(dataDir, properties);
        essaim.launch();
        return essaim;
    }

    /** Starts again on the same data directory and ports (after {@link #stop} or {@link #kill}). */
    public void restart() {
        stop();
        launch();
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-XX:+UseSerialGC"));
        command.addAll(EssaimInstance.CHILD_JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EssaimChildMain.class.getName()));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        // kept after the test's temporary directory is gone: target/ when run by Maven
        Path log = java.nio.file.Files.isDirectory(Path.of("target"))
                ? Path.of("target", "essaim-child-" + dataDir.getFileName() + ".log") : null;
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8));
                 java.io.Writer file = log == null ? java.io.Writer.nullWriter()
                         : java.nio.file.Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                         java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    file.write(line + "\n");
                    file.flush();
                    synchronized (output) {
                        output.add(line);
                        output.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "essaim-child-output");
        reader.setDaemon(true);
        reader.start();
        awaitLine(line -> line.equals(EssaimChildMain.READY), Duration.ofMinutes(5));
    }

    /**
     * Waits for a line of output that matches, among the lines printed from now on (or already printed since
     * {@code fromLine}); returns its index.
     */
    public int awaitLine(Predicate<String> matches, Duration timeout) {
        return awaitLine(matches, linesSoFar(), timeout);
    }

    public int awaitLine(Predicate<String> matches, int fromLine, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            int next = fromLine;
            while (true) {
                for (; next < output.size(); next++) {
                    if (matches.test(output.get(next))) {
                        return next;
                    }
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("Essaim ended (status " + process.exitValue() + ") before the line "
                            + "expected; last output:\n" + tail());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("Timed out waiting for a line; last output:\n" + tail());
                }
                try {
                    output.wait(Math.max(1, Math.min(left / 1_000_000, 500)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    public int linesSoFar() {
        synchronized (output) {
            return output.size();
        }
    }

    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    private String tail() {
        List<String> lines = output();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** SIGKILL: the process gets no chance to clean up. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** SIGTERM, then waits for the orderly shutdown. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public int port(String property) {
        return (Integer) properties.get(property);
    }

    public int webPort() {
        return port("server.port");
    }

    public int smtpPort() {
        return port("essaim.smtp.port");
    }

    public int imapsPort() {
        return port("essaim.imaps.port");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + webPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
