package org.essaim.delivery.authentication;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

import org.essaim.delivery.authentication.AuthenticationVerdict.DmarcPolicy;
import org.essaim.delivery.authentication.AuthenticationVerdict.Result;
import org.essaim.delivery.dns.DnsResolver;

/**
 * DMARC (RFC 7489), which James 3.8.1 lacks: finds the From: domain's policy ({@code _dmarc.<domain>}, else the
 * organisational domain's), passes when an SPF or DKIM pass is aligned with the From: domain (relaxed or strict per
 * {@code aspf}/{@code adkim}), and tells which handling the domain asks for failing mail: {@code p}, or {@code sp}
 * for a subdomain; a message outside {@code pct} gets the next milder policy (section 6.6.4).
 */
final class DmarcCheck {
    private final DnsResolver dns;
    private final IntSupplier percentile;

    /** @param percentile a number 0..99 per message, compared with pct (random in production) */
    DmarcCheck(DnsResolver dns, IntSupplier percentile) {
        this.dns = dns;
        this.percentile = percentile;
    }

    DmarcOutcome check(String fromDomain, SpfCheck.SpfOutcome spf, DkimCheck.DkimOutcome dkim) {
        String from = fromDomain.toLowerCase(Locale.ROOT);
        String organizational = OrganizationalDomain.of(from);
        Optional<Map<String, String>> record;
        boolean subdomain = false;
        try {
            record = recordAt(from);
            if (record.isEmpty() && !organizational.equals(from)) {
                record = recordAt(organizational);
                subdomain = true;
            }
        } catch (TemporaryDnsFailure e) {
            return new DmarcOutcome(Result.TEMPERROR, Optional.empty());
        }
        if (record.isEmpty()) {
            return new DmarcOutcome(Result.NONE, Optional.empty());
        }
        Map<String, String> tags = record.get();
        boolean strictSpf = "s".equalsIgnoreCase(tags.get("aspf"));
        boolean strictDkim = "s".equalsIgnoreCase(tags.get("adkim"));
        boolean spfAligned = spf.result() == Result.PASS && aligned(spf.domain(), from, strictSpf);
        boolean dkimAligned = dkim.verified().stream().anyMatch(signer -> aligned(signer.domain(), from, strictDkim));
        Optional<DmarcPolicy> requested = DmarcPolicy.of(
                subdomain && tags.containsKey("sp") ? tags.get("sp") : tags.getOrDefault("p", "none"));
        if (spfAligned || dkimAligned) {
            return new DmarcOutcome(Result.PASS, requested);
        }
        DmarcPolicy applied = requested.orElse(DmarcPolicy.NONE);
        if (percentile.getAsInt() >= percent(tags.get("pct"))) {
            applied = applied == DmarcPolicy.REJECT ? DmarcPolicy.QUARANTINE : DmarcPolicy.NONE;
        }
        return new DmarcOutcome(Result.FAIL, Optional.of(applied));
    }

    private static boolean aligned(String authenticated, String from, boolean strict) {
        String domain = authenticated.toLowerCase(Locale.ROOT);
        return strict ? domain.equals(from) : OrganizationalDomain.relaxedAligned(domain, from);
    }

    private static int percent(String pct) {
        try {
            return pct == null ? 100 : Math.max(0, Math.min(100, Integer.parseInt(pct.trim())));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    private Optional<Map<String, String>> recordAt(String domain) throws TemporaryDnsFailure {
        DnsResolver.Answer<String> answer = dns.txt("_dmarc." + domain);
        if (answer.temporaryFailure()) {
            throw new TemporaryDnsFailure();
        }
        List<Map<String, String>> records = answer.records().stream()
                .filter(text -> text.trim().toLowerCase(Locale.ROOT).startsWith("v=dmarc1"))
                .map(DmarcCheck::tags)
                .toList();
        return records.size() == 1 ? Optional.of(records.get(0)) : Optional.empty(); // several = none (6.6.3)
    }

    static Map<String, String> tags(String record) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : record.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                tags.put(part.substring(0, equals).trim().toLowerCase(Locale.ROOT), part.substring(equals + 1).trim());
            }
        }
        return tags;
    }

    private static final class TemporaryDnsFailure extends Exception {
        TemporaryDnsFailure() {
            super(null, null, false, false);
        }
    }

    /** The DMARC result and the policy to apply when it failed (or the one the domain publishes when it passed). */
    record DmarcOutcome(Result result, Optional<DmarcPolicy> policy) { }
}
