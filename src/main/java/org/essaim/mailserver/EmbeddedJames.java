package org.essaim.mailserver;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import javax.net.ssl.SSLSocketFactory;

import org.apache.james.GuiceJamesServer;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.lucene.analysis.KeywordAnalyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;
import org.essaim.config.EssaimProperties;
import org.essaim.delivery.DeliveryPause;
import org.essaim.delivery.DisabledAccounts;
import org.essaim.delivery.RecipientKeys;
import org.essaim.mailserver.guice.EssaimJamesServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;

/**
 * Starts and stops the embedded Apache James with the application. It starts before the web tier
 * (lower lifecycle phase) so the login page never answers while the mail store is down.
 * James' working directory is {@code <data-dir>/james}: configuration in {@code conf/}, queue, search index
 * and mail repositories in {@code var/}, the JPA database in {@code db/}.
 */
@Component
public class EmbeddedJames implements SmartLifecycle {
    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedJames.class);
    static final int PHASE = 0;
    static final String SEARCH_INDEX = "var/search-index";

    private final EssaimProperties settings;
    private final Path workingDirectory;
    private volatile GuiceJamesServer server;
    private volatile Injector injector;
    private volatile TlsMaterial tls;
    private volatile boolean compactOnStop;

    private final DisabledAccounts disabledAccounts;
    private final RecipientKeys recipientKeys;
    private final DeliveryPause deliveryPause = new DeliveryPause();

    public EmbeddedJames(EssaimProperties settings, DisabledAccounts disabledAccounts,
                         ObjectProvider<RecipientKeys> recipientKeys) {
        this.settings = settings;
        this.disabledAccounts = disabledAccounts;
        // Looked up at each use: the key directory is a Spring bean that may start after the mail server.
        this.recipientKeys = address -> Optional.ofNullable(recipientKeys.getIfUnique())
                .flatMap(keys -> keys.publicKeyOf(address));
        this.workingDirectory = settings.absoluteDataDir().resolve("james");
    }

    @Override
    public synchronized void start() {
        long begin = System.nanoTime();
        System.setProperty("james.exit.on.startup.error", "false");
        // SMTP DATA above this size would be buffered to a temp file before any hook sees it.
        System.setProperty("james.message.memory.threshold", (settings.maxMessageSize() / (1024 * 1024) + 1) + "MiB");
        JavaxMailcap.install();
        Path confDir = workingDirectory.resolve("conf");
        new JamesConfigurationWriter().write(settings, confDir);
        tls = TlsMaterial.prepare(settings, confDir);
        boolean searchIndexMissing = !java.nio.file.Files.isDirectory(workingDirectory.resolve(SEARCH_INDEX));
        GuiceJamesServer candidate = EssaimJamesServer.create(workingDirectory, applicationServices());
        try {
            candidate.start();
        } catch (Exception e) {
            candidate.stop();
            throw new IllegalStateException("The embedded mail server did not start", e);
        }
        server = candidate;
        injector = candidate.getProbe(EssaimJamesServer.InjectorProbe.class).injector();
        applyDefaultQuota();
        new RestoredMailServer(workingDirectory, this::service).finish(searchIndexMissing);
        LOGGER.info("Mail server ready in {} ms: SMTP {}, submission {}, IMAP {}, IMAPS {}, POP3 {}, POP3S {}",
                (System.nanoTime() - begin) / 1_000_000, settings.smtp().port(), settings.submission().port(),
                settings.imap().port(), settings.imaps().port(), settings.pop3().port(), settings.pop3s().port());
    }

    /** Spring-side services James' hooks need, bound as instances in James' injector. */
    private Module applicationServices() {
        return binder -> {
            binder.bind(DisabledAccounts.class).toInstance(disabledAccounts);
            binder.bind(RecipientKeys.class).toInstance(recipientKeys);
            binder.bind(DeliveryPause.class).toInstance(deliveryPause);
        };
    }

    /** {@code essaim.quota.default} is James' global storage limit; per-account limits override it. */
    private void applyDefaultQuota() {
        try {
            service(MaxQuotaManager.class).setGlobalMaxStorage(
                    QuotaSizeLimit.size(settings.quota().defaultQuota().toBytes()));
        } catch (MailboxException e) {
            throw new IllegalStateException("Cannot apply the default quota", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
            injector = null;
            if (compactOnStop) {
                compactDatabase();
                purgeDeletedFromSearchIndex();
            }
        }
    }

    /**
     * Asks for James' database file and search index to be rewritten at the next stop: after stored plaintext was
     * replaced by ciphertext, H2 keeps the freed pages and Lucene the deleted documents (with their old bytes) in
     * their files until they are compacted.
     */
    void compactStorageOnStop() {
        compactOnStop = true;
    }

    private void purgeDeletedFromSearchIndex() {
        Path index = workingDirectory.resolve(SEARCH_INDEX);
        if (!java.nio.file.Files.isDirectory(index)) {
            return;
        }
        try (FSDirectory directory = FSDirectory.open(index.toFile());
             IndexWriter writer = new IndexWriter(directory,
                     new IndexWriterConfig(Version.LUCENE_36, new KeywordAnalyzer()))) {
            writer.forceMergeDeletes(true);
        } catch (IOException e) {
            LOGGER.warn("Could not purge deleted messages from the search index: {}", e.getMessage());
        }
    }

    private void compactDatabase() {
        long begin = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(EssaimJamesServer.jdbcUrl(workingDirectory));
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN COMPACT");
            compactOnStop = false;
            LOGGER.info("Mail database compacted in {} ms", (System.nanoTime() - begin) / 1_000_000);
        } catch (SQLException e) {
            LOGGER.warn("Could not compact the mail database: {}", e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    <T> T service(Class<T> type) {
        return service(Key.get(type));
    }

    <T> T service(Key<T> key) {
        Injector current = injector;
        if (current == null) {
            throw new IllegalStateException("The mail server is not running");
        }
        return current.getInstance(key);
    }

    /** The SMTP side's pause, for consistent backups. */
    DeliveryPause deliveryPause() {
        return deliveryPause;
    }

    Path workingDirectory() {
        return workingDirectory;
    }

    SSLSocketFactory loopbackSocketFactory() {
        return tls.trustingSocketFactory();
    }
}
