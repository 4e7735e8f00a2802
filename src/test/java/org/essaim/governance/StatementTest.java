package org.essaim.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A statement's canonical form (docs/audit.md), as {@code jq -cjS} prints it: what is signed is exactly what the
 * server re-encodes, and every deviation is refused with a message that says what to fix.
 */
class StatementTest {
    private static final String PREVIOUS = "ab".repeat(32);
    private static final String CANONICAL = "{\"action\":\"account.disable\",\"admin\":\"admin@essaim.test\","
            + "\"parameters\":{\"address\":\"bob@essaim.test\",\"reason\":\"said \\\"stop\\\" \\\\ left\"},"
            + "\"previous\":\"" + PREVIOUS + "\",\"time\":\"2026-11-25T10:00:00Z\"}";

    @Test
    void theCanonicalFormHasSortedKeysNoSpacesEscapedQuotesAndTimeToTheSecond() {
        Statement statement = Statement.of("account.disable",
                Map.of("reason", "said \"stop\" \\ left", "address", "bob@essaim.test"),
                "admin@essaim.test", Instant.parse("2026-11-25T10:00:00.987Z"), PREVIOUS);

        assertThat(statement.canonicalText()).isEqualTo(CANONICAL);
        assertThat(statement.time()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(statement.parameters().keySet()).containsExactly("address", "reason");
    }

    @Test
    void theCanonicalBytesParseBackToTheSameStatement() throws Exception {
        Statement parsed = Statement.parse(bytes(CANONICAL));

        assertThat(parsed.action()).isEqualTo("account.disable");
        assertThat(parsed.admin()).isEqualTo("admin@essaim.test");
        assertThat(parsed.parameters()).containsEntry("reason", "said \"stop\" \\ left");
        assertThat(parsed.canonicalBytes()).isEqualTo(bytes(CANONICAL));
    }

    @Test
    void nonAsciiTextStaysUtf8AsJqWritesIt() throws Exception {
        String text = CANONICAL.replace("bob@essaim.test", "zoë@essaim.test");

        assertThat(Statement.parse(bytes(text)).parameters()).containsEntry("address", "zoë@essaim.test");
        assertThat(Statement.parse(bytes(text)).canonicalBytes()).isEqualTo(bytes(text));
    }

    @Test
    void aStatementThatIsNotCanonicalIsRefusedWithItsCanonicalForm() {
        for (String deviation : new String[] {
                CANONICAL.replace(",\"admin\"", ", \"admin\""),
                CANONICAL + "\n",
                CANONICAL.replace("{\"action\":\"account.disable\",\"admin\":\"admin@essaim.test\",",
                        "{\"admin\":\"admin@essaim.test\",\"action\":\"account.disable\","),
                CANONICAL.replace("stop", "st\\u006fp")}) {
            assertThatThrownBy(() -> Statement.parse(bytes(deviation)))
                    .isInstanceOf(StatementException.class)
                    .hasMessageContaining("not in canonical form").hasMessageContaining(CANONICAL);
        }
    }

    @Test
    void everyMalformedStatementIsRefusedWithWhatToFix() {
        assertRefused(new byte[0], "No statement");
        assertRefused(bytes("{\"action\":\"" + "a".repeat(Statement.MAX_BYTES) + "\"}"), "larger than 64 KiB");
        assertRefused(new byte[] {'{', (byte) 0xc3, '}'}, "not valid UTF-8");
        assertRefused(bytes("{\"action\":"), "not JSON");
        assertRefused(bytes("[1,2]"), "must be a JSON object");
        assertRefused(bytes(CANONICAL.replace(",\"previous\":\"" + PREVIOUS + "\"", "")), "exactly the members");
        assertRefused(bytes(CANONICAL.replace("{\"action\"", "{\"extra\":\"x\",\"action\"")), "exactly the members");
        assertRefused(bytes(CANONICAL.replace("account.disable", "Account Disable")), "action name");
        assertRefused(bytes(CANONICAL.replace("\"account.disable\"", "1")), "\"action\" must be a string");
        assertRefused(bytes(CANONICAL.replace("2026-11-25T10:00:00Z", "2026-11-25T10:00:00+01:00")), "UTC to the second");
        assertRefused(bytes(CANONICAL.replace("2026-11-25T10:00:00Z", "2026-02-30T10:00:00Z")), "not a valid date");
        assertRefused(bytes(CANONICAL.replace(PREVIOUS, PREVIOUS.toUpperCase())), "64 lower-case hex digits");
        assertRefused(bytes(CANONICAL.replace("{\"address\":\"bob@essaim.test\",\"reason\":\"said \\\"stop\\\" \\\\ left\"}",
                "\"none\"")), "must be an object of strings");
        assertRefused(bytes(CANONICAL.replace("\"address\"", "\"$address\"")), "is not allowed");
        assertRefused(bytes(CANONICAL.replace("\"bob@essaim.test\"", "7")), "must be a string");
        assertRefused(bytes(CANONICAL.replace("bob@essaim.test", "bob\\u0007@essaim.test")), "control character");
    }

    private static void assertRefused(byte[] statement, String messagePart) {
        assertThatThrownBy(() -> Statement.parse(statement)).isInstanceOf(StatementException.class)
                .hasMessageContaining(messagePart);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
