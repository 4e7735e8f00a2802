package org.essaim.mailserver.connections;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The guard reads commands as IMAP does: quoted strings and literal data are not syntax. */
class ImapCommandGuardTest {

    private static final long LIMIT = 1_000_000;

    @Test
    void parenthesesInsideQuotedStringsAndLiteralDataDoNotCount() {
        String quoted = "a SEARCH SUBJECT \"" + "(".repeat(500) + "\"\r\n";
        assertThat(verdict(quoted, true).refusal()).isEmpty();
        String literal = "a APPEND INBOX {600}\r\n" + "(".repeat(600) + "\r\n";
        assertThat(verdict(literal, true).refusal()).isEmpty();
    }

    @Test
    void nestingIsCountedAcrossTheLinesOfOneCommand() {
        String command = "a SEARCH " + "(".repeat(60) + "SUBJECT {3}\r\nabc" + "(".repeat(60) + "ALL\r\n";
        assertThat(verdict(command, true).refusal()).hasValueSatisfying(refusal ->
                assertThat(refusal.response()).startsWith("a BAD").contains("nested"));
    }

    @Test
    void literalSizesAreNumbersWithinTheLimits() {
        assertThat(verdict("a LOGIN {12}\r\n", false).refusal()).isEmpty();
        assertThat(verdict("a LOGIN {1-2}\r\n", false).refusal()).isPresent();
        assertThat(verdict("a LOGIN {}\r\n", false).refusal()).isPresent();
        assertThat(verdict("a LOGIN {9000}\r\n", false).refusal()).hasValueSatisfying(refusal ->
                assertThat(refusal.response()).contains("before login"));
        assertThat(verdict("a LOGIN {9000}\r\n", true).refusal()).isEmpty();
        assertThat(verdict("a UID APPEND INBOX {2000000}\r\n", true).refusal()).hasValueSatisfying(refusal ->
                assertThat(refusal.response()).startsWith("a NO [TOOBIG]"));
        assertThat(verdict("a APPEND INBOX {2000000+}\r\n", true).refusal()).hasValueSatisfying(refusal ->
                assertThat(refusal.close()).isTrue());
    }

    @Test
    void aSecondLiteralAnnouncedAfterTheFirstOnesDataAwaitsItsContinuation() {
        ImapCommandGuard.Verdict verdict = verdict("a LOGIN {4}\r\nuser {8}\r\n", false);
        assertThat(verdict.refusal()).isEmpty();
        assertThat(verdict.awaitsSynchronizingLiteral()).isTrue();
        assertThat(verdict("a LOGIN {4}\r\nuser {8+}\r\n", false).awaitsSynchronizingLiteral()).isFalse();
        assertThat(verdict("a LOGIN {4}\r\nuser {8}\r\npassw", false).awaitsSynchronizingLiteral()).isFalse();
    }

    @Test
    void aGarbageTagIsAnsweredUntagged() {
        assertThat(verdict("{5} LOGIN {-1}\r\n", false).refusal()).hasValueSatisfying(refusal ->
                assertThat(refusal.response()).startsWith("* BAD"));
    }

    private static ImapCommandGuard.Verdict verdict(String command, boolean authenticated) {
        return ImapCommandGuard.check(command.getBytes(StandardCharsets.ISO_8859_1), authenticated, LIMIT);
    }
}
