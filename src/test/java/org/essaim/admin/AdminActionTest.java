package org.essaim.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

/**
 * Each admin action is declared once, in its record: what a statement says (name and parameters) reads back into
 * exactly that action, every action can be read, and a statement with anything more, less or malformed is refused
 * with what to fix.
 */
class AdminActionTest {
    private static final String FINGERPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";
    private static final List<AdminAction> ONE_OF_EACH = List.of(
            new AdminAction.Invite("new@essaim.test"),
            new AdminAction.RevokeInvitation("new@essaim.test"),
            new AdminAction.Disable("bob@essaim.test"),
            new AdminAction.Enable("bob@essaim.test"),
            new AdminAction.Delete("bob@essaim.test"),
            new AdminAction.SetQuota("bob@essaim.test", OptionalLong.of(5_000_000)),
            new AdminAction.AddAlias("alias@essaim.test", "bob@essaim.test"),
            new AdminAction.RemoveAlias("alias@essaim.test", "bob@essaim.test"),
            new AdminAction.DeleteWaitingMail("Mail1796053725390-2931aa73-31f8-4017-90c7-817b6d293484-to-b.test"),
            new AdminAction.ProposeAdmin("bob@essaim.test"),
            new AdminAction.ConsentToAdmin("bob@essaim.test"),
            new AdminAction.ObjectToAdmin("bob@essaim.test"),
            new AdminAction.WithdrawObjection("bob@essaim.test"),
            new AdminAction.WithdrawProposal("bob@essaim.test"),
            new AdminAction.RemoveAdmin("bob@essaim.test"),
            new AdminAction.Resign(),
            new AdminAction.Rekey(FINGERPRINT),
            new AdminAction.ConfirmKey("bob@essaim.test", FINGERPRINT));

    @Test
    void everyActionReadsBackFromWhatItsStatementSays() {
        for (AdminAction action : ONE_OF_EACH) {
            assertThat(AdminAction.parse(action.name(), action.parameters())).as(action.name()).isEqualTo(action);
        }
        assertThat(AdminAction.parse("quota.set", Map.of("address", "bob@essaim.test", "limitBytes", "default")))
                .isEqualTo(new AdminAction.SetQuota("bob@essaim.test", OptionalLong.empty()));
    }

    @Test
    void everyRecordOfTheSealedHierarchyIsReadableAndCoveredHere() {
        List<Class<?>> records = new ArrayList<>();
        collectRecords(AdminAction.class, records);

        assertThat(ONE_OF_EACH).extracting(Object::getClass).containsExactlyInAnyOrderElementsOf(records);
        assertThat(AdminAction.names()).as("one parser per record, by its name")
                .containsExactlyInAnyOrderElementsOf(ONE_OF_EACH.stream().map(AdminAction::name).toList());
    }

    @Test
    void onlyRekeyIsSignedWithThePinnedKeyTheDirectoryNoLongerPublishes() {
        assertThat(ONE_OF_EACH).filteredOn(action -> action.signingKey() == AdminAction.SigningKey.PINNED)
                .extracting(AdminAction::name).containsExactly("admin.rekey");
    }

    @Test
    void addressesAndFingerprintsAreReadWhateverTheirCase() {
        assertThat(AdminAction.parse("admin.key.confirm", Map.of("address", " Bob@Essaim.TEST ",
                "fingerprint", FINGERPRINT.toLowerCase()))).isEqualTo(new AdminAction.ConfirmKey("bob@essaim.test", FINGERPRINT));
        assertThat(AdminAction.parse("admin.rekey", Map.of("fingerprint", " " + FINGERPRINT.toLowerCase())))
                .isEqualTo(new AdminAction.Rekey(FINGERPRINT));
    }

    @Test
    void aStatementWithAnythingElseIsRefusedWithWhatToFix() {
        assertRefused("account.explode", Map.of("address", "bob@essaim.test"), "Unknown action \"account.explode\". Known actions: "
                + "account.delete, account.disable, account.enable, account.invite, admin.key.confirm, admin.rekey");
        assertRefused("account.disable", Map.of(), "Parameter \"address\" is missing.");
        assertRefused("account.disable", Map.of("address", " "), "Parameter \"address\" is missing.");
        assertRefused("account.disable", Map.of("address", "bob@essaim.test", "reason", "spam"),
                "\"account.disable\" takes exactly the parameters [address].");
        assertRefused("quota.set", Map.of("address", "bob@essaim.test", "limitBytes", "lots"),
                "\"limitBytes\" must be a number of bytes or \"default\".");
        assertRefused("quota.set", Map.of("address", "bob@essaim.test", "limitBytes", "007"),
                "\"quota.set\" takes exactly the parameters [address, limitBytes].");
        assertRefused("admin.resign", Map.of("address", "bob@essaim.test"), "\"admin.resign\" takes exactly the parameters [].");
        assertRefused("admin.rekey", Map.of("fingerprint", "ABCD"), "must be the new key's full fingerprint");
    }

    private static void assertRefused(String name, Map<String, String> parameters, String message) {
        assertThatThrownBy(() -> AdminAction.parse(name, parameters)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static void collectRecords(Class<?> type, List<Class<?>> records) {
        if (type.isRecord()) {
            records.add(type);
            return;
        }
        for (Class<?> permitted : type.getPermittedSubclasses()) {
            collectRecords(permitted, records);
        }
    }
}
