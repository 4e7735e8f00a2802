package org.essaim.delivery.authentication;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * What the arrival checks found out about a message's origin (SPF, DKIM, DMARC), carried from the SMTP session to
 * the later steps (spam filtering, filing into Spam) as the Mail attribute {@value #ATTRIBUTE}. Its value is a
 * string of space-separated tokens, for example
 * {@code spf=pass dkim=pass dmarc=pass dmarc.policy=reject from.domain=example.org dkim.domains=a.org,b.org};
 * a token is absent when the check did not say. A string survives the queue's serialisation and stays readable
 * in a debugger; it holds no content, only domains and results.
 *
 * @param spf          result of the SPF check of the envelope sender (MAIL FROM, or HELO when MAIL FROM is empty)
 * @param dkim         the best result over all DKIM signatures ({@code pass} if any verified)
 * @param dmarc        the DMARC result for the From: domain
 * @param dmarcPolicy  the policy the From: domain's DMARC record asks for ({@code p=}, or {@code sp=} for a
 *                     subdomain)
 * @param fromDomain   the domain of the From: header (lower case), when there was exactly one
 * @param dkimDomains  the {@code d=} domains of the DKIM signatures that verified, in header order
 */
public record AuthenticationVerdict(
        Optional<Result> spf,
        Optional<Result> dkim,
        Optional<Result> dmarc,
        Optional<DmarcPolicy> dmarcPolicy,
        Optional<String> fromDomain,
        List<String> dkimDomains) {

    /** The Mail attribute holding {@link #toString()}. */
    public static final String ATTRIBUTE = "org.essaim.authentication";

    /** Nothing known: the checks did not run (mail submitted by an authenticated user, or checks switched off). */
    public static final AuthenticationVerdict UNKNOWN = new AuthenticationVerdict(
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());

    public AuthenticationVerdict {
        dkimDomains = List.copyOf(dkimDomains);
        fromDomain = fromDomain.map(domain -> domain.toLowerCase(Locale.ROOT));
    }

    /** RFC 8601 result values (section 2.7) used by SPF, DKIM and DMARC. */
    public enum Result {
        PASS, FAIL, SOFTFAIL, NEUTRAL, NONE, TEMPERROR, PERMERROR, POLICY;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Result> of(String keyword) {
            for (Result result : values()) {
                if (result.keyword().equalsIgnoreCase(keyword)) {
                    return Optional.of(result);
                }
            }
            return Optional.empty();
        }
    }

    /** DMARC's requested handling of failing mail (RFC 7489 section 6.3, tag p). */
    public enum DmarcPolicy {
        NONE, QUARANTINE, REJECT;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<DmarcPolicy> of(String keyword) {
            for (DmarcPolicy policy : values()) {
                if (policy.keyword().equalsIgnoreCase(keyword)) {
                    return Optional.of(policy);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Reads the attribute's value. Unknown tokens and values are skipped (a later version may add some), so this
     * never fails; {@code null} or blank gives {@link #UNKNOWN}.
     */
    public static AuthenticationVerdict parse(String value) {
        if (value == null || value.isBlank()) {
            return UNKNOWN;
        }
        Optional<Result> spf = Optional.empty();
        Optional<Result> dkim = Optional.empty();
        Optional<Result> dmarc = Optional.empty();
        Optional<DmarcPolicy> policy = Optional.empty();
        Optional<String> fromDomain = Optional.empty();
        List<String> dkimDomains = List.of();
        for (String token : value.trim().split("\\s+")) {
            int equals = token.indexOf('=');
            if (equals <= 0 || equals == token.length() - 1) {
                continue;
            }
            String key = token.substring(0, equals).toLowerCase(Locale.ROOT);
            String tokenValue = token.substring(equals + 1);
            switch (key) {
                case "spf" -> spf = Result.of(tokenValue);
                case "dkim" -> dkim = Result.of(tokenValue);
                case "dmarc" -> dmarc = Result.of(tokenValue);
                case "dmarc.policy" -> policy = DmarcPolicy.of(tokenValue);
                case "from.domain" -> fromDomain = Optional.of(tokenValue);
                case "dkim.domains" -> dkimDomains = domainsOf(tokenValue);
                default -> { }
            }
        }
        return new AuthenticationVerdict(spf, dkim, dmarc, policy, fromDomain, dkimDomains);
    }

    /** The verdict a mail carries, or {@link #UNKNOWN} when it carries none. */
    public static AuthenticationVerdict of(Mail mail) {
        return mail.getAttribute(AttributeName.of(ATTRIBUTE))
                .flatMap(attribute -> attribute.getValue().valueAs(String.class))
                .map(AuthenticationVerdict::parse)
                .orElse(UNKNOWN);
    }

    /** Sets the attribute on a mail, replacing an earlier verdict. */
    public void writeTo(Mail mail) {
        mail.setAttribute(new Attribute(AttributeName.of(ATTRIBUTE), AttributeValue.of(toString())));
    }

    /** DMARC failed and the domain asks for rejection. */
    public boolean dmarcAsksToReject() {
        return dmarc.equals(Optional.of(Result.FAIL)) && dmarcPolicy.equals(Optional.of(DmarcPolicy.REJECT));
    }

    /** DMARC failed and the domain asks for quarantine (the Spam folder). */
    public boolean dmarcAsksToQuarantine() {
        return dmarc.equals(Optional.of(Result.FAIL)) && dmarcPolicy.equals(Optional.of(DmarcPolicy.QUARANTINE));
    }

    /** The attribute's value: the tokens in a fixed order, absent ones left out. */
    @Override
    public String toString() {
        List<String> tokens = new ArrayList<>();
        spf.ifPresent(result -> tokens.add("spf=" + result.keyword()));
        dkim.ifPresent(result -> tokens.add("dkim=" + result.keyword()));
        dmarc.ifPresent(result -> tokens.add("dmarc=" + result.keyword()));
        dmarcPolicy.ifPresent(policy -> tokens.add("dmarc.policy=" + policy.keyword()));
        fromDomain.ifPresent(domain -> tokens.add("from.domain=" + domain));
        if (!dkimDomains.isEmpty()) {
            tokens.add("dkim.domains=" + String.join(",", dkimDomains));
        }
        return String.join(" ", tokens);
    }

    private static List<String> domainsOf(String commaSeparated) {
        List<String> domains = new ArrayList<>();
        for (String domain : commaSeparated.split(",")) {
            if (!domain.isBlank()) {
                domains.add(domain.trim().toLowerCase(Locale.ROOT));
            }
        }
        return domains;
    }
}
