package org.essaim.internet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.essaim.dkim.DkimKey;

/**
 * Every record a domain served by Essaim needs: mail routing (MX), sender authentication (SPF, DKIM selectors,
 * DMARC), transport security (MTA-STS and TLS reporting), key discovery (WKD's openpgpkey host) and client set-up
 * (autoconfig, RFC 6186 SRV). Pure: the DNS page and the command line both print this list.
 */
public final class DomainRecords {
    private DomainRecords() {
    }

    /** The parameters a domain's records depend on. */
    public record Setup(String domain, String hostname, int submissionPort, int imapsPort, int pop3sPort,
                        String mtaStsMode) { }

    public static List<ExpectedRecord> of(Setup setup, List<DkimKey> dkimKeys) {
        String domain = setup.domain();
        String host = setup.hostname();
        List<ExpectedRecord> records = new ArrayList<>();
        records.add(new ExpectedRecord(domain, "MX", host, "dns.why.mx"));
        records.add(new ExpectedRecord(domain, "TXT", "v=spf1 mx -all", "dns.why.spf"));
        for (DkimKey key : dkimKeys) {
            if (key.state() != DkimKey.State.RETIRED) {
                records.add(new ExpectedRecord(key.recordName(), "TXT", key.recordValue(),
                        key.state() == DkimKey.State.ACTIVE ? "dns.why.dkimActive"
                                : "dns.why.dkimReplaced"));
            }
        }
        records.add(new ExpectedRecord("_dmarc." + domain, "TXT", "v=DMARC1; p=reject; rua=mailto:postmaster@" + domain,
                "dns.why.dmarc"));
        records.add(new ExpectedRecord("_mta-sts." + domain, "TXT", "v=STSv1; id=" + mtaStsId(setup),
                "dns.why.mtaSts"));
        records.add(new ExpectedRecord("mta-sts." + domain, "CNAME", host, "dns.why.mtaStsHost"));
        records.add(new ExpectedRecord("_smtp._tls." + domain, "TXT", "v=TLSRPTv1; rua=mailto:postmaster@" + domain,
                "dns.why.tlsReporting"));
        records.add(new ExpectedRecord("openpgpkey." + domain, "CNAME", host, "dns.why.wkd"));
        records.add(new ExpectedRecord("autoconfig." + domain, "CNAME", host, "dns.why.autoconfig"));
        records.add(new ExpectedRecord("_submission._tcp." + domain, "SRV", "0 1 " + setup.submissionPort() + " " + host,
                "dns.why.submission"));
        records.add(new ExpectedRecord("_imaps._tcp." + domain, "SRV", "0 1 " + setup.imapsPort() + " " + host,
                "dns.why.imaps"));
        records.add(new ExpectedRecord("_pop3s._tcp." + domain, "SRV", "10 1 " + setup.pop3sPort() + " " + host,
                "dns.why.pop3s"));
        return records;
    }

    /** The MTA-STS policy file (RFC 8461 section 3.2) served at https://mta-sts.DOMAIN/.well-known/mta-sts.txt. */
    public static String mtaStsPolicy(Setup setup) {
        return "version: STSv1\r\nmode: " + setup.mtaStsMode() + "\r\nmx: " + setup.hostname() + "\r\nmax_age: 604800\r\n";
    }

    /** The policy id changes whenever the policy does: a hash of it. */
    static String mtaStsId(Setup setup) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(mtaStsPolicy(setup).getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(hash, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
