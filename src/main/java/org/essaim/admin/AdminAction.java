package org.essaim.admin;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Every action an admin can take, each declared once as a record: its name in statements and the public log, its
 * parameters (both ways: {@link #parameters()} writes them, a static {@code parse} reads them back), what carrying
 * it out does ({@link #carryOut}) and which key must sign it ({@link #signingKey()}). The records are plain values,
 * so that governance can put each in a canonical statement, sign it, log it and replay it.
 * <p>
 * <b>Adding an action</b>: a record implementing {@link AccountAction} (carried out by {@link AdminActions}) or
 * {@link GovernanceAction} (carried out by governance through {@link GovernanceSteps}), with a {@code NAME},
 * {@code parameters()}, a static {@code parse(Parameters)} and {@code carryOut}; then one line in {@link #PARSERS}
 * (AdminActionTest fails when a record is missing there); then the step itself in {@link AdminActions} or in
 * governance's GovernanceStepsImpl. Statements, the API, the log and the signing pages need nothing more.
 */
public sealed interface AdminAction {

    /** The action's name in statements and the public log, e.g. {@code account.disable}. */
    String name();

    /** The action's parameters; a statement must give exactly these. */
    Map<String, String> parameters();

    /** Which key must sign a statement of this action. */
    default SigningKey signingKey() {
        return SigningKey.PINNED_AND_STILL_PUBLISHED;
    }

    /**
     * Carries the action out for {@code admin} (already checked to be an admin, statement already verified).
     *
     * @return the invitation token for {@link Invite}, empty otherwise
     * @throws AdminActionException when the action is not possible; nothing changed then
     */
    Optional<String> carryOut(Steps steps, String admin, Instant now);

    /** The key a statement must be signed with (see governance/SigningKeyPins). */
    enum SigningKey {
        /** The admin's pinned key, which the directory must still publish (a key published with a password alone signs nothing). */
        PINNED_AND_STILL_PUBLISHED,
        /** The admin's pinned key even though the directory now publishes another: the way to move the pin. */
        PINNED
    }

    /** What actions can do: account changes (admin's own) and the steps only governance can take. */
    record Steps(AdminActions accounts, GovernanceSteps governance) { }

    /** Reads each action from a statement's name and parameters: one line per action. */
    Map<String, Parser> PARSERS = Map.ofEntries(
            Map.entry(Invite.NAME, Invite::parse),
            Map.entry(RevokeInvitation.NAME, RevokeInvitation::parse),
            Map.entry(Disable.NAME, Disable::parse),
            Map.entry(Enable.NAME, Enable::parse),
            Map.entry(Delete.NAME, Delete::parse),
            Map.entry(SetQuota.NAME, SetQuota::parse),
            Map.entry(AddAlias.NAME, AddAlias::parse),
            Map.entry(RemoveAlias.NAME, RemoveAlias::parse),
            Map.entry(DeleteWaitingMail.NAME, DeleteWaitingMail::parse),
            Map.entry(ProposeAdmin.NAME, ProposeAdmin::parse),
            Map.entry(ConsentToAdmin.NAME, ConsentToAdmin::parse),
            Map.entry(ObjectToAdmin.NAME, ObjectToAdmin::parse),
            Map.entry(WithdrawObjection.NAME, WithdrawObjection::parse),
            Map.entry(WithdrawProposal.NAME, WithdrawProposal::parse),
            Map.entry(RemoveAdmin.NAME, RemoveAdmin::parse),
            Map.entry(Resign.NAME, Resign::parse),
            Map.entry(Rekey.NAME, Rekey::parse),
            Map.entry(ConfirmKey.NAME, ConfirmKey::parse));

    /** Every action name a statement may carry, sorted. */
    static List<String> names() {
        return PARSERS.keySet().stream().sorted().toList();
    }

    /**
     * The action a statement names, with exactly its parameters: the action's own {@link #parameters()} must
     * reproduce them, so nothing in a signed statement is ignored.
     *
     * @throws IllegalArgumentException saying what is wrong (unknown name, missing, extra or malformed parameter)
     */
    static AdminAction parse(String name, Map<String, String> parameters) {
        Parser parser = PARSERS.get(name);
        if (parser == null) {
            throw new IllegalArgumentException("Unknown action \"" + name + "\". Known actions: "
                    + String.join(", ", names()) + ".");
        }
        AdminAction action = parser.parse(new Parameters(parameters));
        SortedMap<String, String> expected = new TreeMap<>(action.parameters());
        boolean same = expected.keySet().equals(new TreeMap<>(parameters).keySet())
                && expected.entrySet().stream().allMatch(parameter ->
                        parameter.getValue().strip().equalsIgnoreCase(parameters.get(parameter.getKey()).strip()));
        if (!same) { // the case of an address or a fingerprint does not matter, anything else does
            throw new IllegalArgumentException("\"" + name + "\" takes exactly the parameters " + expected.keySet() + ".");
        }
        return action;
    }

    /** Reads one action from its parameters. */
    interface Parser {
        AdminAction parse(Parameters parameters);
    }

    /** A statement's parameters, read with a clear message for each mistake. */
    record Parameters(Map<String, String> values) {
        private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-F]{40}|[0-9A-F]{64}");

        public String required(String name) {
            String value = values.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("Parameter \"" + name + "\" is missing.");
            }
            return value;
        }

        /** A byte count, or "default" for none of its own. */
        public OptionalLong bytesOrDefault(String name) {
            String value = required(name);
            if ("default".equals(value)) {
                return OptionalLong.empty();
            }
            try {
                return OptionalLong.of(Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + name + "\" must be a number of bytes or \"default\".");
            }
        }

        /** A key's full fingerprint, upper case. */
        public String fingerprint(String name) {
            String upper = required(name).strip().toUpperCase(Locale.ROOT);
            if (!FINGERPRINT.matcher(upper).matches()) {
                throw new IllegalArgumentException("\"" + name + "\" must be the new key's full fingerprint "
                        + "(40 or 64 hex digits, gpg --fingerprint).");
            }
            return upper;
        }
    }

    private static Map<String, String> onlyAddress(String address) {
        return Map.of("address", address);
    }

    private static Map<String, String> aliasOf(String alias, String address) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("alias", alias);
        parameters.put("address", address);
        return parameters;
    }

    // --- accounts: carried out by AdminActions ---------------------------------------------------------------------

    /** An action on accounts, carried out by {@link AdminActions}. */
    sealed interface AccountAction extends AdminAction { }

    record Invite(String address) implements AccountAction {
        public static final String NAME = "account.invite";

        static Invite parse(Parameters p) {
            return new Invite(p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return onlyAddress(address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            return Optional.of(steps.accounts().invite(admin, address));
        }
    }

    /** Withdraws the open invitations to an address (their links stop working). */
    record RevokeInvitation(String address) implements AccountAction {
        public static final String NAME = "invitation.revoke";

        static RevokeInvitation parse(Parameters p) {
            return new RevokeInvitation(p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return onlyAddress(address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.accounts().revokeInvitation(address);
            return Optional.empty();
        }
    }

    record Disable(String address) implements AccountAction {
        public static final String NAME = "account.disable";

        static Disable parse(Parameters p) {
            return new Disable(p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return onlyAddress(address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.accounts().disable(admin, address);
            return Optional.empty();
        }
    }

    record Enable(String address) implements AccountAction {
        public static final String NAME = "account.enable";

        static Enable parse(Parameters p) {
            return new Enable(p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return onlyAddress(address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.accounts().enable(address);
            return Optional.empty();
        }
    }

    record Delete(String address) implements AccountAction {
        public static final String NAME = "account.delete";

        static Delete parse(Parameters p) {
            return new Delete(p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return onlyAddress(address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.accounts().delete(admin, address);
            return Optional.empty();
        }
    }

    /** An account's own storage limit in bytes; empty: back to the default quota. */
    record SetQuota(String address, OptionalLong limitBytes) implements AccountAction {
        public static final String NAME = "quota.set";

        static SetQuota parse(Parameters p) {
            return new SetQuota(p.required("address"), p.bytesOrDefault("limitBytes"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("address", address);
            parameters.put("limitBytes", limitBytes.isPresent() ? Long.toString(limitBytes.getAsLong()) : "default");
            return parameters;
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.accounts().setQuota(address, limitBytes);
            return Optional.empty();
        }
    }

    record AddAlias(String alias, String address) implements AccountAction {
        public static final String NAME = "alias.add";

        static AddAlias parse(Parameters p) {
            return new AddAlias(p.required("alias"), p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return aliasOf(alias, address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.accounts().addAlias(alias, address);
            return Optional.empty();
        }
    }

    record RemoveAlias(String alias, String address) implements AccountAction {
        public static final String NAME = "alias.remove";

        static RemoveAlias parse(Parameters p) {
            return new RemoveAlias(p.required("alias"), p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return aliasOf(alias, address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.accounts().removeAlias(alias, address);
            return Optional.empty();
        }
    }

    /**
     * Deletes a message waiting in the outgoing queue (e.g. mail a remote server will never take); its sender is not
     * told. The parameter is the queue's id of the message, never an address or a subject: the log is public.
     */
    record DeleteWaitingMail(String mail) implements AccountAction {
        public static final String NAME = "queue.delete";

        static DeleteWaitingMail parse(Parameters p) {
            return new DeleteWaitingMail(p.required("mail").strip());
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return Map.of("mail", mail);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.accounts().deleteWaitingMail(mail);
            return Optional.empty();
        }
    }

    // --- who is an admin, and admin keys: carried out by governance ---------------------------------------------

    /**
     * Co-optation by consensus and admin signing keys (docs/audit.md). They change who is an admin or which key
     * speaks for one, so governance carries them out (its rules, its server entries), only from signed statements.
     */
    sealed interface GovernanceAction extends AdminAction { }

    /** Proposes a member as admin: the member becomes a spectator. */
    record ProposeAdmin(String address) implements GovernanceAction {
        public static final String NAME = "cooptation.propose";

        static ProposeAdmin parse(Parameters p) {
            return new ProposeAdmin(p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return onlyAddress(address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.governance().propose(admin, address, now);
            return Optional.empty();
        }
    }

    /** An admin's consent to a proposal (to promote a spectator, or to remove an admin). */
    record ConsentToAdmin(String address) implements GovernanceAction {
        public static final String NAME = "cooptation.consent";

        static ConsentToAdmin parse(Parameters p) {
            return new ConsentToAdmin(p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return onlyAddress(address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.governance().consent(admin, address, now);
            return Optional.empty();
        }
    }

    /** An admin's objection to a promotion: blocks it until withdrawn. */
    record ObjectToAdmin(String address) implements GovernanceAction {
        public static final String NAME = "cooptation.object";

        static ObjectToAdmin parse(Parameters p) {
            return new ObjectToAdmin(p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return onlyAddress(address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.governance().object(admin, address);
            return Optional.empty();
        }
    }

    record WithdrawObjection(String address) implements GovernanceAction {
        public static final String NAME = "cooptation.withdraw-objection";

        static WithdrawObjection parse(Parameters p) {
            return new WithdrawObjection(p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return onlyAddress(address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.governance().withdrawObjection(admin, address, now);
            return Optional.empty();
        }
    }

    /** Ends a proposal without promotion (the spectator goes back to member). */
    record WithdrawProposal(String address) implements GovernanceAction {
        public static final String NAME = "cooptation.withdraw";

        static WithdrawProposal parse(Parameters p) {
            return new WithdrawProposal(p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return onlyAddress(address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.governance().withdrawProposal(address);
            return Optional.empty();
        }
    }

    /** Proposes removing an admin (and counts as this admin's consent); done when every other admin consented. */
    record RemoveAdmin(String address) implements GovernanceAction {
        public static final String NAME = "admin.remove";

        static RemoveAdmin parse(Parameters p) {
            return new RemoveAdmin(p.required("address"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return onlyAddress(address);
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.governance().removeAdmin(admin, address, now);
            return Optional.empty();
        }
    }

    /** The signing admin steps down, at once. */
    record Resign() implements GovernanceAction {
        public static final String NAME = "admin.resign";

        static Resign parse(Parameters p) {
            return new Resign();
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return Map.of();
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.governance().resign(admin);
            return Optional.empty();
        }
    }

    /** Moves the signing admin's pin to the key the directory now publishes; signed with the pinned (old) key. */
    record Rekey(String fingerprint) implements GovernanceAction {
        public static final String NAME = "admin.rekey";

        static Rekey parse(Parameters p) {
            return new Rekey(p.fingerprint("fingerprint"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            return Map.of("fingerprint", fingerprint);
        }

        @Override
        public SigningKey signingKey() {
            return SigningKey.PINNED; // the directory publishes the new key already: that is the point
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.governance().rekey(admin, fingerprint);
            return Optional.empty();
        }
    }

    /** Another admin vouches for {@code address}'s new key; the pin moves when every other admin did. */
    record ConfirmKey(String address, String fingerprint) implements GovernanceAction {
        public static final String NAME = "admin.key.confirm";

        static ConfirmKey parse(Parameters p) {
            return new ConfirmKey(p.required("address").trim().toLowerCase(Locale.ROOT), p.fingerprint("fingerprint"));
        }

        public String name() {
            return NAME;
        }

        public Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("address", address);
            parameters.put("fingerprint", fingerprint);
            return parameters;
        }

        public Optional<String> carryOut(Steps steps, String admin, Instant now) {
            steps.governance().confirmKey(admin, address, fingerprint);
            return Optional.empty();
        }
    }
}
