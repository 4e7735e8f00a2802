package org.essaim.admin;

import java.util.Locale;
import java.util.Optional;

import org.essaim.accounts.AccountRoles;
import org.essaim.keys.PublicKeyDirectory;
import org.essaim.mailserver.MailServerBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The one door for every admin action. It checks that the actor is an admin and that the action makes sense, then
 * carries it out. Only governance calls {@link #execute} (checked by ArchitectureTest): after it has verified the
 * admin's signature on the statement, and before it appends that statement to the public log. The admin pages
 * reach it only through {@link SignedActions}, so an admin password alone can change nothing, and every executed
 * action is in the log.
 */
@Service
public class AdminActions {
    private static final Logger LOGGER = LoggerFactory.getLogger(AdminActions.class);

    private final AccountRoles roles;
    private final MailServerBridge mailServer;
    private final DisabledAccountStore disabledAccounts;
    private final Invitations invitations;
    private final PublicKeyDirectory keys;

    public AdminActions(AccountRoles roles, MailServerBridge mailServer, DisabledAccountStore disabledAccounts,
                        Invitations invitations, PublicKeyDirectory keys) {
        this.keys = keys;
        this.roles = roles;
        this.mailServer = mailServer;
        this.disabledAccounts = disabledAccounts;
        this.invitations = invitations;
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
        Optional<String> result = carryOut(admin, action);
        LOGGER.info("Admin action {} {} by {}", action.name(), action.parameters(), admin);
        return result;
    }

    private Optional<String> carryOut(String admin, AdminAction action) {
        if (action instanceof AdminAction.Invite invite) {
            return Optional.of(invitations.create(invite.address(), admin, Invitations.DEFAULT_VALIDITY));
        } else if (action instanceof AdminAction.RevokeInvitation revoke) {
            if (invitations.revoke(revoke.address()) == 0) {
                throw new AdminActionException("There is no open invitation for " + revoke.address() + ".");
            }
        } else if (action instanceof AdminAction.Disable disable) {
            requireOtherExistingAccount(admin, disable.address());
            disabledAccounts.disable(disable.address());
        } else if (action instanceof AdminAction.Enable enable) {
            requireExistingAccount(enable.address());
            disabledAccounts.enable(enable.address());
        } else if (action instanceof AdminAction.Delete delete) {
            requireOtherExistingAccount(admin, delete.address());
            mailServer.deleteAccount(delete.address());
            keys.withdraw(delete.address());
            disabledAccounts.enable(delete.address());
        } else if (action instanceof AdminAction.SetQuota quota) {
            requireExistingAccount(quota.address());
            if (quota.limitBytes().isPresent() && quota.limitBytes().getAsLong() <= 0) {
                throw new AdminActionException("A quota must be a positive size.");
            }
            mailServer.setStorageLimit(quota.address(), quota.limitBytes());
        } else if (action instanceof AdminAction.AddAlias alias) {
            requireExistingAccount(alias.address());
            if (mailServer.accountExists(alias.alias())) {
                throw new AdminActionException(alias.alias() + " is an account, not a free address.");
            }
            mailServer.addAlias(alias.alias(), alias.address());
        } else if (action instanceof AdminAction.RemoveAlias alias) {
            mailServer.removeAlias(alias.alias(), alias.address());
        } else if (action instanceof AdminAction.RoleAction) {
            throw new AdminActionException("Changes of who is an admin are made only by signed statements, "
                    + "under the co-optation rules (governance).");
        } else {
            throw new AdminActionException("Unknown admin action " + action.name());
        }
        return Optional.empty();
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
