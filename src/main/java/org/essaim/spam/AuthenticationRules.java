package org.essaim.spam;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        Map<String, String> results = tokens(authentication);
        List<Reason> reasons = new ArrayList<>();
        switch (results.getOrDefault("spf", "")) {
            case "fail" -> reasons.add(new Reason("SPF_FAIL", SPF_FAIL));
            case "softfail" -> reasons.add(new Reason("SPF_SOFTFAIL", SPF_SOFTFAIL));
            default -> { }
        }
        if ("fail".equals(results.get("dkim"))) {
            reasons.add(new Reason("DKIM_FAIL", DKIM_FAIL));
        }
        if ("fail".equals(results.get("dmarc"))) {
            switch (results.getOrDefault("dmarc.policy", "none")) {
                case "reject" -> reasons.add(new Reason("DMARC_REJECT", DMARC_REJECT));
                case "quarantine" -> reasons.add(new Reason("DMARC_QUARANTINE", DMARC_QUARANTINE));
                default -> reasons.add(new Reason("DMARC_FAIL", DMARC_FAIL));
            }
        }
        return reasons;
    }

    /** The verified DKIM domains ({@code dkim.domains=a.org,b.org}), for sender reputation. */
    static List<String> dkimDomains(String authentication) {
        String domains = tokens(authentication).get("dkim.domains");
        return domains == null ? List.of() : List.of(domains.split(","));
    }

    /** The attribute's {@code key=value} tokens (the format AuthenticationVerdict writes). */
    private static Map<String, String> tokens(String authentication) {
        Map<String, String> tokens = new HashMap<>();
        if (authentication == null) {
            return tokens;
        }
        for (String token : authentication.trim().split("\\s+")) {
            int equals = token.indexOf('=');
            if (equals > 0 && equals < token.length() - 1) {
                tokens.put(token.substring(0, equals).toLowerCase(Locale.ROOT),
                        token.substring(equals + 1).toLowerCase(Locale.ROOT));
            }
        }
        return tokens;
    }
}
