package org.essaim.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.essaim.EssaimApplication;
import org.essaim.accounts.AccountRoles;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.keys.PublicKeyDirectory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole application, started for real on free loopback ports with its own data directory,
 * and restartable on the same ports and data (to prove what survives a restart).
 */
public final class EssaimInstance implements AutoCloseable {
    public static final String ADMIN = "admin@essaim.test";
    public static final String ADMIN_PASSWORD = "correct horse battery staple";
    /**
     * Flags of every Essaim a test starts in a child JVM: C1 only (no C2 compiler threads). A test server lives
     * seconds to a minute, and start-up is mostly compiling: measured here, the CPU time until ready halves
     * (18 s -> 8-9 s) and so does the wall time on a loaded machine (27-34 s -> 9-17 s at load 6-8). C1 alone shrinks
     * the JVM's default code cache from 240 to 48 MB, which Essaim fills: then the sweeper keeps flushing and code is
     * compiled again and again (the Surefire JVMs spent 17-19 s each in the sweeper), so the cache keeps its usual size.
     */
    public static final List<String> CHILD_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m");
    public static final String DOMAIN = "essaim.test";

    private final Path dataDir;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private ConfigurableApplicationContext context;

    private static final List<String> PORTS = List.of("server.port", "essaim.smtp.port", "essaim.submission.port",
            "essaim.imap.port", "essaim.imaps.port", "essaim.pop3.port", "essaim.pop3s.port");

    private final Map<String, Object> fixedProperties;

    private EssaimInstance(Path dataDir, Map<String, Object> extra) {
        this.dataDir = dataDir;
        this.fixedProperties = Map.copyOf(extra);
        properties.putAll(testProperties(dataDir, extra));
    }

    /**
     * The properties of every test server, in this JVM or a child one ({@link ChildEssaim}): its data directory,
     * the test domain, free loopback ports, the bootstrap admin; then {@code extra}, which may override any of them.
     */
    static Map<String, Object> testProperties(Path dataDir, Map<String, Object> extra) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("essaim.data-dir", dataDir.toString());
        properties.put("essaim.domain", DOMAIN);
        properties.put("essaim.hostname", "mail." + DOMAIN);
        properties.put("essaim.bind-address", "127.0.0.1");
        properties.put("server.address", "127.0.0.1");
        PORTS.forEach(port -> properties.put(port, ServerPorts.free()));
        properties.put("essaim.bootstrap.admin-email", ADMIN);
        properties.put("essaim.bootstrap.admin-password", ADMIN_PASSWORD);
        properties.putAll(extra);
        return properties;
    }

    private static EssaimInstance shared;

    /**
     * The one running Essaim of this test JVM, for every test class that only needs a running server on the
     * default properties: started on first use, stopped when the JVM exits. Tests on it make their own accounts
     * (unique addresses, {@link #uniqueAddress}) and never stop, restart or reconfigure it; a class that needs other
     * properties, a restart or a second server starts its own instance with {@link #start(Path, Map)} and is
     * annotated {@link OwnInstance}.
     * <p>
     * One property differs from a real server's: other domains' Web Key Directories are looked up on this JVM's
     * {@link WebKeyDirectories} (tests never reach the internet).
     * <p>
     * Two Essaims never run at once in one JVM: James registers JMX beans and its embedded ActiveMQ broker under
     * fixed names, so a second one would collide with, or worse talk to, the first one's queue. Starting another
     * instance therefore stops this one, and the next call here starts it again on the same data and ports
     * ({@link OwnInstancesFirst} orders the classes so that this happens at most once).
     */
    public static synchronized EssaimInstance shared() {
        if (shared == null) {
            try {
                Path dataDir = java.nio.file.Files.createTempDirectory("essaim-shared-");
                shared = start(dataDir, Map.of("essaim.wkd.base-url", WebKeyDirectories.shared().baseUrl()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EssaimInstance instance = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                instance.stop();
                deleteRecursively(instance.dataDir);
            }, "essaim-shared-stop"));
        } else if (shared.context == null) {
            shared.startWithRetries(Map.of());
        }
        return shared;
    }

    public static EssaimInstance start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** Starts on free loopback ports, with some properties of its own (stops the shared instance meanwhile). */
    public static EssaimInstance start(Path dataDir, Map<String, Object> extraProperties) {
        EssaimInstance instance = unstarted(dataDir, extraProperties);
        instance.launch();
        return instance;
    }

    /** Chooses its ports without starting, for a test that watches the start itself; then {@link #launch()}. */
    public static EssaimInstance unstarted(Path dataDir, Map<String, Object> extraProperties) {
        return new EssaimInstance(dataDir, extraProperties);
    }

    /** Starts an instance made by {@link #unstarted} (stops the shared instance meanwhile); returns when it is up. */
    public void launch() {
        stopSharedWhileAnotherRuns();
        startWithRetries(fixedProperties);
    }

    private static synchronized void stopSharedWhileAnotherRuns() {
        if (shared != null && shared.context != null) {
            shared.stop();
        }
    }

    /**
     * Starts on the chosen loopback ports. A port found free can be taken by someone else (an outgoing connection's
     * ephemeral port) before the server binds it: then the start is tried again on other free ports (those not
     * fixed by {@code fixedProperties}).
     */
    private void startWithRetries(Map<String, Object> fixedProperties) {
        for (int attempt = 1; ; attempt++) {
            try {
                startApplication();
                return;
            } catch (RuntimeException e) {
                if (attempt == 3 || !causedByBindException(e)) {
                    throw e;
                }
                stop();
                PORTS.stream().filter(port -> !fixedProperties.containsKey(port))
                        .forEach(port -> properties.put(port, ServerPorts.free()));
            }
        }
    }

    private static boolean causedByBindException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    public void restart() {
        stop();
        startApplication();
    }

    /** Restarts on the same data with some properties changed (e.g. what an operator edits between starts). */
    public void restartWith(Map<String, Object> changedProperties) {
        stop();
        properties.putAll(changedProperties);
        startApplication();
    }

    public void stop() {
        if (context != null) {
            context.close();
            context = null;
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

    public int submissionPort() {
        return port("essaim.submission.port");
    }

    public int imapPort() {
        return port("essaim.imap.port");
    }

    public int imapsPort() {
        return port("essaim.imaps.port");
    }

    public int pop3Port() {
        return port("essaim.pop3.port");
    }

    public int pop3sPort() {
        return port("essaim.pop3s.port");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + webPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /**
     * A local address nobody else uses, e.g. {@code rita-3f9c2a1b@essaim.test}: tests on the shared instance name
     * their people with it so that no two tests (or classes) meet in one mailbox.
     */
    public static String uniqueAddress(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
    }

    /** Creates a mail account (a member) with a fresh unique address; returns the address. */
    public String newAccount(String name, String password) {
        String address = uniqueAddress(name);
        bean(MailServerBridge.class).createAccount(address, password);
        return address;
    }

    /**
     * Creates an account and makes it an admin directly in the role table, what co-optation does after its
     * ceremony (tested on its own in governance/): a test on the shared instance needs an admin of its own, because
     * the bootstrap admin's signing key is pinned by the first test that publishes one. Publish the new admin's key
     * afterwards and it is pinned at that first publication, as for any admin.
     */
    public String newAdmin(String name, String password) {
        String address = newAccount(name, password);
        bean(AccountRoles.class).grant(address, AccountRoles.ADMIN);
        return address;
    }

    /** Publishes an OpenPGP certificate (armored or binary) for a local address, as its owner would. */
    public void publishKey(String address, byte[] certificate) {
        bean(PublicKeyDirectory.class).publish(address, certificate);
    }

    /**
     * Publishes a freshly made certificate for the address (PGPainless, Curve25519) and returns the matching
     * secret key, armored, for tests that only need mail to be deliverable (or decrypt with PGPainless).
     */
    public String publishGeneratedKey(String address) {
        TestKeys.KeyPair pair = TestKeys.generate(address);
        publishKey(address, pair.publicKey());
        return pair.secretKey();
    }

    private void startApplication() {
        // Command-line arguments outrank application.properties (builder "properties" would not).
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        context = new SpringApplicationBuilder(EssaimApplication.class)
                .run(args);
    }

    private static void deleteRecursively(Path directory) {
        try (var paths = java.nio.file.Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temporary directory left behind is no failure
        }
    }

}
