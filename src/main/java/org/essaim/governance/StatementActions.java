package org.essaim.governance;

import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

import org.essaim.admin.AdminAction;

/**
 * Reads a statement's action name and parameters back into an {@link AdminAction}. A statement must name an
 * action listed here and give exactly its parameters: the action's own {@code parameters()} must reproduce
 * them, so nothing in a signed statement is ignored.
 */
final class StatementActions {
    private static final Map<String, Function<Map<String, String>, AdminAction>> ACTIONS = Map.ofEntries(
            Map.entry("account.invite", p -> new AdminAction.Invite(required(p, "address"))),
            Map.entry("invitation.revoke", p -> new AdminAction.RevokeInvitation(required(p, "address"))),
            Map.entry("account.disable", p -> new AdminAction.Disable(required(p, "address"))),
            Map.entry("account.enable", p -> new AdminAction.Enable(required(p, "address"))),
            Map.entry("account.delete", p -> new AdminAction.Delete(required(p, "address"))),
            Map.entry("quota.set", p -> new AdminAction.SetQuota(required(p, "address"), limit(required(p, "limitBytes")))),
            Map.entry("alias.add", p -> new AdminAction.AddAlias(required(p, "alias"), required(p, "address"))),
            Map.entry("alias.remove", p -> new AdminAction.RemoveAlias(required(p, "alias"), required(p, "address"))),
            Map.entry("cooptation.propose", p -> new AdminAction.ProposeAdmin(required(p, "address"))),
            Map.entry("cooptation.consent", p -> new AdminAction.ConsentToAdmin(required(p, "address"))),
            Map.entry("cooptation.object", p -> new AdminAction.ObjectToAdmin(required(p, "address"))),
            Map.entry("cooptation.withdraw-objection", p -> new AdminAction.WithdrawObjection(required(p, "address"))),
            Map.entry("cooptation.withdraw", p -> new AdminAction.WithdrawProposal(required(p, "address"))),
            Map.entry("admin.remove", p -> new AdminAction.RemoveAdmin(required(p, "address"))),
            Map.entry("admin.resign", p -> new AdminAction.Resign()));

    private StatementActions() {
    }

    static java.util.Set<String> names() {
        java.util.Set<String> names = new java.util.TreeSet<>(ACTIONS.keySet());
        names.addAll(SigningKeyPins.actionNames());
        return names;
    }

    /** @throws UnknownActionException when the name is not an action or the parameters are not exactly its own */
    static AdminAction toAdminAction(Statement statement) throws UnknownActionException {
        Function<Map<String, String>, AdminAction> factory = ACTIONS.get(statement.action());
        if (factory == null) {
            throw new UnknownActionException("Unknown action \"" + statement.action() + "\". Known actions: "
                    + String.join(", ", names()) + ".");
        }
        AdminAction action;
        try {
            action = factory.apply(statement.parameters());
        } catch (IllegalArgumentException e) {
            throw new UnknownActionException(e.getMessage());
        }
        SortedMap<String, String> expected = new TreeMap<>(action.parameters());
        if (!expected.equals(statement.parameters())) {
            throw new UnknownActionException("\"" + statement.action() + "\" takes exactly the parameters "
                    + expected.keySet() + ".");
        }
        return action;
    }

    private static String required(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Parameter \"" + name + "\" is missing.");
        }
        return value;
    }

    private static OptionalLong limit(String value) {
        if ("default".equals(value)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"limitBytes\" must be a number of bytes or \"default\".");
        }
    }

    static final class UnknownActionException extends Exception {
        UnknownActionException(String message) {
            super(message);
        }
    }
}
