package org.essaim.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import org.essaim.accounts.PasswordPolicy;
import org.essaim.mailserver.MailServerBridge;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Admins invite people instead of choosing passwords for them: a single-use link with an expiry, whose page
 * lets the invited person pick their own password. Only the SHA-256 of the link's token is stored.
 */
@Service
public class Invitations {
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(7);

    /** What the invited person sees before accepting. */
    public record Invitation(String address, String invitedBy, OffsetDateTime expiresAt) { }

    private final JdbcClient jdbc;
    private final MailServerBridge mailServer;
    private final PasswordPolicy passwordPolicy;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Autowired
    public Invitations(JdbcClient jdbc, MailServerBridge mailServer, PasswordPolicy passwordPolicy) {
        this(jdbc, mailServer, passwordPolicy, Clock.systemUTC());
    }

    Invitations(JdbcClient jdbc, MailServerBridge mailServer, PasswordPolicy passwordPolicy, Clock clock) {
        this.jdbc = jdbc;
        this.mailServer = mailServer;
        this.passwordPolicy = passwordPolicy;
        this.clock = clock;
    }

    /** Creates an invitation and returns its secret token (shown once, in the link). */
    String create(String address, String invitedBy, Duration validity) {
        String normalized = address.trim().toLowerCase(Locale.ROOT);
        if (mailServer.accountExists(normalized)) {
            throw new AdminActionException(normalized + " already has an account");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        OffsetDateTime now = OffsetDateTime.now(clock);
        jdbc.sql("INSERT INTO invitation (token_hash, address, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
                .params(hash(token), normalized, invitedBy, now, now.plus(validity)).update();
        return token;
    }

    /** Invitations not used and not expired, newest first (no token: only its hash is kept). */
    public java.util.List<Invitation> open() {
        return jdbc.sql("SELECT address, invited_by, expires_at FROM invitation WHERE used_at IS NULL AND expires_at > ? "
                        + "ORDER BY created_at DESC")
                .param(OffsetDateTime.now(clock))
                .query((rs, i) -> new Invitation(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)))
                .list();
    }

    /** Ends the open invitations to an address now: their links stop working. @return how many were open */
    int revoke(String address) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return jdbc.sql("UPDATE invitation SET expires_at = ? WHERE address = ? AND used_at IS NULL AND expires_at > ?")
                .params(now, address.trim().toLowerCase(Locale.ROOT), now).update();
    }

    /** The open invitation behind this token: unused and not expired. */
    public Optional<Invitation> find(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT address, invited_by, expires_at FROM invitation "
                        + "WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")
                .params(hash(token), OffsetDateTime.now(clock))
                .query((rs, i) -> new Invitation(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)))
                .optional();
    }

    /**
     * Accepts the invitation: creates the account with the chosen password. The link dies at once, so a
     * second use (or a race) finds nothing.
     */
    @Transactional
    public String accept(String token, String password) {
        Invitation invitation = find(token).orElseThrow(() -> new AdminActionException("This invitation link is invalid, used or expired."));
        passwordPolicy.problemWith(password, invitation.address()).ifPresent(problem -> {
            throw new AdminActionException(problem);
        });
        int claimed = jdbc.sql("UPDATE invitation SET used_at = ? WHERE token_hash = ? AND used_at IS NULL")
                .params(OffsetDateTime.now(clock), hash(token)).update();
        if (claimed != 1) {
            throw new AdminActionException("This invitation link is invalid, used or expired.");
        }
        mailServer.createAccount(invitation.address(), password);
        return invitation.address();
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
