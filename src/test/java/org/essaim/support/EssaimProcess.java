package org.essaim.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An Essaim server in a JVM of its own (the test's class path), for what one JVM cannot hold twice (James' embedded
 * ActiveMQ broker has a fixed in-JVM name) and for a real SIGKILL. Controlled by one-line commands
 * ({@link EssaimProcessMain}); its log goes to {@code target/essaim-process-<name>.log}.
 */
public final class EssaimProcess implements AutoCloseable {
    private final Path dataDir;
    private final Map<String, Object> properties;
    private Process process;
    private BufferedReader replies;
    private PrintStream commands;
    private int submissionPort;
    private int imapsPort;
    private int webPort;

    private EssaimProcess(Path dataDir, Map<String, Object> properties) {
        this.dataDir = dataDir;
        this.properties = properties;
    }

    /** Starts it; fixed ports should be among the properties, the others are chosen by the child. */
    public static EssaimProcess start(Path dataDir, Map<String, Object> properties) {
        EssaimProcess started = new EssaimProcess(dataDir, properties);
        started.launch();
        return started;
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx384m"));
        command.addAll(EssaimInstance.CHILD_JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EssaimProcessMain.class.getName(),
                dataDir.toString()));
        properties.forEach((key, value) -> command.add(key + "=" + value));
        if (submissionPort > 0) { // a restart keeps the ports
            command.add("essaim.submission.port=" + submissionPort);
            command.add("essaim.imaps.port=" + imapsPort);
            command.add("server.port=" + webPort);
        }
        try {
            // kept after the test's temporary directory is gone: target/ when run by Maven
            Path log = java.nio.file.Files.isDirectory(Path.of("target"))
                    ? Path.of("target", "essaim-process-" + dataDir.getFileName() + ".log")
                    : dataDir.resolveSibling(dataDir.getFileName() + ".log");
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly)); // never outlive the tests
            java.util.concurrent.CompletableFuture<String> firstLine = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return replies.readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            String ready;
            try {
                ready = firstLine.get(300, TimeUnit.SECONDS);
            } catch (Exception e) {
                ready = null;
            }
            if (ready == null || !ready.startsWith("ready ")) {
                process.destroyForcibly();
                throw new IllegalStateException("The Essaim process did not start (" + ready + "); see " + log);
            }
            String[] ports = ready.split(" ");
            submissionPort = Integer.parseInt(ports[1]);
            imapsPort = Integer.parseInt(ports[2]);
            webPort = Integer.parseInt(ports[3]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int submissionPort() {
        return submissionPort;
    }

    public int imapsPort() {
        return imapsPort;
    }

    public int webPort() {
        return webPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public void createAccount(String address, String password) {
        expectOk(ask("account " + address + " " + password));
    }

    public void publishKey(String address, byte[] certificate) {
        expectOk(ask("key " + address + " " + Base64.getEncoder().encodeToString(certificate)));
    }

    public long queueSize() {
        return Long.parseLong(ask("queue"));
    }

    /** The outgoing queue as the admin view lists it: per message name, sender, domains, attempts, last error. */
    public List<String[]> waitingMail() {
        return block("waiting").stream().map(line -> line.split("\t", -1)).toList();
    }

    /** The admin view's "retry now"; false when the message no longer waits. */
    public boolean retryWaitingMail(String name) {
        return "ok".equals(ask("retry " + name));
    }

    /** The admin action queue.delete as governance carries it out once the admin's statement is verified. */
    public void deleteWaitingMail(String admin, String name) {
        expectOk(ask("admin-delete-waiting " + admin + " " + name));
    }

    private synchronized List<String> block(String command) {
        commands.println(command);
        List<String> lines = new ArrayList<>();
        try {
            for (String line = replies.readLine(); line != null && !line.equals("end"); line = replies.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** The DKIM records of a domain: name, then TXT value. */
    public List<String[]> dkimRecords(String domain) {
        commands.println("dkim " + domain);
        List<String[]> records = new ArrayList<>();
        try {
            for (String line = replies.readLine(); line != null && !line.equals("end"); line = replies.readLine()) {
                records.add(line.split(" ", 2));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    /** SIGKILL: no shutdown hook, no clean stop. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts it again on the same data and ports. */
    public void restart() {
        launch();
    }

    private synchronized String ask(String command) {
        commands.println(command);
        try {
            String reply = replies.readLine();
            if (reply == null) {
                throw new IllegalStateException("The Essaim process ended");
            }
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void expectOk(String reply) {
        if (!"ok".equals(reply)) {
            throw new IllegalStateException(reply);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            commands.println("stop");
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
