package org.essaim.internet;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.essaim.delivery.dns.DnsResolver;
import org.essaim.dkim.DkimKeyStore;

/**
 * {@code java -jar essaim.jar dns --domain D [--hostname H] [--data-dir DIR] [--dns-servers S] [--submission-port N]
 * [--imaps-port N] [--pop3s-port N]}: prints every record the domain needs with what DNS answers now
 * (✔ / missing / different), without starting the server. DKIM selectors come from the data directory's keys.
 * Exit status 0 when every record is in place, 1 otherwise, 2 on bad arguments.
 */
public final class DnsCommand {
    private DnsCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String domain = options.get("domain");
        if (domain == null) {
            err.println("usage: java -jar essaim.jar dns --domain example.org [--hostname mail.example.org] "
                    + "[--data-dir ./data] [--dns-servers 9.9.9.9] [--submission-port 587] [--imaps-port 993] [--pop3s-port 995]");
            return 2;
        }
        DomainRecords.Setup setup = new DomainRecords.Setup(domain, options.getOrDefault("hostname", domain),
                Integer.parseInt(options.getOrDefault("submission-port", "587")),
                Integer.parseInt(options.getOrDefault("imaps-port", "993")),
                Integer.parseInt(options.getOrDefault("pop3s-port", "995")),
                options.getOrDefault("mta-sts-mode", "enforce"));
        DkimKeyStore keys = new DkimKeyStore(Path.of(options.getOrDefault("data-dir", "./data")).toAbsolutePath());
        List<String> servers = options.containsKey("dns-servers") ? List.of(options.get("dns-servers").split(",")) : List.of();
        List<CheckedRecord> checked = new DnsCheck(DnsResolver.of(servers)).check(DomainRecords.of(setup, keys.keys(domain)));
        boolean allThere = true;
        for (CheckedRecord record : checked) {
            out.printf("%-9s %-5s %s%n          %s%n", record.state().label(), record.expected().type(),
                    record.expected().name(), record.expected().value());
            if (record.state() != RecordState.OK) {
                allThere = false;
                out.println("          DNS answers: " + (record.found().isEmpty() ? "nothing" : String.join(" | ", record.found())));
            }
        }
        List<String> notes = new ArrayList<>();
        keys.keys(domain).stream().filter(k -> k.state() == org.essaim.dkim.DkimKey.State.RETIRED)
                .forEach(k -> notes.add("retired DKIM selector " + k.selector() + " (remove it from DNS)"));
        notes.forEach(note -> out.println("note: " + note));
        return allThere ? 0 : 1;
    }
}
