package org.essaim.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Every action an admin can take, as data: a name and its parameters. Kept as plain values so that the
 * governance log can put each one in a canonical statement, sign it and replay it.
 */
public sealed interface AdminAction {

    /** The action's name in statements and the public log, e.g. {@code account.disable}. */
    String name();

    /** The action's parameters, in a stable order. */
    Map<String, String> parameters();

    record Invite(String address) implements AdminAction {
        public String name() {
            return "account.invite";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    /** Withdraws the open invitations to an address (their links stop working). */
    record RevokeInvitation(String address) implements AdminAction {
        public String name() {
            return "invitation.revoke";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    record Disable(String address) implements AdminAction {
        public String name() {
            return "account.disable";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    record Enable(String address) implements AdminAction {
        public String name() {
            return "account.enable";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    record Delete(String address) implements AdminAction {
        public String name() {
            return "account.delete";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    /** An account's own storage limit in bytes; empty: back to the default quota. */
    record SetQuota(String address, OptionalLong limitBytes) implements AdminAction {
        public String name() {
            return "quota.set";
        }

        public Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("address", address);
            parameters.put("limitBytes", limitBytes.isPresent() ? Long.toString(limitBytes.getAsLong()) : "default");
            return parameters;
        }
    }

    record AddAlias(String alias, String address) implements AdminAction {
        public String name() {
            return "alias.add";
        }

        public Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("alias", alias);
            parameters.put("address", address);
            return parameters;
        }
    }

    record RemoveAlias(String alias, String address) implements AdminAction {
        public String name() {
            return "alias.remove";
        }

        public Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("alias", alias);
            parameters.put("address", address);
            return parameters;
        }
    }

    /**
     * Steps of co-optation by consensus (docs/audit.md). They change who is an admin, so they are carried out
     * by governance's co-optation rules, only from signed statements, never by {@link AdminActions} alone.
     */
    sealed interface RoleAction extends AdminAction {
    }

    /** Proposes a member as admin: the member becomes a spectator. */
    record ProposeAdmin(String address) implements RoleAction {
        public String name() {
            return "cooptation.propose";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    /** An admin's consent to a proposal (to promote a spectator, or to remove an admin). */
    record ConsentToAdmin(String address) implements RoleAction {
        public String name() {
            return "cooptation.consent";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    /** An admin's objection to a promotion: blocks it until withdrawn. */
    record ObjectToAdmin(String address) implements RoleAction {
        public String name() {
            return "cooptation.object";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    record WithdrawObjection(String address) implements RoleAction {
        public String name() {
            return "cooptation.withdraw-objection";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    /** Ends a proposal without promotion (the spectator goes back to member). */
    record WithdrawProposal(String address) implements RoleAction {
        public String name() {
            return "cooptation.withdraw";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    /** Proposes removing an admin (and counts as this admin's consent); done when every other admin consented. */
    record RemoveAdmin(String address) implements RoleAction {
        public String name() {
            return "admin.remove";
        }

        public Map<String, String> parameters() {
            return Map.of("address", address);
        }
    }

    /** The signing admin steps down, at once. */
    record Resign() implements RoleAction {
        public String name() {
            return "admin.resign";
        }

        public Map<String, String> parameters() {
            return Map.of();
        }
    }
}
