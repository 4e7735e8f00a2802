package org.essaim.delivery.authentication;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.essaim.delivery.dns.DnsResolver;
import org.essaim.delivery.outbound.DkimSign;
import org.essaim.delivery.outbound.DkimSigningKeys;
import org.essaim.support.TestDns;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Per-message cost of DKIM signing (RSA-2048, relaxed/relaxed, 4 KB message) and of the arrival checks
 * (SPF + DKIM + DMARC, against a DNS server on loopback that answers in well under a millisecond, so this is the
 * CPU cost plus three to four local round trips; a real resolver adds network latency, cached or not).
 * {@code mvn -B -o test -Dtest=AuthenticationBenchmark -Dexcluded.test.groups=none}; figures in docs/benchmarks.md.
 */
@Tag("benchmark")
class AuthenticationBenchmark {
    private static final int WARM_UP = 200;
    private static final int RUNS = 1000;

    @Test
    void dkimSigningAndArrivalChecksPerMessage() throws Exception {
        String address = "127." + ThreadLocalRandom.current().nextInt(20, 250) + "." + ThreadLocalRandom.current().nextInt(1, 250) + ".55";
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        try (TestDns dns = TestDns.on(address)) {
            dns.txt("example.test", "v=spf1 ip4:192.0.2.1 -all")
                    .txt("_dmarc.example.test", "v=DMARC1; p=reject")
                    .txt("sel._domainkey.example.test", "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));
            DnsResolver resolver = DnsResolver.of(List.of(address));
            byte[] message = fourKilobyteMessage();
            DkimSigningKeys.SigningKey signingKey = new DkimSigningKeys.SigningKey("example.test", "sel", key.getPrivate());

            List<Long> signing = new ArrayList<>();
            String field = "";
            for (int i = 0; i < WARM_UP + RUNS; i++) {
                long start = System.nanoTime();
                field = DkimSign.signatureField(message, signingKey);
                if (i >= WARM_UP) {
                    signing.add(System.nanoTime() - start);
                }
            }
            byte[] signed = (field.trim() + "\r\n" + new String(message, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);

            SpfCheck spf = new SpfCheck(resolver);
            DkimCheck dkim = new DkimCheck(resolver);
            DmarcCheck dmarc = new DmarcCheck(resolver, () -> 0);
            List<Long> checking = new ArrayList<>();
            for (int i = 0; i < WARM_UP + RUNS; i++) {
                long start = System.nanoTime();
                SpfCheck.SpfOutcome spfOutcome = spf.check("192.0.2.1", Optional.of("a@example.test"), "mx.example.test");
                DkimCheck.DkimOutcome dkimOutcome = dkim.check(signed);
                DmarcCheck.DmarcOutcome outcome = dmarc.check("example.test", spfOutcome, dkimOutcome);
                if (outcome.result() != AuthenticationVerdict.Result.PASS) {
                    throw new AssertionError("expected a pass, got " + outcome);
                }
                if (i >= WARM_UP) {
                    checking.add(System.nanoTime() - start);
                }
            }
            print("DKIM signing (RSA-2048, 4 KB)", signing);
            print("SPF + DKIM + DMARC checks (4 KB, loopback DNS)", checking);
        }
    }

    private static void print(String what, List<Long> nanos) {
        Collections.sort(nanos);
        double total = nanos.stream().mapToLong(Long::longValue).sum() / 1e6;
        System.out.printf("BENCHMARK %s: median %.3f ms, p90 %.3f ms, mean %.3f ms over %d messages%n", what,
                nanos.get(nanos.size() / 2) / 1e6, nanos.get(nanos.size() * 9 / 10) / 1e6, total / nanos.size(), nanos.size());
    }

    private static byte[] fourKilobyteMessage() {
        StringBuilder body = new StringBuilder();
        while (body.length() < 4000) {
            body.append("The quick brown fox jumps over the lazy dog, again and again, line after line.\r\n");
        }
        return ("From: A <a@example.test>\r\nTo: b@else.test\r\nSubject: benchmark\r\nMessage-ID: <1@example.test>\r\n"
                + "Date: Mon, 30 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }
}
