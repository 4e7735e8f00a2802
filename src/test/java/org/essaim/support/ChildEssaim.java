package org.essaim.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.essaim.EssaimApplication;

/**
 * Essaim in a child JVM on the test's classpath, for what a test cannot do to a server inside its own JVM:
 * kill -9 it (SIGKILL, no shutdown hook runs), or give it the documented small heap. Same properties as
 * {@link EssaimInstance} (free loopback ports, bootstrap admin), restartable on the same data and ports.
 * Its output goes to {@code target/child-essaim/<data directory name>.log} (kept after the test's temp folder
 * is gone, for post-mortems).
 */
public final class ChildEssaim implements AutoCloseable {
    private final Path dataDir;
    private final List<String> jvmOptions;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    /** Logged by setup/FirstRunSetup just after start-up: before it, the bootstrap account does not exist yet. */
    private static final String FIRST_ACCOUNT_CREATED = "Created the first admin account";
    private Process process;

    public ChildEssaim(Path dataDir, List<String> jvmOptions, Map<String, Object> extraProperties) {
        this.dataDir = dataDir;
        this.jvmOptions = List.copyOf(jvmOptions);
        properties.put("essaim.data-dir", dataDir.toString());
        properties.put("essaim.domain", EssaimInstance.DOMAIN);
        properties.put("essaim.hostname", "mail." + EssaimInstance.DOMAIN);
        properties.put("essaim.bind-address", "127.0.0.1");
        properties.put("server.address", "127.0.0.1");
        for (String port : List.of("server.port", "essaim.smtp.port", "essaim.submission.port", "essaim.imap.port",
                "essaim.imaps.port", "essaim.pop3.port", "essaim.pop3s.port")) {
            properties.put(port, freePort());
        }
        properties.put("essaim.bootstrap.admin-email", EssaimInstance.ADMIN);
        properties.put("essaim.bootstrap.admin-password", EssaimInstance.ADMIN_PASSWORD);
        properties.putAll(extraProperties);
    }

    /**
     * Starts the JVM and waits until the web login page and the SMTP and IMAPS ports answer, and on a fresh data
     * directory until the bootstrap account exists (it is made just after start-up; a loaded machine showed the gap).
     */
    public ChildEssaim start() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        // Under Surefire this is its manifest-only jar, whose Class-Path lists the whole test classpath.
        command.add(System.getProperty("java.class.path"));
        command.add(EssaimApplication.class.getName());
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        boolean fresh;
        try (java.util.stream.Stream<Path> existing = Files.exists(dataDir) ? Files.list(dataDir) : java.util.stream.Stream.empty()) {
            fresh = existing.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long logStart;
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(log().getParent());
            logStart = Files.exists(log()) ? Files.size(log()) : 0;
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
        while (!(answers(port("server.port")) && answers(port("essaim.smtp.port")) && answers(port("essaim.imaps.port"))
                && loginPageAnswers() && (!fresh || logSince(logStart).contains(FIRST_ACCOUNT_CREATED)))) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Essaim exited with " + process.exitValue() + "; see " + log());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Essaim did not start within 8 minutes; see " + log());
            }
            sleep(200);
        }
        return this;
    }

    /** What this start wrote to the log so far. */
    private String logSince(long offset) {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(log().toFile(), "r")) {
            file.seek(Math.min(offset, file.length()));
            byte[] bytes = new byte[(int) (file.length() - file.getFilePointer())];
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGKILL: the JVM ends at once, nothing is flushed or closed by it. */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Publishes the certificate for an account through the keys API (HTTP Basic from loopback), as its owner would. */
    public void publishKey(String address, String password, byte[] certificate) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(
                    "http://127.0.0.1:" + port("server.port") + "/api/keys/me").toURL().openConnection();
            connection.setRequestMethod("PUT");
            connection.setDoOutput(true);
            connection.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (address + ":" + password).getBytes(StandardCharsets.UTF_8)));
            connection.getOutputStream().write(certificate);
            int status = connection.getResponseCode();
            if (status != 200 && status != 201) {
                throw new IllegalStateException("Key upload answered " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port(String property) {
        return (Integer) properties.get(property);
    }

    public int smtpPort() {
        return port("essaim.smtp.port");
    }

    public int imapsPort() {
        return port("essaim.imaps.port");
    }

    public Path log() {
        return Path.of("target", "child-essaim", dataDir.getParent().getFileName() + "-" + dataDir.getFileName() + ".log")
                .toAbsolutePath();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private boolean loginPageAnswers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(
                    "http://127.0.0.1:" + port("server.port") + "/login").toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answers(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
