package org.essaim.delivery.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The resolvers Essaim's own look-ups use (SPF, DKIM keys, DMARC policies, MTA-STS, the DNS page):
 * {@code essaim.dns.servers}, a comma-separated list of {@code host} or {@code host:port}, or the system's
 * resolvers when empty. One dnsjava {@link Resolver}, never installed as dnsjava's JVM-wide default, so two
 * servers in one JVM (tests) or other features (DNSBL) keep their own.
 */
public final class DnsResolver {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Resolver resolver;
    private final List<String> servers;

    private DnsResolver(Resolver resolver, List<String> servers) {
        this.resolver = resolver;
        this.servers = List.copyOf(servers);
    }

    /** @param servers "host" or "host:port" entries; empty for the system's resolvers */
    public static DnsResolver of(List<String> servers) {
        List<String> configured = servers.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        {
            ExtendedResolver resolver;
            if (configured.isEmpty()) {
                resolver = new ExtendedResolver();
            } else {
                List<Resolver> each = new ArrayList<>();
                for (String server : configured) {
                    SimpleResolver simple = new SimpleResolver(socketAddressOf(server));
                    each.add(simple);
                }
                resolver = new ExtendedResolver(each);
            }
            resolver.setTimeout(TIMEOUT);
            resolver.setRetries(1);
            return new DnsResolver(resolver, configured);
        }
    }

    static InetSocketAddress socketAddressOf(String server) {
        int colon = server.lastIndexOf(':');
        if (colon > 0 && server.indexOf(':') == colon) { // host:port (an IPv6 address has several colons)
            return new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
        }
        return new InetSocketAddress(server, 53);
    }

    /** The host part of each configured server (James' MX resolver takes hosts only, on port 53). */
    public List<String> hosts() {
        return servers.stream().map(server -> socketAddressOf(server).getHostString()).toList();
    }

    public Resolver resolver() {
        return resolver;
    }

    /** The TXT strings of each TXT record at {@code name}, each record's strings joined. */
    public Answer<String> txt(String name) {
        Answer<Record> records = lookup(name, Type.TXT);
        return records.map(record -> String.join("", ((TXTRecord) record).getStrings()));
    }

    /** The IPv4 then IPv6 addresses of a host name (an address literal is returned as it is). */
    public List<java.net.InetAddress> addresses(String host) {
        if (host.matches("[0-9.]+") || host.contains(":")) {
            try {
                return List.of(java.net.InetAddress.getByName(host));
            } catch (java.net.UnknownHostException e) {
                return List.of();
            }
        }
        List<java.net.InetAddress> addresses = new ArrayList<>();
        lookup(host, Type.A).records().forEach(r -> addresses.add(((org.xbill.DNS.ARecord) r).getAddress()));
        lookup(host, Type.AAAA).records().forEach(r -> addresses.add(((org.xbill.DNS.AAAARecord) r).getAddress()));
        return addresses;
    }

    /** Records of one type at a name. */
    public Answer<Record> lookup(String name, int type) {
        Lookup lookup;
        try {
            lookup = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type);
        } catch (TextParseException e) {
            return Answer.none();
        }
        lookup.setResolver(resolver);
        lookup.setCache(null);
        Record[] records = lookup.run();
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> Answer.of(List.of(records));
            case Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND -> Answer.none();
            default -> Answer.failed(lookup.getErrorString());
        };
    }

    /** What a look-up found: records, nothing (NXDOMAIN, no such type), or a temporary failure. */
    public record Answer<T>(List<T> records, boolean temporaryFailure, String error) {
        static <T> Answer<T> of(List<T> records) {
            return new Answer<>(List.copyOf(records), false, "");
        }

        static <T> Answer<T> none() {
            return new Answer<>(List.of(), false, "");
        }

        static <T> Answer<T> failed(String error) {
            return new Answer<>(List.of(), true, error);
        }

        <U> Answer<U> map(java.util.function.Function<T, U> mapper) {
            return new Answer<>(records.stream().map(mapper).toList(), temporaryFailure, error);
        }
    }
}
