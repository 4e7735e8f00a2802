package org.essaim.admin;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import org.essaim.accounts.AccountRoles;
import org.essaim.keys.PublicKeyDirectory;
import org.essaim.mailserver.MailServerBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * The one door for every admin action. It checks that the actor is an admin, then carries the action out as the
 * action itself declares ({@link AdminAction#carryOut}): account changes here, co-optation and signing-key steps in
 * governance ({@link GovernanceSteps}). Only governance calls {@link #execute} (checked by ArchitectureTest): after it
 * has verified the admin's signature on the statement and appended it to the public log, in one transaction. The
 * admin pages reach it only through {@link SignedActions}, so an admin password alone can change nothing, and every
 * executed action is in the log.
 */
@Service
public class AdminActions {
    private static final Logger LOGGER = LoggerFactory.getLogger(AdminActions.class);

    private final AccountRoles roles;
    private final MailServerBridge mailServer;
    private final DisabledAccountStore disabledAccounts;
    private final Invitations invitations;
    private final PublicKeyDirectory keys;
    private final ObjectProvider<GovernanceSteps> governance;

    public AdminActions(AccountRoles roles, MailServerBridge mailServer, DisabledAccountStore disabledAccounts,
                        Invitations invitations, PublicKeyDirectory keys, ObjectProvider<GovernanceSteps> governance) {
        this.keys = keys;
        this.roles = roles;
        this.mailServer = mailServer;
        this.disabledAccounts = disabledAccounts;
        this.invitations = invitations;
        this.governance = governance;
    }

    /**
     * Carries out an action for an admin. For governance only (see the class comment).
     *
     * @return the invitation token for {@link AdminAction.Invite}, empty otherwise
     * @throws AdminActionException when the actor is not an admin or the action is not possible
     */
    public Optional<String> execute(String actor, AdminAction action) {
        String admin = normalize(actor);
        if (!roles.isAdmin(admin)) {
            throw new AdminActionException("Only admins can do this.");
        }
        // looked up at each use: governance's steps are a bean of their own, made after this one
        Optional<String> result = action.carryOut(new AdminAction.Steps(this, governance.getObject()), admin, Instant.now());
        LOGGER.info("Admin action {} {} by {}", action.name(), action.parameters(), admin);
        return result;
    }

    // --- the account steps, for AdminAction's records only --------------------------------------------------------

    String invite(String admin, String address) {
        return invitations.create(address, admin, Invitations.DEFAULT_VALIDITY);
    }

    void revokeInvitation(String address) {
        if (invitations.revoke(address) == 0) {
            throw new AdminActionException("There is no open invitation for " + address + ".");
        }
    }

    void disable(String admin, String address) {
        requireOtherExistingAccount(admin, address);
        disabledAccounts.disable(address);
    }

    void enable(String address) {
        requireExistingAccount(address);
        disabledAccounts.enable(address);
    }

    void delete(String admin, String address) {
        requireOtherExistingAccount(admin, address);
        mailServer.deleteAccount(address);
        keys.withdraw(address);
        disabledAccounts.enable(address);
    }

    void setQuota(String address, OptionalLong limitBytes) {
        requireExistingAccount(address);
        if (limitBytes.isPresent() && limitBytes.getAsLong() <= 0) {
            throw new AdminActionException("A quota must be a positive size.");
        }
        mailServer.setStorageLimit(address, limitBytes);
    }

    void addAlias(String alias, String address) {
        requireExistingAccount(address);
        if (mailServer.accountExists(alias)) {
            throw new AdminActionException(alias + " is an account, not a free address.");
        }
        mailServer.addAlias(alias, address);
    }

    void removeAlias(String alias, String address) {
        mailServer.removeAlias(alias, address);
    }

    void deleteWaitingMail(String name) {
        if (!mailServer.deleteWaitingMail(name)) {
            throw new AdminActionException("No message " + name + " waits in the queue any more.");
        }
    }

    private void requireExistingAccount(String address) {
        if (!mailServer.accountExists(address)) {
            throw new AdminActionException("No account " + address + ".");
        }
    }

    private void requireOtherExistingAccount(String admin, String address) {
        requireExistingAccount(address);
        if (normalize(address).equals(admin)) {
            throw new AdminActionException("Admins cannot do this to their own account.");
        }
    }

    private static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
