package org.essaim.delivery.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.essaim.delivery.dns.DnsResolver;
import org.essaim.support.TestCa;
import org.essaim.support.TestDns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which answer an attempt gets: a real DNS server and the policy host over HTTPS on loopback (as in
 * {@link TwoServersTest}), the clock stopped so that "within the last 10 s" is certain, not timed.
 */
class MtaStsPoliciesTest {
    @TempDir
    Path temp;

    @Test
    void attemptsReuseTheAnswerOfTheLastTenSecondsButTheAdminsRetryNowAsksAfreshAndItsAnswerCountsForTheNext() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String net = "127." + random.nextInt(20, 250) + "." + random.nextInt(1, 250) + ".";
        TestCa ca = TestCa.create("Essaim test CA");
        Path caFile = temp.resolve("test-ca.pem");
        ca.writeCertificate(caFile);
        try (TestDns dns = TestDns.on(net + "53");
             TwoServersTest.PolicyServer policyHost = TwoServersTest.PolicyServer.on(net + "4",
                     ca.issue("mta-sts.x.test").serverContext())) {
            dns.a("mta-sts.x.test", net + "4");
            MtaStsPolicies policies = new MtaStsPolicies(DnsResolver.of(List.of(dns.address())),
                    OutboundTrust.of(Optional.of(caFile)), Clock.fixed(Instant.now(), ZoneOffset.UTC));
            assertThat(policies.policyFor("x.test")).as("no _mta-sts record yet").isEmpty();

            // the domain publishes a policy (its mail would now wait for a listed MX over validated TLS)
            policyHost.serve("mta-sts.x.test", "version: STSv1\r\nmode: enforce\r\nmx: mx.x.test\r\nmax_age: 86400\r\n");
            dns.txt("_mta-sts.x.test", "v=STSv1; id=1;");
            assertThat(policies.policyFor("x.test")).as("an attempt within 10 s: the remembered answer").isEmpty();
            assertThat(policies.policyAfresh("x.test")).as("retry now: asked afresh")
                    .map(MtaStsPolicy::mode).contains(MtaStsPolicy.Mode.ENFORCE);
            assertThat(policies.policyFor("x.test")).as("the next attempt gets the fresh answer")
                    .map(MtaStsPolicy::mode).contains(MtaStsPolicy.Mode.ENFORCE);
        }
    }
}
