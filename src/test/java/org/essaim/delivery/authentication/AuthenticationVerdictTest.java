package org.essaim.delivery.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.apache.james.server.core.MailImpl;
import org.essaim.delivery.authentication.AuthenticationVerdict.DmarcPolicy;
import org.essaim.delivery.authentication.AuthenticationVerdict.Result;
import org.junit.jupiter.api.Test;

class AuthenticationVerdictTest {

    private static final String FULL =
            "spf=pass dkim=pass dmarc=pass dmarc.policy=reject from.domain=example.org dkim.domains=a.org,b.org";

    @Test
    void readsEveryTokenOfTheAgreedForm() {
        AuthenticationVerdict verdict = AuthenticationVerdict.parse(FULL);

        assertThat(verdict.spf()).contains(Result.PASS);
        assertThat(verdict.dkim()).contains(Result.PASS);
        assertThat(verdict.dmarc()).contains(Result.PASS);
        assertThat(verdict.dmarcPolicy()).contains(DmarcPolicy.REJECT);
        assertThat(verdict.fromDomain()).contains("example.org");
        assertThat(verdict.dkimDomains()).containsExactly("a.org", "b.org");
    }

    @Test
    void writesTheSameStringItReads() {
        assertThat(AuthenticationVerdict.parse(FULL).toString()).isEqualTo(FULL);
    }

    @Test
    void absentTokensStayAbsentAndUnknownOnesAreSkipped() {
        AuthenticationVerdict verdict = AuthenticationVerdict.parse("spf=softfail later.token=1 dmarc=bogus junk");

        assertThat(verdict.spf()).contains(Result.SOFTFAIL);
        assertThat(verdict.dkim()).isEmpty();
        assertThat(verdict.dmarc()).isEmpty();
        assertThat(verdict.dkimDomains()).isEmpty();
        assertThat(verdict.toString()).isEqualTo("spf=softfail");
        assertThat(AuthenticationVerdict.parse(null)).isEqualTo(AuthenticationVerdict.UNKNOWN);
        assertThat(AuthenticationVerdict.parse("  ").toString()).isEmpty();
    }

    @Test
    void saysWhenDmarcAsksToRejectOrQuarantine() {
        assertThat(AuthenticationVerdict.parse("dmarc=fail dmarc.policy=reject").dmarcAsksToReject()).isTrue();
        assertThat(AuthenticationVerdict.parse("dmarc=pass dmarc.policy=reject").dmarcAsksToReject()).isFalse();
        assertThat(AuthenticationVerdict.parse("dmarc=fail dmarc.policy=quarantine").dmarcAsksToQuarantine()).isTrue();
        assertThat(AuthenticationVerdict.parse("dmarc=fail dmarc.policy=none").dmarcAsksToQuarantine()).isFalse();
    }

    @Test
    void travelsOnTheMailAsAStringAttribute() throws Exception {
        MailImpl mail = MailImpl.builder().name("verdict-test").build();
        assertThat(AuthenticationVerdict.of(mail)).isEqualTo(AuthenticationVerdict.UNKNOWN);

        AuthenticationVerdict verdict = new AuthenticationVerdict(Optional.of(Result.FAIL), Optional.of(Result.NONE),
                Optional.of(Result.FAIL), Optional.of(DmarcPolicy.QUARANTINE), Optional.of("Example.ORG"), List.of());
        verdict.writeTo(mail);

        assertThat(AuthenticationVerdict.of(mail)).isEqualTo(verdict);
        assertThat(mail.getAttribute(org.apache.mailet.AttributeName.of(AuthenticationVerdict.ATTRIBUTE))
                .orElseThrow().getValue().value())
                .isEqualTo("spf=fail dkim=none dmarc=fail dmarc.policy=quarantine from.domain=example.org");
    }
}
