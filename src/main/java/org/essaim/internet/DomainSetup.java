package org.essaim.internet;

import java.util.ArrayList;
import java.util.List;

import org.essaim.config.EssaimProperties;
import org.essaim.config.InternetProperties;
import org.essaim.delivery.dns.DnsResolver;
import org.essaim.dkim.DkimKeys;
import org.springframework.stereotype.Service;

/** The server's own view of its domain's records: what they should be and what DNS says now. */
@Service
public class DomainSetup {
    private final EssaimProperties settings;
    private final DkimKeys dkimKeys;
    private final DnsResolver dns;

    public DomainSetup(EssaimProperties settings, InternetProperties internet, DkimKeys dkimKeys) {
        this.settings = settings;
        this.dkimKeys = dkimKeys;
        this.dns = DnsResolver.of(internet.dns().servers());
    }

    public DomainRecords.Setup setup() {
        return setupOf(settings);
    }

    /** MTA-STS "enforce" only with the operator's own certificate: a self-signed one would make senders wait. */
    static DomainRecords.Setup setupOf(EssaimProperties settings) {
        return new DomainRecords.Setup(settings.domain(), settings.effectiveHostname(), settings.submission().port(),
                settings.imaps().port(), settings.pop3s().port(), settings.tls().operatorProvided() ? "enforce" : "testing");
    }

    public List<ExpectedRecord> expected() {
        return DomainRecords.of(setup(), dkimKeys.keys(settings.domain()));
    }

    public List<CheckedRecord> checked() {
        return new DnsCheck(dns).check(expected());
    }

    /** Retired DKIM keys whose private half is published (deniability), as "selector: PEM". */
    public List<String[]> publishedRetiredKeys() {
        List<String[]> published = new ArrayList<>();
        dkimKeys.keys(settings.domain()).forEach(key -> key.publishedPrivateKey(dkimKeys.publishRetiredKeys())
                .ifPresent(pem -> published.add(new String[] {key.selector(), pem})));
        return published;
    }

    public String mtaStsPolicy() {
        return DomainRecords.mtaStsPolicy(setup());
    }
}
