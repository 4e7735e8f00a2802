package org.essaim.governance;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.essaim.accounts.AccountRoles;
import org.essaim.admin.AdminActionException;
import org.essaim.governance.AdminSigningKeys.Pin;
import org.essaim.keys.KeyPublished;
import org.essaim.keys.PublicKeyDirectory;
import org.essaim.keys.StoredKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * When an admin's signing key is pinned and when the pin moves (docs/audit.md, "Admin signing keys").
 *
 * <ul>
 * <li>Pinned: the key an admin holds when promoted (named in the {@code cooptation.promoted} entry), else the
 * first key published while admin ({@code admin.key.pinned} server entry), else, for data older than pins, the
 * key that verifies the admin's first accepted statement (that entry names it).</li>
 * <li>Moved only by {@code admin.rekey} signed with the pinned key, by {@code admin.key.confirm} of every other admin
 * ({@code admin.key.repinned} server entry), or by the single-admin operator step ({@link OperatorKeyConfirmation}).</li>
 * <li>Every change of an admin's key in the directory is a {@code admin.key.published} server entry, so a
 * swap made with a stolen password shows in the log even though it cannot sign anything.</li>
 * </ul>
 */
@Service
class SigningKeyPins {
    static final String PINNED = "admin.key.pinned";
    static final String PUBLISHED = "admin.key.published";
    static final String REPINNED = "admin.key.repinned";
    private static final Logger LOGGER = LoggerFactory.getLogger(SigningKeyPins.class);

    private final AdminSigningKeys pins;
    private final PublicKeyDirectory directory;
    private final AccountRoles roles;
    private final ServerEntries serverEntries;
    private final AuditLog log;
    private final TransactionTemplate newTransaction;

    SigningKeyPins(AdminSigningKeys pins, PublicKeyDirectory directory, AccountRoles roles,
                   ServerEntries serverEntries, AuditLog log, PlatformTransactionManager transactionManager) {
        this.pins = pins;
        this.directory = directory;
        this.roles = roles;
        this.serverEntries = serverEntries;
        this.log = log;
        this.newTransaction = new TransactionTemplate(transactionManager);
        // the listener runs after the directory's transaction committed: its writes need one of their own
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * The pin {@code admin}'s statement is verified against: the stored pin, or (no pin yet) the directory's key,
     * which {@link #pinFirstUse} stores once the statement is accepted.
     */
    Optional<Pin> signingKeyOf(String admin) {
        return pins.pinOf(admin).or(() -> directory.find(admin).map(Pin::of));
    }

    private boolean isPinned(String admin) {
        return pins.pinOf(admin).isPresent();
    }

    /** Stores the key that verified an admin's first accepted statement; the statement's entry names it. */
    void pinFirstUse(Pin verifiedWith) {
        if (!isPinned(verifiedWith.address())) {
            pins.pin(new StoredKey(verifiedWith.address(), verifiedWith.fingerprint(), verifiedWith.armored(),
                    verifiedWith.binary(), java.time.Instant.now()));
        }
    }

    /** {@code admin.rekey}: signed with the pinned (old) key, moves the pin to the key the directory publishes. */
    void rekey(String admin, String fingerprint) {
        Pin old = pins.pinOf(admin).orElseThrow();
        StoredKey published = publishedKey(admin, fingerprint);
        if (old.fingerprint().equals(published.fingerprint())) {
            throw new AdminActionException(published.fingerprint() + " is already your signing key.");
        }
        pins.pin(published);
        LOGGER.info("Signing key of {} moved by admin.rekey to {}", admin, published.fingerprint());
    }

    /** {@code admin.key.confirm}: another admin vouches for {@code subject}'s new key; moves once all others did. */
    void confirmKey(String admin, String subject, String fingerprint) {
        if (subject.equals(admin)) {
            throw new AdminActionException("You cannot confirm your own key: sign admin.rekey with your old key, "
                    + "or ask every other admin to confirm the new one.");
        }
        if (!roles.isAdmin(subject)) {
            throw new AdminActionException(subject + " is not an admin.");
        }
        StoredKey published = publishedKey(subject, fingerprint);
        Optional<Pin> old = pins.pinOf(subject);
        if (old.isPresent() && old.get().fingerprint().equals(published.fingerprint())) {
            throw new AdminActionException(published.fingerprint() + " is already " + subject + "'s signing key.");
        }
        pins.confirm(subject, published.fingerprint(), admin);
        Set<String> others = new TreeSet<>(roles.admins());
        others.remove(subject);
        Set<String> confirmed = pins.confirmers(subject, published.fingerprint());
        if (confirmed.containsAll(others)) {
            pins.pin(published);
            serverEntries.append(REPINNED, Map.of("address", subject, "fingerprint", published.fingerprint(),
                    "previousFingerprint", old.map(Pin::fingerprint).orElse("none"),
                    "confirmedBy", String.join(",", confirmed)));
            LOGGER.info("Signing key of {} moved by the confirmation of every other admin", subject);
        }
    }

    /**
     * At a promotion: the new admin's key now is their signing key (or, without one, the first they publish).
     *
     * @return the pinned fingerprint, "none" without a published key
     */
    String pinAtPromotion(String address) {
        Optional<StoredKey> key = directory.find(address);
        if (key.isEmpty()) {
            pins.forget(address); // a pin left from an earlier term as admin must not come back
            return "none";
        }
        pins.pin(key.get());
        return key.get().fingerprint();
    }

    /** The single-admin lost-key step (see {@link OperatorKeyConfirmation}); caller holds the log's lock. */
    void repinByOperator(String address, String fingerprint) {
        if (!roles.admins().equals(java.util.List.of(address))) {
            throw new AdminActionException("The operator step is for a single admin only; with several admins, "
                    + "every other admin confirms the new key (admin.key.confirm).");
        }
        StoredKey published = publishedKey(address, fingerprint.strip().toUpperCase(Locale.ROOT));
        String previous = pins.pinOf(address).map(Pin::fingerprint).orElse("none");
        newTransaction.executeWithoutResult(status -> {
            pins.pin(published);
            serverEntries.append(REPINNED, Map.of("address", address, "fingerprint", published.fingerprint(),
                    "previousFingerprint", previous,
                    "confirmedBy", "operator (data directory, single admin)"));
        });
    }

    /** Logs every change of an admin's key in the directory; pins the first one published while admin. */
    @TransactionalEventListener
    void onKeyPublished(KeyPublished event) {
        String address = event.address();
        if (!roles.isAdmin(address)) {
            return;
        }
        synchronized (log) {
            newTransaction.executeWithoutResult(status -> {
                Optional<StoredKey> key = directory.find(address);
                if (key.isEmpty()) {
                    return;
                }
                String fingerprint = key.get().fingerprint();
                Optional<Pin> pin = pins.pinOf(address);
                if (pin.isEmpty()) {
                    pins.pin(key.get());
                    serverEntries.append(PINNED, Map.of("address", address, "fingerprint", fingerprint,
                            "reason", "first key published as admin"));
                    return;
                }
                if (pin.get().fingerprint().equals(fingerprint)) {
                    pins.refresh(key.get());
                }
                if (!fingerprint.equals(pin.get().publishedFingerprint())) {
                    pins.seen(address, fingerprint);
                    serverEntries.append(PUBLISHED, Map.of("address", address, "fingerprint", fingerprint,
                            "signingKey", pin.get().fingerprint()));
                    LOGGER.info("Published key of admin {} changed; signing key stays {}", address,
                            pin.get().fingerprint());
                }
            });
        }
    }

    private StoredKey publishedKey(String address, String fingerprint) {
        StoredKey published = directory.find(address).orElseThrow(() -> new AdminActionException(
                address + " has no published key; publish the new key first (PUT /api/keys/me)."));
        if (!published.fingerprint().equals(fingerprint)) {
            throw new AdminActionException("The directory publishes " + published.fingerprint() + " for " + address
                    + ", not " + fingerprint + ": publish the new key first (PUT /api/keys/me), then name it.");
        }
        return published;
    }
}
