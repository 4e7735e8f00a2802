package org.essaim.delivery.authentication;

import java.util.Locale;

import com.google.common.net.InternetDomainName;

/**
 * The organisational domain of RFC 7489 section 3.2: the registrable domain under a public suffix, from the Public
 * Suffix List that Guava ships and keeps up to date ({@link InternetDomainName#topPrivateDomain()}). A name under
 * no listed suffix (a private or test TLD) follows the list's default rule "*": its last two labels.
 */
final class OrganizationalDomain {
    private OrganizationalDomain() {
    }

    static String of(String domain) {
        String name = domain.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        try {
            InternetDomainName parsed = InternetDomainName.from(name);
            if (parsed.isUnderPublicSuffix()) {
                return parsed.topPrivateDomain().toString();
            }
            if (parsed.isPublicSuffix()) {
                return name;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a valid domain name for Guava: fall back to the default rule below
        }
        String[] labels = name.split("\\.");
        return labels.length <= 2 ? name : labels[labels.length - 2] + "." + labels[labels.length - 1];
    }

    /** Relaxed alignment: both names share one organisational domain. */
    static boolean relaxedAligned(String a, String b) {
        return of(a).equals(of(b));
    }
}
