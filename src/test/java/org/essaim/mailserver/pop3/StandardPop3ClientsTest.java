package org.essaim.mailserver.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.junit.jupiter.api.Test;

/**
 * POP3 as clients use it (issue 14): a banner naming {@code essaim.hostname} without an APOP timestamp (APOP is not
 * offered), CAPA listing what works (TOP, UIDL, RESP-CODES, SASL PLAIN), and AUTH PLAIN logging in.
 */
class StandardPop3ClientsTest {
    private static final String PASSWORD = "correct horse battery staple";
    private final EssaimInstance essaim = EssaimInstance.shared();

    @Test
    void theBannerNamesTheHostAndCarriesNoApopTimestamp() {
        try (LineClient pop3 = LineClient.connectTls(essaim.pop3sPort())) {
            String banner = pop3.readLine();
            assertThat(banner).isEqualTo("+OK mail." + EssaimInstance.DOMAIN + " Essaim POP3 server ready");
            assertThat(banner).doesNotContain("<");
            assertThat(command(pop3, "APOP someone 0123456789abcdef0123456789abcdef")).startsWith("-ERR");
        }
    }

    @Test
    void capaListsTopUidlRespCodesAndSaslPlainBeforeLogin() {
        try (LineClient pop3 = LineClient.connectTls(essaim.pop3sPort())) {
            pop3.readLine();
            assertThat(multiLine(pop3, "CAPA")).contains("TOP", "UIDL", "RESP-CODES", "SASL PLAIN", "USER", "PIPELINING")
                    .doesNotHaveDuplicates();
        }
        try (LineClient pop3 = LineClient.connect(essaim.pop3Port())) {
            pop3.readLine();
            List<String> beforeTls = multiLine(pop3, "CAPA");
            assertThat(beforeTls).contains("STLS", "TOP", "UIDL").doesNotContain("SASL PLAIN");
            assertThat(command(pop3, "AUTH PLAIN " + plain("x@" + EssaimInstance.DOMAIN, "y"))).startsWith("-ERR");
        }
    }

    @Test
    void authPlainLogsInWithTheAccountPasswordAndRefusesAWrongOne() {
        String account = "pop-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(account, PASSWORD);
        try (LineClient pop3 = LineClient.connectTls(essaim.pop3sPort())) {
            pop3.readLine();
            assertThat(command(pop3, "AUTH PLAIN " + plain(account, "wrong password"))).startsWith("-ERR");
            assertThat(command(pop3, "AUTH PLAIN")).startsWith("+");
            assertThat(command(pop3, plain(account, PASSWORD))).startsWith("+OK");
            assertThat(command(pop3, "STAT")).startsWith("+OK 0 ");
            assertThat(multiLine(pop3, "CAPA")).contains("TOP", "UIDL").doesNotHaveDuplicates();
            assertThat(command(pop3, "QUIT")).startsWith("+OK");
        }
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String command(LineClient pop3, String line) {
        pop3.send(line);
        return pop3.readLine();
    }

    private static List<String> multiLine(LineClient pop3, String line) {
        assertThat(command(pop3, line)).startsWith("+OK");
        List<String> lines = new ArrayList<>();
        for (String next = pop3.readLine(); !next.equals("."); next = pop3.readLine()) {
            lines.add(next);
        }
        return lines;
    }
}
