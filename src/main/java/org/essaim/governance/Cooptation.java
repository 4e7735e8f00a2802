package org.essaim.governance;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.essaim.accounts.AccountRoles;
import org.essaim.admin.AdminActionException;
import org.essaim.config.EssaimProperties;
import org.essaim.mailserver.MailServerBridge;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Co-optation by consensus (issue 7, docs/audit.md): who becomes or stops being an admin.
 *
 * <ul>
 * <li>An admin proposes a member ({@code cooptation.propose}); the member becomes a SPECTATOR and the
 * proposal counts as the proposer's consent.</li>
 * <li>Promotion happens when every current admin has consented, nobody objects, and the spectator period
 * ({@code essaim.cooptation.spectator-days}) is over: at the consent that completes it, or later by the server
 * (a {@code cooptation.promoted} server entry either way). Any objection blocks until withdrawn.</li>
 * <li>Removing an admin ({@code admin.remove}, which is also the proposer's consent) needs the consent of
 * every other admin; an admin's own {@code admin.resign} takes effect at once. The last admin cannot leave.</li>
 * </ul>
 * Every step comes from a signed statement; every effect is a server entry right after it.
 */
@Service
public class Cooptation {
    static final String PROMOTION = "PROMOTION";
    static final String REMOVAL = "REMOVAL";
    static final String CONSENT = "CONSENT";
    static final String OBJECTION = "OBJECTION";

    private final JdbcClient jdbc;
    private final AccountRoles roles;
    private final MailServerBridge mailServer;
    private final ServerEntries serverEntries;
    private final AuditLog log;
    private final Duration spectatorPeriod;
    private final SigningKeyPins signingKeys;

    public Cooptation(JdbcClient jdbc, AccountRoles roles, MailServerBridge mailServer, ServerEntries serverEntries,
                      AuditLog log, EssaimProperties properties, SigningKeyPins signingKeys) {
        this.jdbc = jdbc;
        this.roles = roles;
        this.mailServer = mailServer;
        this.serverEntries = serverEntries;
        this.log = log;
        this.signingKeys = signingKeys;
        this.spectatorPeriod = Duration.ofDays(properties.cooptation().spectatorDays());
    }

    /** A proposal as shown to admins and spectators. */
    public record Proposal(String address, String kind, String proposedBy, Instant proposedAt, Instant promotableFrom,
                           Set<String> consents, Set<String> objections, Set<String> missingConsents) { }

    public List<Proposal> proposals() {
        return jdbc.sql("SELECT address FROM cooptation_proposal ORDER BY proposed_at").query(String.class).list()
                .stream().map(this::proposal).flatMap(Optional::stream).toList();
    }

    public Optional<Proposal> proposal(String address) {
        String subject = normalize(address);
        return jdbc.sql("SELECT kind, proposed_by, proposed_at FROM cooptation_proposal WHERE address = ?")
                .param(subject)
                .query((row, n) -> {
                    String kind = row.getString("kind");
                    Instant at = row.getObject("proposed_at", OffsetDateTime.class).toInstant();
                    Set<String> consents = votes(subject, CONSENT);
                    Set<String> missing = new TreeSet<>(roles.admins());
                    if (REMOVAL.equals(kind)) {
                        missing.remove(subject);
                    }
                    missing.removeAll(consents);
                    return new Proposal(subject, kind, row.getString("proposed_by"), at,
                            PROMOTION.equals(kind) ? at.plus(spectatorPeriod) : at,
                            consents, votes(subject, OBJECTION), missing);
                })
                .optional();
    }

    // The steps of co-optation, for {@code admin} (already checked to be an admin); the caller holds the log's lock.

    void propose(String admin, String address, Instant now) {
        String member = normalize(address);
        if (!mailServer.accountExists(member)) {
            throw new AdminActionException("No account " + member + ".");
        }
        if (roles.roleOf(member).isPresent() || proposal(member).isPresent()) {
            throw new AdminActionException(member + " is already an admin, a spectator or proposed.");
        }
        insertProposal(member, PROMOTION, admin, now);
        vote(member, admin, CONSENT);
        roles.grant(member, AccountRoles.SPECTATOR);
        serverEntries.append("cooptation.spectator", Map.of("address", member,
                "promotableFrom", now.plus(spectatorPeriod).toString()));
        promoteIfAgreed(member, now);
    }

    void consent(String admin, String address, Instant now) {
        Proposal proposal = open(address);
        vote(proposal.address(), admin, CONSENT);
        settle(proposal.address(), now);
    }

    void object(String admin, String address) {
        Proposal proposal = open(address);
        vote(proposal.address(), admin, OBJECTION);
    }

    void withdrawObjection(String admin, String address, Instant now) {
        Proposal proposal = open(address);
        if (!proposal.objections().contains(admin)) {
            throw new AdminActionException("You have no objection to " + proposal.address() + " to withdraw.");
        }
        jdbc.sql("DELETE FROM cooptation_vote WHERE address = ? AND admin = ?").params(proposal.address(), admin).update();
        settle(proposal.address(), now);
    }

    void withdrawProposal(String address) {
        Proposal proposal = open(address);
        close(proposal.address());
        if (PROMOTION.equals(proposal.kind())) {
            roles.revoke(proposal.address());
        }
        serverEntries.append("cooptation.closed", Map.of("address", proposal.address()));
    }

    void removeAdmin(String admin, String address, Instant now) {
        String target = normalize(address);
        if (!roles.isAdmin(target)) {
            throw new AdminActionException(target + " is not an admin.");
        }
        if (target.equals(admin)) {
            throw new AdminActionException("To stop being an admin yourself, sign admin.resign.");
        }
        if (proposal(target).isEmpty()) {
            insertProposal(target, REMOVAL, admin, now);
        }
        vote(target, admin, CONSENT);
        settle(target, now);
    }

    void resign(String admin) {
        if (roles.admins().size() <= 1) {
            throw new AdminActionException("You are the last admin; co-opt another admin before resigning.");
        }
        demote(admin, "resigned");
    }

    /** Promotions whose spectator period ended after the last consent; hourly, and at start. */
    @Scheduled(initialDelay = 60_000, fixedDelay = 3_600_000)
    public void promoteDue() {
        synchronized (log) {
            for (Proposal proposal : proposals()) {
                settle(proposal.address(), Instant.now());
            }
        }
    }

    private void settle(String address, Instant now) {
        Optional<Proposal> proposal = proposal(address);
        if (proposal.isEmpty()) {
            return;
        }
        if (PROMOTION.equals(proposal.get().kind())) {
            promoteIfAgreed(address, now);
        } else if (proposal.get().missingConsents().isEmpty()) {
            close(address);
            demote(address, "removed by consensus");
        }
    }

    private void promoteIfAgreed(String address, Instant now) {
        Proposal proposal = proposal(address).orElseThrow();
        if (proposal.missingConsents().isEmpty() && proposal.objections().isEmpty()
                && !now.isBefore(proposal.promotableFrom())) {
            close(address);
            roles.grant(address, AccountRoles.ADMIN);
            // the key the new admin holds now is the one their statements will be verified against
            String signingKey = signingKeys.pinAtPromotion(address);
            serverEntries.append("cooptation.promoted", Map.of("address", address,
                    "consents", String.join(",", proposal.consents()), "signingKey", signingKey));
        }
    }

    private void demote(String address, String why) {
        roles.revoke(address);
        jdbc.sql("DELETE FROM cooptation_vote WHERE admin = ?").param(address).update();
        serverEntries.append("admin.removed", Map.of("address", address, "reason", why));
    }

    private Proposal open(String address) {
        return proposal(address).orElseThrow(() -> new AdminActionException("There is no open proposal about "
                + normalize(address) + "."));
    }

    private void insertProposal(String address, String kind, String admin, Instant now) {
        jdbc.sql("INSERT INTO cooptation_proposal (address, kind, proposed_by, proposed_at) VALUES (?, ?, ?, ?)")
                // whole seconds: the database rounds sub-microseconds, which could put the start after "now"
                .params(address, kind, admin, now.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)).update();
    }

    private void vote(String address, String admin, String vote) {
        int updated = jdbc.sql("UPDATE cooptation_vote SET vote = ? WHERE address = ? AND admin = ?")
                .params(vote, address, admin).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO cooptation_vote (address, admin, vote) VALUES (?, ?, ?)")
                    .params(address, admin, vote).update();
        }
    }

    private void close(String address) {
        jdbc.sql("DELETE FROM cooptation_vote WHERE address = ?").param(address).update();
        jdbc.sql("DELETE FROM cooptation_proposal WHERE address = ?").param(address).update();
    }

    private Set<String> votes(String address, String vote) {
        return new TreeSet<>(jdbc.sql("SELECT admin FROM cooptation_vote WHERE address = ? AND vote = ?")
                .params(address, vote).query(String.class).list());
    }

    private static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
