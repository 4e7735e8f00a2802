package org.essaim.delivery.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.KeyPair;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.essaim.delivery.authentication.AuthenticationVerdict.DmarcPolicy;
import org.essaim.delivery.authentication.AuthenticationVerdict.Result;
import org.essaim.delivery.dns.DnsResolver;
import org.essaim.delivery.outbound.DkimSign;
import org.essaim.delivery.outbound.DkimSigningKeys;
import org.essaim.support.TestDns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arrival checks against a real DNS server on loopback (dnsjava answering on port 53 of a loopback address):
 * SPF, DKIM (signed by Essaim's own signer) and DMARC with its alignment and policy rules. No mail server needed.
 */
class ArrivalChecksTest {
    static TestDns dns;
    static DnsResolver resolver;
    static KeyPair key;

    @BeforeAll
    static void zone() throws Exception {
        String address = "127." + ThreadLocalRandom.current().nextInt(20, 250) + "." + ThreadLocalRandom.current().nextInt(1, 250) + ".54";
        dns = TestDns.on(address);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        key = generator.generateKeyPair();
        dns.txt("example.test", "v=spf1 ip4:192.0.2.1 -all")
                .txt("_dmarc.example.test", "v=DMARC1; p=reject")
                .txt("sel._domainkey.example.test", "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded()))
                .txt("quarantined.test", "v=spf1 -all")
                .txt("_dmarc.quarantined.test", "v=DMARC1; p=quarantine; sp=reject; pct=100");
        resolver = DnsResolver.of(java.util.List.of(address));
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    @Test
    void spfPassesForTheListedAddressAndFailsForOthers() {
        SpfCheck spf = new SpfCheck(resolver);
        assertThat(spf.check("192.0.2.1", Optional.of("a@example.test"), "mx.example.test").result()).isEqualTo(Result.PASS);
        assertThat(spf.check("192.0.2.9", Optional.of("a@example.test"), "mx.example.test").result()).isEqualTo(Result.FAIL);
        assertThat(spf.check("192.0.2.9", Optional.of("a@nowhere.test"), "x").result()).isEqualTo(Result.NONE);
    }

    @Test
    void dkimVerifiesEssaimsOwnSignatureAndFailsATamperedBody() throws Exception {
        byte[] message = ("From: A <a@example.test>\r\nTo: b@else.test\r\nSubject: hi\r\nMessage-ID: <1@example.test>\r\n"
                + "Date: Mon, 30 Nov 2026 10:00:00 +0000\r\n\r\nHello\r\n").getBytes(StandardCharsets.US_ASCII);
        String field = DkimSignAccess.sign(message, new DkimSigningKeys.SigningKey("example.test", "sel", key.getPrivate()));
        byte[] signed = (field.trim() + "\r\n" + new String(message, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);

        DkimCheck.DkimOutcome outcome = new DkimCheck(resolver).check(signed);
        assertThat(outcome.result()).isEqualTo(Result.PASS);
        assertThat(outcome.domains()).containsExactly("example.test");

        byte[] tampered = new String(signed, StandardCharsets.US_ASCII).replace("Hello", "Hullo").getBytes(StandardCharsets.US_ASCII);
        assertThat(new DkimCheck(resolver).check(tampered).result()).isEqualTo(Result.FAIL);
        assertThat(new DkimCheck(resolver).check(message).result()).isEqualTo(Result.NONE);
    }

    @Test
    void dmarcNeedsAnAlignedPassAndSaysWhichPolicyApplies() {
        DmarcCheck dmarc = new DmarcCheck(resolver, () -> 0);
        SpfCheck.SpfOutcome spfPass = new SpfCheck.SpfOutcome(Result.PASS, "example.test");
        SpfCheck.SpfOutcome spfFail = new SpfCheck.SpfOutcome(Result.FAIL, "example.test");
        DkimCheck.DkimOutcome noDkim = new DkimCheck.DkimOutcome(Result.NONE, java.util.List.of(), 0);
        DkimCheck.DkimOutcome alignedDkim = new DkimCheck.DkimOutcome(Result.PASS,
                java.util.List.of(new DkimCheck.Signer("mail.example.test", "s")), 1);

        assertThat(dmarc.check("example.test", spfPass, noDkim).result()).isEqualTo(Result.PASS);
        assertThat(dmarc.check("example.test", spfFail, alignedDkim).result()).as("relaxed DKIM alignment").isEqualTo(Result.PASS);
        DmarcCheck.DmarcOutcome failed = dmarc.check("example.test", spfFail, noDkim);
        assertThat(failed.result()).isEqualTo(Result.FAIL);
        assertThat(failed.policy()).contains(DmarcPolicy.REJECT);
        assertThat(dmarc.check("quarantined.test", spfFail, noDkim).policy()).contains(DmarcPolicy.QUARANTINE);
        assertThat(dmarc.check("sub.quarantined.test", spfFail, noDkim).policy()).as("sp= for subdomains").contains(DmarcPolicy.REJECT);
        assertThat(dmarc.check("nodmarc.test", spfFail, noDkim).result()).isEqualTo(Result.NONE);
    }

    @Test
    void theOrganisationalDomainComesFromThePublicSuffixList() {
        assertThat(OrganizationalDomain.of("mail.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(OrganizationalDomain.of("a.b.example.org")).isEqualTo("example.org");
        assertThat(OrganizationalDomain.of("x.a.test")).isEqualTo("a.test");
    }

    @Test
    void forgedResultsClaimingOurHostAreRecognised() {
        assertThat(AuthenticationResultsHeader.authservIdOf(" mx.b.test; dmarc=pass")).isEqualTo("mx.b.test");
        assertThat(AuthenticationResultsHeader.authservIdOf("MX.B.TEST (comment); spf=pass")).isEqualTo("mx.b.test");
    }

    /** The signer's field, through the same code the outbound mailet uses. */
    static final class DkimSignAccess {
        static String sign(byte[] message, DkimSigningKeys.SigningKey signingKey) throws Exception {
            return DkimSign.signatureField(message, signingKey);
        }
    }
}
