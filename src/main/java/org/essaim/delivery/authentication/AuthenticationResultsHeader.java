package org.essaim.delivery.authentication;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;


/**
 * The RFC 8601 {@code Authentication-Results} header field Essaim adds on arrival, and the removal of fields that
 * claim to come from Essaim's host name but arrived from outside (section 5: a receiver must delete them, else a
 * sender could forge a "pass"). Also removes {@value #ENCRYPTED_ON_ARRIVAL}, which only Essaim may set.
 */
public final class AuthenticationResultsHeader {
    public static final String NAME = "Authentication-Results";
    /** Outer header of messages that Essaim, not their sender, encrypted (see crypto/PgpMimeEncryptor). */
    public static final String ENCRYPTED_ON_ARRIVAL = "Essaim-Encrypted-On-Arrival";

    private AuthenticationResultsHeader() {
    }

    static String value(String authservId, SpfCheck.SpfOutcome spf, DkimCheck.DkimOutcome dkim,
                        Optional<String> fromDomain, DmarcCheck.DmarcOutcome dmarc) {
        List<String> results = new ArrayList<>();
        results.add("spf=" + spf.result().keyword() + " smtp.mailfrom=" + spf.domain());
        if (dkim.verified().isEmpty()) {
            results.add("dkim=" + dkim.result().keyword());
        } else {
            dkim.verified().forEach(signer -> results.add(
                    "dkim=pass header.d=" + signer.domain() + " header.s=" + signer.selector()));
            int failed = dkim.signatures() - dkim.verified().size();
            if (failed > 0) {
                results.add("dkim=fail (" + failed + " other signature" + (failed > 1 ? "s" : "") + ")");
            }
        }
        results.add("dmarc=" + dmarc.result().keyword()
                + dmarc.policy().map(policy -> " policy.applied=" + policy.keyword()).orElse("")
                + fromDomain.map(domain -> " header.from=" + domain).orElse(""));
        return authservId + ";\r\n\t" + String.join(";\r\n\t", results);
    }

    /** The message without Authentication-Results fields whose authserv-id is ours, nor the on-arrival marker. */
    static byte[] withoutForged(byte[] message, String authservId) {
        return RawHeaders.without(message, line -> {
            String results = RawHeaders.valueIf(line, NAME);
            return (results != null && authservIdOf(results).equalsIgnoreCase(authservId))
                    || RawHeaders.valueIf(line, ENCRYPTED_ON_ARRIVAL) != null;
        });
    }

    /** The first token of the field: the host that claims to have done the checks. */
    static String authservIdOf(String value) {
        String unfolded = value.replaceAll("\\([^)]*\\)", " ").trim();
        int end = 0;
        while (end < unfolded.length() && !Character.isWhitespace(unfolded.charAt(end)) && unfolded.charAt(end) != ';') {
            end++;
        }
        return unfolded.substring(0, end).toLowerCase(Locale.ROOT);
    }
}
