package org.essaim.mailserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad IMAP input always gets a clear answer, before the server commits to anything, and the server goes on serving:
 * malformed literal sizes, literals too large (before login, and APPEND over the limit), absurdly nested SEARCH.
 */
class ImapHostileInputTest {

    private static final String PASSWORD = "imap input is checked first 7";
    private static EssaimInstance essaim;
    private static String account;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        account = "imap-hostile-" + System.nanoTime() + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(account, PASSWORD);
    }

    @Test
    void malformedLiteralSizesGetBadAndNoContinuation() {
        try (LineClient imap = connect()) {
            for (String size : new String[] {"-1", "abc", "99999999999999999999"}) {
                imap.send("a LOGIN {" + size + "}");
                String reply = imap.readLine();
                assertThat(reply).as("literal {%s}", size).startsWith("a BAD").contains("literal size");
            }
            assertServing(imap);
        }
    }

    @Test
    void aLargeLiteralBeforeLoginIsRefusedBeforeAnythingIsBuffered() {
        try (LineClient imap = connect()) {
            imap.send("a LOGIN {45000000}");
            assertThat(imap.readLine()).startsWith("a BAD").contains("before login");
            assertServing(imap);
        }
    }

    @Test
    void anAppendOverTheLimitGetsTooBigBeforeTheClientSendsIt() {
        try (LineClient imap = loggedIn()) {
            imap.send("b APPEND INBOX {60000000}");
            assertThat(imap.readLine()).as("no '+ Ok' first").startsWith("b NO [TOOBIG]");
            assertServing(imap);
        }
    }

    @Test
    void aNonSynchronizingLiteralOverTheLimitIsRefusedAndTheConnectionClosed() {
        try (LineClient imap = loggedIn()) {
            imap.send("b APPEND INBOX {60000000+}");
            assertThat(imap.readLine()).startsWith("b NO [TOOBIG]");
            assertThatThrownBy(imap::readLine).as("its data is on the way: the connection ends")
                    .isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void aSearchNestedTenThousandDeepGetsBadAndTheServerGoesOn() {
        try (LineClient imap = loggedIn()) {
            imap.send("s SELECT INBOX");
            imap.readImapUntilTagged("s");
            imap.send("n SEARCH " + "(".repeat(10_000) + "ALL" + ")".repeat(10_000));
            assertThat(imap.readImapUntilTagged("n")).startsWith("n BAD").contains("nested");
            imap.send("m SEARCH ((ALL) (NOT DELETED))");
            assertThat(imap.readImapUntilTagged("m")).contains("m OK");
        }
    }

    @Test
    void ordinaryLiteralsStillWorkForLoginAndAppend() {
        try (LineClient imap = connect()) {
            imap.send("a LOGIN {" + account.length() + "}");
            assertThat(imap.readLine()).startsWith("+");
            imap.send(account + " {" + PASSWORD.length() + "}");
            assertThat(imap.readLine()).startsWith("+");
            imap.send(PASSWORD);
            assertThat(imap.readImapUntilTagged("a")).contains("a OK");

            String message = "Subject: small\r\n\r\nhello\r\n";
            imap.send("b APPEND Drafts {" + message.getBytes(StandardCharsets.US_ASCII).length + "}");
            assertThat(imap.readLine()).startsWith("+");
            imap.sendRaw((message + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(imap.readImapUntilTagged("b")).contains("b OK");
        }
    }

    private static LineClient connect() {
        LineClient imap = LineClient.connectTls(essaim.imapsPort());
        imap.readLine();
        return imap;
    }

    private static LineClient loggedIn() {
        LineClient imap = connect();
        imap.send("l LOGIN \"" + account + "\" \"" + PASSWORD + "\"");
        assertThat(imap.readImapUntilTagged("l")).contains("l OK");
        return imap;
    }

    private static void assertServing(LineClient imap) {
        imap.send("z NOOP");
        assertThat(imap.readImapUntilTagged("z")).contains("z OK");
    }
}
