package org.essaim.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Essaim in a child JVM on the test's classpath, for what a test cannot do to a server inside its own JVM: kill -9 it
 * (SIGKILL, no shutdown hook runs), run a second server beside the test JVM's own (James' embedded ActiveMQ broker and
 * JMX names are one per JVM), or give it the documented small heap. Same properties as {@link EssaimInstance} (free
 * loopback ports, bootstrap admin), restartable on the same data and ports. Its output is kept line by line, so a test
 * can wait for a log line (e.g. a backup reaching a stage), and written to
 * {@code target/child-essaim/<parent>-<data directory name>.log} (kept after the test's temp folder, for post-mortems).
 * What a test would do with the beans of an in-JVM instance (accounts, the outgoing queue, DKIM records) it asks by
 * one-line commands, which {@link ChildEssaimMain} carries out in the child.
 */
public final class ChildEssaim implements AutoCloseable {
    /**
     * The child JVMs of this test JVM that have not exited, for {@link ThreadDumpOnSilence}. Kept here because their
     * command line cannot tell them apart: Linux gives the JDK only its first 4096 bytes, all classpath.
     */
    private static final Set<ProcessHandle> RUNNING = ConcurrentHashMap.newKeySet();
    /** Every command's reply comes in well under a second: two minutes (-Dessaim.test.child-reply-seconds) means the child is stuck. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(Long.getLong("essaim.test.child-reply-seconds", 120));
    private static final ScheduledExecutorService REPLY_WATCH = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "child-essaim-reply-watch");
        thread.setDaemon(true);
        return thread;
    });

    /** The documented small heap, and the collector that suits it. */
    public static final List<String> SMALL_HEAP = List.of("-Xmx384m", "-XX:+UseSerialGC");

    private final Path dataDir;
    private final List<String> jvmOptions;
    private final Map<String, Object> properties;
    private final List<String> output = new ArrayList<>();
    private Process process;
    private BufferedReader replies;
    private PrintStream commands;
    /**
     * Once killed, its later starts do not dump the class data sharing archive: a test that kills a server usually does
     * so again, and a dumping start costs more CPU, for nothing when the JVM then dies by SIGKILL.
     */
    private boolean killedBefore;

    public ChildEssaim(Path dataDir, List<String> jvmOptions, Map<String, Object> extraProperties) {
        this.dataDir = dataDir;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.properties = EssaimInstance.testProperties(dataDir, extraProperties);
    }

    /** Starts one on the small heap and waits until it is ready. */
    public static ChildEssaim start(Path dataDir, Map<String, Object> extraProperties) {
        return new ChildEssaim(dataDir, SMALL_HEAP, extraProperties).start();
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
        // The JVM's own warnings (e.g. a class data sharing archive that does not match) on standard error, into the
        // log: standard output carries the replies to commands.
        command.addAll(List.of("-Xlog:disable", "-Xlog:all=warning:stderr"));
        ChildClassDataSharing sharing = ChildClassDataSharing.forThisBuild();
        ChildClassDataSharing.Launch launch = sharing == null ? null : sharing.launch(!killedBefore);
        if (launch != null) {
            command.addAll(launch.jvmOptions());
        }
        command.add("-cp");
        command.add(sharing == null ? System.getProperty("java.class.path") : sharing.classPath());
        command.add(ChildEssaimMain.class.getName());
        command.add(dataDir.toString());
        properties.forEach((key, value) -> command.add(key + "=" + value));
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(log().getParent());
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        RUNNING.add(started.toHandle());
        started.onExit().thenRun(() -> RUNNING.remove(started.toHandle()));
        if (launch != null) {
            started.onExit().thenAccept(ended -> launch.exited(ended.exitValue()));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly)); // never outlive the tests
        replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        keepOutput(process);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
        while (!(answers(webPort()) && answers(smtpPort()) && answers(imapsPort())
                && answers200("/actuator/health/readiness") && answers200("/login"))) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Essaim exited with " + process.exitValue() + "; last output:\n" + tail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Essaim did not start within 8 minutes; see " + log());
            }
            sleep(100);
        }
        return this;
    }

    /** Reads the child's output as it comes: into the log file and the lines {@link #awaitLine} looks at. */
    private void keepOutput(Process started) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.getErrorStream(), StandardCharsets.UTF_8));
                 Writer file = Files.newBufferedWriter(log(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                         StandardOpenOption.APPEND)) {
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
        }, "child-essaim-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The child Essaims of this JVM still running. */
    static Set<ProcessHandle> running() {
        return Set.copyOf(RUNNING);
    }

    /** Starts again on the same data directory and ports (stops it first, unless {@link #kill}ed or stopped). */
    public ChildEssaim restart() {
        stop();
        return start();
    }

    /** SIGKILL: the JVM ends at once, nothing is flushed or closed by it. */
    public void kill() {
        if (process != null && process.isAlive()) {
            killedBefore = true;
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** SIGTERM, then waits for the orderly shutdown (SIGKILL after 2 minutes). */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit();
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Waits for a line of output that matches, among the lines printed from now on; returns its index.
     */
    public int awaitLine(Predicate<String> matches, Duration timeout) {
        return awaitLine(matches, linesSoFar(), timeout);
    }

    /** Waits for a line of output that matches, among those printed since {@code fromLine}; returns its index. */
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

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Publishes the certificate for an account through the keys API (HTTP Basic from loopback), as its owner would. */
    public void publishKey(String address, String password, byte[] certificate) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl() + "/api/keys/me").toURL().openConnection();
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

    public void createAccount(String address, String password) {
        expectOk(ask("account " + address + " " + password));
    }

    /** Publishes a certificate for a local address, as {@link EssaimInstance#publishKey} does in the child. */
    public void publishKey(String address, byte[] certificate) {
        expectOk(ask("key " + address + " " + Base64.getEncoder().encodeToString(certificate)));
    }

    /** How many messages an account holds, all its folders together. */
    public int messageCount(String address) {
        return Integer.parseInt(ask("messages " + address));
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

    /** The DKIM records of a domain: name, then TXT value. */
    public List<String[]> dkimRecords(String domain) {
        return block("dkim " + domain).stream().map(line -> line.split(" ", 2)).toList();
    }

    private synchronized String ask(String command) {
        return replyTo(command, () -> {
            String reply = replies.readLine();
            if (reply == null) {
                throw new IllegalStateException("The Essaim process ended; last output:\n" + tail());
            }
            return reply;
        });
    }

    private synchronized List<String> block(String command) {
        return replyTo(command, () -> {
            List<String> lines = new ArrayList<>();
            for (String line = replies.readLine(); !"end".equals(line); line = replies.readLine()) {
                if (line == null) {
                    throw new IllegalStateException("The Essaim process ended; last output:\n" + tail());
                }
                if (line.startsWith("error ")) { // the child's command failed: no "end" follows
                    throw new IllegalStateException("Essaim in the child JVM could not do '" + command + "': "
                            + line.substring("error ".length()));
                }
                lines.add(line);
            }
            return lines;
        });
    }

    /**
     * Sends a command and reads its reply. A child that gives none within {@link #REPLY_TIMEOUT} has its threads
     * printed into the test's output and is killed, so the test fails ("process ended") instead of waiting for ever
     * (a pipe read is not a socket read: {@link ThreadDumpOnSilence} does not see it).
     */
    private <T> T replyTo(String command, Reply<T> reply) {
        commands.println(command);
        Process asked = process;
        ScheduledFuture<?> watchdog = REPLY_WATCH.schedule(() -> {
            ThreadDumpOnSilence.printThreadsOf(asked.toHandle(),
                    "no reply to '" + command.split(" ")[0] + "' within " + REPLY_TIMEOUT.toSeconds() + " s");
            asked.destroyForcibly();
        }, REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return reply.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            watchdog.cancel(false);
        }
    }

    private interface Reply<T> {
        T read() throws IOException;
    }

    private static void expectOk(String reply) {
        if (!"ok".equals(reply)) {
            throw new IllegalStateException(reply);
        }
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

    public int submissionPort() {
        return port("essaim.submission.port");
    }

    public String baseUrl() {
        return "http://" + properties.get("server.address") + ":" + webPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path log() {
        return Path.of("target", "child-essaim", dataDir.getParent().getFileName() + "-" + dataDir.getFileName() + ".log")
                .toAbsolutePath();
    }

    private boolean answers200(String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl() + path).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean answers(int port) {
        try (Socket ignored = new Socket((String) properties.get("essaim.bind-address"), port)) {
            return true;
        } catch (IOException e) {
            return false;
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
