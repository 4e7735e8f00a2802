package org.essaim.spam;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.essaim.delivery.dns.DnsResolver;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * DNS blocklists (RFC 5782): the client's address, reversed, is looked up under each configured zone; an A record in
 * 127.0.0.0/8 means "listed". Spamhaus answers 127.255.255.x to refused queries (public resolvers, over-use): those
 * are not listings. The address is only ever in the query, never stored or logged.
 */
final class DnsBlocklists {
    private final List<String> zones;
    private final Resolver resolver;

    /** @param dnsServers {@code essaim.dns.servers}: {@code host} or {@code host:port} each; empty = the system's */
    DnsBlocklists(List<String> zones, List<String> dnsServers) {
        this.zones = zones.stream().map(String::trim).filter(z -> !z.isEmpty()).toList();
        this.resolver = zones.isEmpty() ? null : DnsResolver.of(dnsServers).resolver();
    }

    boolean enabled() {
        return !zones.isEmpty();
    }

    /** The zones that list the address (empty when none does or a look-up fails). */
    List<String> listing(InetAddress client) {
        List<String> listed = new ArrayList<>();
        if (zones.isEmpty()) {
            return listed;
        }
        String reversed = reversed(client);
        for (String zone : zones) {
            if (listedIn(reversed, zone)) {
                listed.add(zone.toLowerCase(Locale.ROOT));
            }
        }
        return listed;
    }

    private boolean listedIn(String reversed, String zone) {
        try {
            Name name = Name.fromString(reversed + "." + zone + (zone.endsWith(".") ? "" : "."));
            Message response = resolver.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
            if (response.getRcode() != Rcode.NOERROR) {
                return false;
            }
            for (Record answer : response.getSection(Section.ANSWER)) {
                if (answer instanceof ARecord a) {
                    byte[] address = a.getAddress().getAddress();
                    if (address[0] == 127 && !(address[1] == (byte) 255 && address[2] == (byte) 255)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (TextParseException e) {
            return false;
        } catch (IOException e) {
            return false; // a blocklist that does not answer lists nobody
        }
    }

    /** 192.0.2.1 → 1.2.0.192; IPv6 as 32 reversed nibbles (RFC 5782 section 2.4). */
    static String reversed(InetAddress address) {
        byte[] bytes = address.getAddress();
        StringBuilder out = new StringBuilder();
        if (address instanceof Inet4Address) {
            for (int i = bytes.length - 1; i >= 0; i--) {
                out.append(bytes[i] & 0xff).append(i > 0 ? "." : "");
            }
        } else {
            for (int i = bytes.length - 1; i >= 0; i--) {
                out.append(Character.forDigit(bytes[i] & 0xf, 16)).append('.')
                        .append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append(i > 0 ? "." : "");
            }
        }
        return out.toString();
    }
}
