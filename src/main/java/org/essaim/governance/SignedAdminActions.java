package org.essaim.governance;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;

import org.essaim.accounts.AccountRoles;
import org.essaim.admin.AdminAction;
import org.essaim.admin.AdminActionException;
import org.essaim.admin.AdminActions;
import org.essaim.crypto.DetachedSignatureVerifier;
import org.essaim.crypto.InvalidSignatureException;
import org.essaim.crypto.VerifiedSignature;
import org.essaim.governance.AdminSigningKeys.Pin;
import org.essaim.governance.RefusedStatementException.Reason;
import org.essaim.keys.PublicKeyDirectory;
import org.essaim.keys.StoredKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The public door for admin actions: a statement in canonical form (docs/audit.md) and the admin's detached
 * OpenPGP signature over its exact bytes. The action is carried out only when
 * <ol>
 * <li>the statement is canonical and its {@code admin} is the authenticated account, which is an admin;</li>
 * <li>the signature verifies against that admin's pinned signing key ({@link SigningKeyPins}), which the
 * directory must still publish: a key published with a stolen password signs nothing (KEY_CHANGED);</li>
 * <li>the same statement was never accepted (replay), and {@code previous} is the log's current head (stale);</li>
 * <li>{@code time} is within {@link #PAST} before / {@link #FUTURE} after the server's clock;</li>
 * <li>the action is known, with exactly its parameters, and {@link AdminActions} (or co-optation) accepts it.</li>
 * </ol>
 * It is then appended to the {@link AuditLog}. Any refusal is recorded (reason, account, statement hash; no IP)
 * and nothing is executed or appended. Everything happens under the log's lock, so the head cannot move between
 * the check and the append.
 */
@Service
public class SignedAdminActions {
    static final Duration PAST = Duration.ofMinutes(30);
    static final Duration FUTURE = Duration.ofMinutes(5);
    private static final Logger LOGGER = LoggerFactory.getLogger(SignedAdminActions.class);

    private final AuditLog log;
    private final AccountRoles roles;
    private final PublicKeyDirectory keys;
    private final AdminActions adminActions;
    private final SigningKeyPins signingKeys;
    private final DetachedSignatureVerifier verifier = new DetachedSignatureVerifier();
    private final Clock clock = Clock.systemUTC();
    private final TransactionTemplate transactions;

    public SignedAdminActions(AuditLog log, AccountRoles roles, PublicKeyDirectory keys, AdminActions adminActions,
                              SigningKeyPins signingKeys,
                              PlatformTransactionManager transactionManager) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.log = log;
        this.roles = roles;
        this.keys = keys;
        this.adminActions = adminActions;
        this.signingKeys = signingKeys;
    }

    /** What an accepted statement did. */
    public record Accepted(AuditEntry entry, Optional<String> invitationToken, String head) { }

    /**
     * @param account   the authenticated account that sent the statement
     * @throws RefusedStatementException when anything is wrong; then nothing changed
     */
    public Accepted submit(String account, byte[] statementBytes, byte[] signature) {
        String sender = account.trim().toLowerCase(Locale.ROOT);
        String action = null;
        try {
            synchronized (log) {
                Statement statement = parse(statementBytes);
                action = statement.action();
                return accept(sender, statement, statementBytes, signature);
            }
        } catch (RefusedStatementException refused) {
            log.recordRefusal(sender, action, refused.reason().name(), refused.getMessage(), statementBytes);
            LOGGER.info("Refused statement from {}: {} ({})", sender, refused.reason(), action);
            throw refused;
        }
    }

    private Accepted accept(String sender, Statement statement, byte[] bytes, byte[] signature) {
        if (!statement.admin().equals(sender)) {
            throw new RefusedStatementException(Reason.NOT_SIGNER, "The statement names " + statement.admin()
                    + " as admin, but you are logged in as " + sender + ".");
        }
        if (!roles.isAdmin(sender)) {
            throw new RefusedStatementException(Reason.NOT_ADMIN, sender + " is not an admin.");
        }
        if (!isArmoredSignature(signature)) {
            throw new RefusedStatementException(Reason.MALFORMED, "The signature must be ASCII-armored "
                    + "(\"-----BEGIN PGP SIGNATURE-----\", as made by gpg --detach-sign --armor).");
        }
        AdminAction action;
        try {
            action = AdminAction.parse(statement.action(), statement.parameters());
        } catch (IllegalArgumentException e) {
            throw new RefusedStatementException(Reason.UNKNOWN_ACTION, e.getMessage());
        }
        Pin pin = signingKey(sender, action.signingKey());
        Instant now = clock.instant();
        VerifiedSignature verified;
        try {
            verified = verifier.verify(bytes, signature, pin.binary(), Date.from(now));
        } catch (InvalidSignatureException e) {
            throw new RefusedStatementException(Reason.BAD_SIGNATURE, "Signature refused: " + e.getMessage());
        }
        if (log.containsStatement(bytes)) {
            throw new RefusedStatementException(Reason.REPLAY, "This statement was already accepted; "
                    + "each statement is carried out once. Sign a new one naming the current head.");
        }
        String head = log.headHash();
        if (!head.equals(statement.previous())) {
            throw new RefusedStatementException(Reason.STALE, "The statement follows " + statement.previous()
                    + " but the log's last entry is now " + head + " (GET /api/audit/head). Sign it again with that.");
        }
        if (statement.time().isBefore(now.minus(PAST)) || statement.time().isAfter(now.plus(FUTURE))) {
            throw new RefusedStatementException(Reason.BAD_TIME, "The statement's time " + statement.time()
                    + " is too far from the server's clock (" + now + "); it must be within " + PAST.toMinutes()
                    + " minutes before and " + FUTURE.toMinutes() + " after.");
        }
        try {
            // The signed statement first, then its effects (governance appends server entries after it), in one
            // transaction: a refused action leaves neither the entry nor any change.
            return transactions.execute(status -> {
                AuditEntry entry = append(statement, signature, verified, pin);
                Optional<String> result = adminActions.execute(sender, action);
                return new Accepted(entry, result, log.headHash());
            });
        } catch (AdminActionException e) {
            throw new RefusedStatementException(Reason.NOT_ALLOWED, e.getMessage());
        }
    }

    /**
     * The pinned key {@code sender} signs with. Unless the action says otherwise ({@code admin.rekey}, signed with
     * the pinned key precisely because the directory now publishes another), the directory must still publish the
     * pinned key: a key published with the password alone is never a signing key.
     */
    private Pin signingKey(String sender, AdminAction.SigningKey rule) {
        Pin pin = signingKeys.signingKeyOf(sender).orElseThrow(() -> new RefusedStatementException(Reason.NO_KEY,
                "You have no published key to verify your signature with; publish it first (PUT /api/keys/me)."));
        if (rule == AdminAction.SigningKey.PINNED) {
            return pin;
        }
        Optional<StoredKey> published = keys.find(sender);
        if (published.isEmpty() || !published.get().fingerprint().equals(pin.fingerprint())) {
            throw new RefusedStatementException(Reason.KEY_CHANGED, "Your published key changed: the directory "
                    + "publishes " + published.map(StoredKey::fingerprint).orElse("no key") + " but your signing key "
                    + "is " + pin.fingerprint() + ". The new key must be confirmed before it signs anything: "
                    + "admin.rekey signed with your signing key, or admin.key.confirm by every other admin "
                    + "(docs/audit.md). If you did not publish it, your password is known to someone else.");
        }
        return pin;
    }

    private AuditEntry append(Statement statement, byte[] signature, VerifiedSignature verified, Pin pin) {
        log.recordSignerKey(verified.certificateFingerprint(), pin.address(), pin.armored());
        signingKeys.pinFirstUse(pin);
        return log.append(AuditEntry.Kind.ADMIN, statement, new String(signature, StandardCharsets.UTF_8),
                verified.certificateFingerprint());
    }

    private static boolean isArmoredSignature(byte[] signature) {
        if (signature == null || signature.length > DetachedSignatureVerifier.MAX_SIGNATURE_BYTES) {
            return false;
        }
        for (byte b : signature) {
            if (b <= 0) {
                return false; // armor is ASCII
            }
        }
        return new String(signature, StandardCharsets.US_ASCII).strip().startsWith("-----BEGIN PGP SIGNATURE-----");
    }

    private static Statement parse(byte[] bytes) {
        try {
            return Statement.parse(bytes);
        } catch (StatementException e) {
            throw new RefusedStatementException(Reason.MALFORMED, e.getMessage());
        }
    }
}
