package org.essaim.internet;

/**
 * One DNS record the domain needs, as the DNS page and {@code java -jar essaim.jar dns} show it.
 *
 * @param name  the owner name (fully qualified, no trailing dot)
 * @param type  MX, TXT, CNAME or SRV
 * @param value what it should hold (for TXT the text, for MX/CNAME the host, for SRV "priority weight port target")
 * @param why   the key of one plain line saying why (bundles i18n/messages*.properties, {@code dns.why.*}): the
 *              DNS page shows it in the admin's language
 */
public record ExpectedRecord(String name, String type, String value, String why) {
}
