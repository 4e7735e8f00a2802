package org.essaim.internet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.essaim.delivery.dns.DnsResolver;
import org.essaim.dkim.DkimKey;
import org.essaim.dkim.DkimKeyStore;
import org.essaim.support.TestDns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DNS page's list and its ✔ / missing / different verdicts, against a real DNS server on loopback holding some
 * records right, some wrong and some not at all; the same through {@code java -jar essaim.jar dns}.
 */
class DomainRecordsTest {
    @TempDir
    Path dataDir;

    @Test
    void eachRecordIsCheckedAgainstWhatDnsAnswers() {
        DkimKey key = new DkimKeyStore(dataDir).ensureKey("x.test", Instant.now()).orElseThrow();
        DomainRecords.Setup setup = new DomainRecords.Setup("x.test", "mx.x.test", 587, 993, 995, "enforce");
        String address = "127." + ThreadLocalRandom.current().nextInt(20, 250) + "." + ThreadLocalRandom.current().nextInt(1, 250) + ".56";
        try (TestDns dns = TestDns.on(address)) {
            dns.mx("x.test", 10, "mx.x.test")                               // right
                    .txt("x.test", "v=spf1 ip4:192.0.2.1 -all")             // another SPF policy
                    .txt(key.recordName(), key.recordValue())               // right
                    .txt("_dmarc.x.test", "v=DMARC1; p=none");              // weaker than advised
            List<CheckedRecord> checked = new DnsCheck(DnsResolver.of(List.of(address)))
                    .check(DomainRecords.of(setup, List.of(key)));
            Map<String, RecordState> states = checked.stream().collect(Collectors.toMap(
                    r -> r.expected().type() + " " + r.expected().name(), CheckedRecord::state));

            assertThat(states).containsEntry("MX x.test", RecordState.OK)
                    .containsEntry("TXT x.test", RecordState.DIFFERENT)
                    .containsEntry("TXT " + key.recordName(), RecordState.OK)
                    .containsEntry("TXT _dmarc.x.test", RecordState.DIFFERENT)
                    .containsEntry("TXT _mta-sts.x.test", RecordState.MISSING)
                    .containsEntry("TXT _smtp._tls.x.test", RecordState.MISSING)
                    .containsEntry("CNAME openpgpkey.x.test", RecordState.MISSING)
                    .containsEntry("CNAME autoconfig.x.test", RecordState.MISSING)
                    .containsEntry("SRV _submission._tcp.x.test", RecordState.MISSING)
                    .containsEntry("SRV _imaps._tcp.x.test", RecordState.MISSING);
            assertThat(checked.stream().filter(r -> r.expected().type().equals("TXT") && r.expected().name().equals("x.test"))
                    .findFirst().orElseThrow().found()).containsExactly("v=spf1 ip4:192.0.2.1 -all");

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = DnsCommand.run(new String[] {"dns", "--domain", "x.test", "--hostname", "mx.x.test",
                    "--data-dir", dataDir.toString(), "--dns-servers", address}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    System.err);
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as("not every record is in place").isEqualTo(1);
            assertThat(printed).containsPattern("✔ +MX +x\\.test").containsPattern("different +TXT +x\\.test")
                    .containsPattern("missing +TXT +_mta-sts\\.x\\.test").contains(key.recordName());
        }
    }

    @Test
    void theMtaStsPolicyNamesTheMxAndItsIdFollowsIt() {
        DomainRecords.Setup setup = new DomainRecords.Setup("x.test", "mx.x.test", 587, 993, 995, "enforce");
        assertThat(DomainRecords.mtaStsPolicy(setup)).isEqualTo("version: STSv1\r\nmode: enforce\r\nmx: mx.x.test\r\nmax_age: 604800\r\n");
        DomainRecords.Setup other = new DomainRecords.Setup("x.test", "mail.x.test", 587, 993, 995, "enforce");
        assertThat(DomainRecords.mtaStsId(setup)).isNotEqualTo(DomainRecords.mtaStsId(other));
    }

}
