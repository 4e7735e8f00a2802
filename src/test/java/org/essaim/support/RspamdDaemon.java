package org.essaim.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real rspamd (Debian's package) on a free loopback port, with a minimal configuration of its own: only the normal
 * worker, no network look-ups (DNS points at a closed loopback port), files in a temporary directory. Enough for
 * its built-in checks such as GTUBE. Start-up compiles rspamd's tables and can take a minute on a loaded machine.
 */
public final class RspamdDaemon implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/rspamd");
    private final Process process;
    private final int port;
    private final int controllerPort;

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    public RspamdDaemon(Path directory) {
        this(directory, 0);
    }

    /**
     * With {@code redisPort} > 0, also the controller worker (trusting 127.0.0.1: no password) and a Bayes classifier
     * whose statistics live in the Redis on that loopback port, so that {@code /learnspam} works.
     */
    public RspamdDaemon(Path directory, int redisPort) {
        try {
            port = ServerPorts.free();
            controllerPort = redisPort > 0 ? ServerPorts.free() : 0;
            Path config = directory.resolve("rspamd.conf");
            String learning = redisPort <= 0 ? "" : """
                    worker "controller" { bind_socket = "127.0.0.1:%1$d"; secure_ip = "127.0.0.1"; count = 1; }
                    classifier "bayes" {
                        backend = "redis";
                        servers = "127.0.0.1:%2$d";
                        min_learns = 1;
                        statfile { symbol = "BAYES_HAM"; spam = false; }
                        statfile { symbol = "BAYES_SPAM"; spam = true; }
                    }
                    """.formatted(controllerPort, redisPort);
            Files.writeString(config, """
                    options {
                        pidfile = "%1$s/rspamd.pid";
                        dns { nameserver = ["127.0.0.1:9"]; timeout = 1s; retransmits = 1; }
                    }
                    logging { type = "file"; filename = "%1$s/rspamd.log"; level = "warning"; }
                    worker "normal" { bind_socket = "127.0.0.1:%2$d"; count = 1; }
                    """.formatted(directory.toAbsolutePath(), port) + learning);
            process = new ProcessBuilder(BINARY.toString(), "-f", "-i", "-u", "root", "-g", "root", "-c", config.toString(),
                    "--var=DBDIR=" + directory.toAbsolutePath(), "--var=RUNDIR=" + directory.toAbsolutePath(),
                    "--var=LOGDIR=" + directory.toAbsolutePath())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("rspamd.out").toFile()).start();
            awaitListening();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The controller worker (only with a Redis port given). */
    public String controllerUrl() {
        return "http://127.0.0.1:" + controllerPort;
    }

    private void awaitListening() {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rspamd exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        close();
        throw new IllegalStateException("rspamd did not listen within 180 s");
    }


    /** Stops rspamd and its workers (only the processes this object started). */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
