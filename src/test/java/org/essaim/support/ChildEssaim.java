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
     * Starts the JVM and waits until it says it is ready (/actuator/health/readiness: web, mail ports and the bootstrap
     * admin all up) and the web login page, the SMTP and IMAPS ports answer.
     */
    public ChildEssaim start() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(EssaimInstance.CHILD_JVM_OPTIONS);
        command.addAll(jvmOptions);
        command.add("-cp");
        // Under Surefire this is its manifest-only jar, whose Class-Path lists the whole test classpath.
        command.add(System.getProperty("java.class.path"));
        command.add(EssaimApplication.class.getName());
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(log().getParent());
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
        while (!(answers(port("server.port")) && answers(port("essaim.smtp.port")) && answers(port("essaim.imaps.port"))
                && answers200("/actuator/health/readiness") && answers200("/login"))) {
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

    private boolean answers200(String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(
                    "http://127.0.0.1:" + port("server.port") + path).toURL().openConnection();
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
