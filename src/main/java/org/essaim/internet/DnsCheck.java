package org.essaim.internet;

import java.util.List;
import java.util.Locale;

import org.essaim.delivery.dns.DnsResolver;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * Compares each expected record with what DNS answers now: ✔ when it is there, "different" when the name holds a
 * record of that kind with another value (another SPF record, another MX), "missing" otherwise.
 */
public final class DnsCheck {
    private final DnsResolver dns;

    public DnsCheck(DnsResolver dns) {
        this.dns = dns;
    }

    public List<CheckedRecord> check(List<ExpectedRecord> expected) {
        return expected.stream().map(this::check).toList();
    }

    CheckedRecord check(ExpectedRecord record) {
        List<String> found = switch (record.type()) {
            case "TXT" -> dns.txt(record.name()).records().stream()
                    .filter(text -> sameKind(text, record.value())).toList();
            case "MX" -> dns.lookup(record.name(), Type.MX).records().stream()
                    .map(r -> host(((MXRecord) r).getTarget().toString())).toList();
            case "CNAME" -> dns.lookup(record.name(), Type.CNAME).records().stream()
                    .map(r -> host(((CNAMERecord) r).getTarget().toString())).toList();
            case "SRV" -> dns.lookup(record.name(), Type.SRV).records().stream()
                    .map(DnsCheck::srv).toList();
            default -> List.of();
        };
        return new CheckedRecord(record, found, stateOf(record, found));
    }

    private RecordState stateOf(ExpectedRecord record, List<String> found) {
        if (found.isEmpty()) {
            // a name with an address of its own instead of a CNAME to this host is fine when it is the same address
            if (record.type().equals("CNAME") && sameAddress(record.name(), record.value())) {
                return RecordState.OK;
            }
            return RecordState.MISSING;
        }
        String wanted = normalise(record.value());
        if (record.type().equals("SRV")) {
            String[] parts = wanted.split(" ");
            String portAndTarget = parts[2] + " " + parts[3];
            return found.stream().anyMatch(f -> f.endsWith(portAndTarget)) ? RecordState.OK : RecordState.DIFFERENT;
        }
        return found.stream().anyMatch(f -> normalise(f).equals(wanted)) ? RecordState.OK : RecordState.DIFFERENT;
    }

    private boolean sameAddress(String name, String host) {
        List<String> mine = addresses(name);
        return !mine.isEmpty() && mine.equals(addresses(host));
    }

    private List<String> addresses(String name) {
        return dns.lookup(name, Type.A).records().stream().map(Record::rdataToString).sorted().toList();
    }

    /** Records of the same kind start with the same tag (v=spf1, v=DMARC1, v=DKIM1, ...). */
    private static boolean sameKind(String text, String expected) {
        String tag = expected.split("[ ;]")[0].toLowerCase(Locale.ROOT);
        return text.trim().toLowerCase(Locale.ROOT).startsWith(tag);
    }

    private static String srv(Record record) {
        SRVRecord srv = (SRVRecord) record;
        return srv.getPriority() + " " + srv.getWeight() + " " + srv.getPort() + " " + host(srv.getTarget().toString());
    }

    private static String host(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
    }

    private static String normalise(String value) {
        return value.trim().replaceAll("\\s*;\\s*", "; ").replaceAll("\\s+", " ").replaceAll(";\\s*$", "")
                .toLowerCase(Locale.ROOT);
    }
}
