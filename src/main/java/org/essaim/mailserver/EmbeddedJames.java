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
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.SubscriptionManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.essaim.config.EssaimProperties;
import org.essaim.delivery.DeliveryPause;
import org.essaim.config.InternetProperties;
import org.essaim.delivery.dns.DnsResolver;
import org.essaim.delivery.outbound.DkimSigningKeys;
import org.essaim.delivery.outbound.RemoteRecipientKeys;
import org.essaim.delivery.outbound.MemoryOnlyKey;
import org.essaim.delivery.outbound.MtaStsPolicies;
import org.essaim.delivery.outbound.OutboundTrust;
import org.essaim.delivery.outbound.QueueSealing;
import org.essaim.delivery.DisabledAccounts;
import org.essaim.delivery.NoticeTexts;
import org.essaim.delivery.DurableCommits;
import org.essaim.delivery.RecipientKeys;
import org.essaim.delivery.StorageFloor;
import org.essaim.delivery.SweepProgress;
import org.essaim.delivery.lists.MailingLists;
import org.essaim.delivery.spam.SpamJudge;
import org.essaim.delivery.spam.SpamVotes;
import org.essaim.mailserver.connections.MailPortsClosing;
import org.essaim.mailserver.logins.LoginAttempts;
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
 * James' working directory is {@code <data-dir>/james}: configuration in {@code conf/}, queue and mail
 * repositories in {@code var/}, the JPA database in {@code db/}.
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
    private final SweepProgress sweepProgress;
    private final FirstAccount firstAccount = new BootstrapAccount();
    private volatile String accountCreatedAtStart;
    private final SpamJudge spamJudge;
    private final SpamVotes spamVotes;
    private final LoginAttempts loginAttempts;
    private final StorageFloor storageFloor;
    private final MailingLists mailingLists;
    private final InternetProperties internet;
    private final DnsResolver dns;
    private final DkimSigningKeys dkimKeys;
    private final RemoteRecipientKeys remoteKeys;
    private final OutboundTrust outboundTrust;
    private final MtaStsPolicies mtaStsPolicies;
    private final NoticeTexts noticeTexts;

    public EmbeddedJames(EssaimProperties settings, InternetProperties internet, DisabledAccounts disabledAccounts,
                         ObjectProvider<RecipientKeys> recipientKeys, ObjectProvider<SpamJudge> spamJudge,
                         ObjectProvider<SpamVotes> spamVotes, LoginAttempts loginAttempts,
                         ObjectProvider<MailingLists> mailingLists, StorageFloor storageFloor,
                         ObjectProvider<DkimSigningKeys> dkimKeys, SweepProgress sweepProgress,
                         ObjectProvider<RemoteRecipientKeys> remoteKeys, NoticeTexts noticeTexts) {
        this.settings = settings;
        this.noticeTexts = noticeTexts;
        this.internet = internet;
        this.dns = DnsResolver.of(internet.dns().servers());
        this.outboundTrust = OutboundTrust.of(internet.mtaSts().caFilePath());
        this.mtaStsPolicies = new MtaStsPolicies(dns, outboundTrust); // one cache for the application's lifetime
        this.dkimKeys = new DkimSigningKeys() { // looked up at each use, like the key directory
            @Override
            public Optional<SigningKey> activeKeyFor(String domain) {
                return Optional.ofNullable(dkimKeys.getIfUnique()).flatMap(keys -> keys.activeKeyFor(domain));
            }

            @Override
            public String defaultDomain() {
                return settings.domain();
            }
        };
        this.disabledAccounts = disabledAccounts;
        this.loginAttempts = loginAttempts;
        this.storageFloor = storageFloor;
        this.sweepProgress = sweepProgress;
        // Looked up at each use: the key directory is a Spring bean that may start after the mail server.
        this.recipientKeys = address -> Optional.ofNullable(recipientKeys.getIfUnique())
                .flatMap(keys -> keys.publicKeyOf(address));
        this.remoteKeys = address -> Optional.ofNullable(remoteKeys.getIfUnique()).orElse(RemoteRecipientKeys.NONE)
                .publicKeyOf(address);
        // Likewise: the spam check's model loads with the application; until then mail is delivered unjudged.
        this.spamJudge = arrival -> Optional.ofNullable(spamJudge.getIfUnique()).orElse(SpamJudge.NONE).judge(arrival);
        this.spamVotes = (account, sender, spam) -> Optional.ofNullable(spamVotes.getIfUnique()).orElse(SpamVotes.NONE)
                .vote(account, sender, spam);
        // Likewise: the lists are a Spring service; until it is up, list addresses get ordinary delivery.
        this.mailingLists = new MailingLists() {
            @Override
            public boolean handles(String address) {
                return lists().handles(address);
            }

            @Override
            public Outcome receive(Arrival arrival) {
                return lists().receive(arrival);
            }

            private MailingLists lists() {
                return Optional.ofNullable(mailingLists.getIfUnique()).orElse(MailingLists.NONE);
            }
        };
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
        new JamesConfigurationWriter().write(settings, internet, confDir);
        tls = TlsMaterial.prepare(settings, confDir);
        RetiredSearchIndex.removeFrom(workingDirectory);
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
        subscribeStandardFolders();
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
            binder.bind(SpamJudge.class).toInstance(spamJudge);
            binder.bind(SpamVotes.class).toInstance(spamVotes);
            binder.bind(LoginAttempts.class).toInstance(loginAttempts);
            binder.bind(MailingLists.class).toInstance(mailingLists);
            binder.bind(StorageFloor.class).toInstance(storageFloor);
            binder.bind(SweepProgress.class).toInstance(sweepProgress);
            binder.bind(DnsResolver.class).toInstance(dns);
            binder.bind(DkimSigningKeys.class).toInstance(dkimKeys);
            binder.bind(RemoteRecipientKeys.class).toInstance(remoteKeys);
            binder.bind(OutboundTrust.class).toInstance(outboundTrust);
            binder.bind(MtaStsPolicies.class).toInstance(mtaStsPolicies);
            binder.bind(NoticeTexts.class).toInstance(noticeTexts);
            // a new key at every start: mail sealed before a restart is returned to its sender
            binder.bind(QueueSealing.class).toInstance(new QueueSealing(new MemoryOnlyKey(),
                    settings.effectiveHostname(), internet.delivery().delayNoticeAfter(), noticeTexts));
            binder.bind(FirstAccount.class).toInstance(firstAccount);
        };
    }

    private void subscribeStandardFolders() {
        try {
            StandardFolderSubscriptions.subscribeWhereNone(service(UsersRepository.class), service(MailboxManager.class),
                    service(SubscriptionManager.class));
        } catch (UsersRepositoryException | MailboxException e) {
            throw new IllegalStateException("Cannot subscribe the standard folders", e);
        }
    }

    /**
     * The account James created at this start before opening its ports (the bootstrap admin on a server that had
     * no account), for the Spring side to finish (folders, admin role); empty otherwise.
     */
    Optional<String> accountCreatedAtStart() {
        return Optional.ofNullable(accountCreatedAtStart);
    }

    /** The bootstrap admin of {@code essaim.bootstrap.*}, for guice/FirstAccountBeforePorts. */
    private final class BootstrapAccount implements FirstAccount {
        @Override
        public String domain() {
            return settings.domain();
        }

        @Override
        public Optional<Credentials> toCreate() {
            return settings.bootstrap().isSet()
                    ? Optional.of(new Credentials(settings.bootstrap().adminEmail(), settings.bootstrap().adminPassword()))
                    : Optional.empty();
        }

        @Override
        public void created(String address) {
            accountCreatedAtStart = address;
        }
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
            DurableCommits durableCommits = service(DurableCommits.class);
            MailPortsClosing.closeAllAtOnce(injector); // James alone would take 2 s per port, one after the other
            server.stop();
            if (durableCommits instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOGGER.warn("Closing the mail store's group commit: {}", e.getMessage());
                }
            }
            server = null;
            injector = null;
            if (compactOnStop) {
                compactDatabase();
            }
        }
    }

    /**
     * Asks for James' database file to be rewritten at the next stop: after stored plaintext was replaced by
     * ciphertext, H2 keeps the freed pages (with their old bytes) in its file until it is compacted.
     */
    void compactStorageOnStop() {
        compactOnStop = true;
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
