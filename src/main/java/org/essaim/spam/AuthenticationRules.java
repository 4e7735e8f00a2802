package org.essaim.spam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.essaim.delivery.authentication.AuthenticationVerdict;
import org.essaim.delivery.authentication.AuthenticationVerdict.DmarcPolicy;
import org.essaim.delivery.authentication.AuthenticationVerdict.Result;

/**
 * Points from the arrival checks (SPF, DKIM, DMARC), which the internet feature's hook runs before this one and
 * records in the {@code org.essaim.authentication} attribute. A DMARC failure of a domain that asks for rejection
 * reaches the default reject score on its own; one that asks for quarantine reaches the junk score.
 */
final class AuthenticationRules {
    static final double SPF_FAIL = 4;
    static final double SPF_SOFTFAIL = 1;
    static final double DKIM_FAIL = 1.5;
    static final double DMARC_REJECT = 15;
    static final double DMARC_QUARANTINE = 5;
    static final double DMARC_FAIL = 1;

    private AuthenticationRules() {
    }

    static List<Reason> apply(String authentication) {
        AuthenticationVerdict verdict = AuthenticationVerdict.parse(authentication);
        List<Reason> reasons = new ArrayList<>();
        if (verdict.spf().equals(Optional.of(Result.FAIL))) {
            reasons.add(new Reason("SPF_FAIL", SPF_FAIL));
        } else if (verdict.spf().equals(Optional.of(Result.SOFTFAIL))) {
            reasons.add(new Reason("SPF_SOFTFAIL", SPF_SOFTFAIL));
        }
        if (verdict.dkim().equals(Optional.of(Result.FAIL))) {
            reasons.add(new Reason("DKIM_FAIL", DKIM_FAIL));
        }
        if (verdict.dmarcAsksToReject()) {
            reasons.add(new Reason("DMARC_REJECT", DMARC_REJECT));
        } else if (verdict.dmarcAsksToQuarantine()) {
            reasons.add(new Reason("DMARC_QUARANTINE", DMARC_QUARANTINE));
        } else if (verdict.dmarc().equals(Optional.of(Result.FAIL))
                && verdict.dmarcPolicy().map(policy -> policy == DmarcPolicy.NONE).orElse(true)) {
            reasons.add(new Reason("DMARC_FAIL", DMARC_FAIL));
        }
        return reasons;
    }

    /** The verified DKIM domains, for sender reputation. */
    static List<String> dkimDomains(String authentication) {
        return AuthenticationVerdict.parse(authentication).dkimDomains();
    }
}
