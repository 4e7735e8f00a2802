package org.essaim.spam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The arrival checks' verdict as points: what refuses, what junks, what is only a hint. */
class AuthenticationRulesTest {
    static final double REJECT = 15;
    static final double JUNK = 3;

    @Test
    void anSpfFailingSenderWhoseDomainAsksDmarcToRejectIsRefused() {
        assertThat(points("spf=fail dkim=none dmarc=fail dmarc.policy=reject from.domain=example.org"))
                .isGreaterThanOrEqualTo(REJECT);
    }

    @Test
    void aDmarcQuarantineFailureIsJunkedButNotRefused() {
        assertThat(points("spf=pass dmarc=fail dmarc.policy=quarantine")).isBetween(JUNK, REJECT - 0.1);
    }

    @Test
    void passingChecksAndUnknownResultsAddNothing() {
        assertThat(points("spf=pass dkim=pass dmarc=pass dmarc.policy=reject dkim.domains=example.org")).isZero();
        assertThat(points("")).isZero();
        assertThat(AuthenticationRules.dkimDomains("dkim=pass dkim.domains=a.org,b.org")).containsExactly("a.org", "b.org");
    }

    private static double points(String attribute) {
        List<Reason> reasons = AuthenticationRules.apply(attribute);
        return reasons.stream().mapToDouble(Reason::points).sum();
    }
}
