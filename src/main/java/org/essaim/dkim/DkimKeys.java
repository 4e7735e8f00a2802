package org.essaim.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.essaim.config.EssaimProperties;
import org.essaim.config.InternetProperties;
import org.essaim.delivery.outbound.DkimSigningKeys;
import org.essaim.mailserver.MailServerBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The server's DKIM keys: one per local domain made at first start (and for a domain added later, at its first
 * outgoing mail), rotation on request ({@code java -jar essaim.jar dkim rotate} leaves a request file in the data
 * directory, picked up within seconds), retirement after {@code essaim.dkim.grace-days}. Every change is an event
 * the audit log records.
 */
@Service
public class DkimKeys implements DkimSigningKeys {
    private static final Logger LOGGER = LoggerFactory.getLogger(DkimKeys.class);
    static final String ROTATE_REQUEST = "rotate-request";

    private final DkimKeyStore store;
    private final MailServerBridge mailServer;
    private final ApplicationEventPublisher events;
    private final EssaimProperties settings;
    private final InternetProperties internet;
    private final Clock clock = Clock.systemUTC();

    public DkimKeys(EssaimProperties settings, InternetProperties internet, MailServerBridge mailServer,
                    ApplicationEventPublisher events) {
        this.store = new DkimKeyStore(settings.absoluteDataDir());
        this.settings = settings;
        this.internet = internet;
        this.mailServer = mailServer;
        this.events = events;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void keysForEveryDomain() {
        for (String domain : localDomains()) {
            ensure(domain);
        }
        handleRotationRequest();
    }

    @Override
    public Optional<SigningKey> activeKeyFor(String domain) {
        String normalised = domain.toLowerCase(Locale.ROOT);
        if (!localDomains().contains(normalised)) {
            return Optional.empty();
        }
        ensure(normalised);
        return store.active(normalised).map(key -> new SigningKey(key.domain(), key.selector(), key.privateKey()));
    }

    @Override
    public String defaultDomain() {
        return settings.domain().toLowerCase(Locale.ROOT);
    }

    public List<DkimKey> keys(String domain) {
        return store.keys(domain);
    }

    public boolean publishRetiredKeys() {
        return internet.dkim().publishRetiredKeys();
    }

    /** Adds a new key for the domain; the old one stays published for the grace period. */
    public synchronized DkimKeyStore.Rotation rotate(String domain) {
        DkimKeyStore.Rotation rotation = store.rotate(domain, clock.instant());
        rotation.replaced().ifPresent(old -> publish("dkim.key.replaced", old, false));
        publish("dkim.key.added", rotation.added(), false);
        LOGGER.info("DKIM key for {} rotated: new selector {}", domain, rotation.added().selector());
        return rotation;
    }

    /** Looks for a rotation request from the command line, and retires keys whose grace period is over. */
    @Scheduled(fixedDelay = 5_000, initialDelay = 5_000)
    public synchronized void housekeeping() {
        handleRotationRequest();
        Duration grace = Duration.ofDays(internet.dkim().graceDays());
        for (String domain : store.domains()) {
            for (DkimKey retired : store.retireDue(domain, clock.instant(), grace)) {
                publish("dkim.key.retired", retired, internet.dkim().publishRetiredKeys());
            }
        }
    }

    private void handleRotationRequest() {
        Path request = store.root().resolve(ROTATE_REQUEST);
        if (!Files.exists(request)) {
            return;
        }
        try {
            String wanted = Files.readString(request, StandardCharsets.UTF_8).trim();
            List<String> domains = wanted.isEmpty() ? localDomains()
                    : List.of(wanted.toLowerCase(Locale.ROOT).split("[,\\s]+"));
            StringBuilder done = new StringBuilder();
            for (String domain : domains) {
                DkimKey added = rotate(domain).added();
                done.append(added.recordName()).append(" TXT \"").append(added.recordValue()).append("\"\n");
            }
            Files.writeString(store.root().resolve(ROTATE_REQUEST + ".done"), done.toString(), StandardCharsets.UTF_8);
            Files.delete(request);
        } catch (IOException | RuntimeException e) {
            LOGGER.warn("DKIM rotation request not handled: {}", e.getMessage());
        }
    }

    private synchronized void ensure(String domain) {
        store.ensureKey(domain, clock.instant()).ifPresent(key -> {
            LOGGER.info("DKIM key made for {}: selector {}", domain, key.selector());
            publish("dkim.key.added", key, false);
        });
    }

    private List<String> localDomains() {
        return mailServer.domains().stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }

    private void publish(String action, DkimKey key, boolean privateKeyPublished) {
        events.publishEvent(new DkimKeyChanged(action, key.domain(), key.selector(), key.recordValue(), privateKeyPublished));
    }
}
