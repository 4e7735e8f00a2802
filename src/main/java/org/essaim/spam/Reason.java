package org.essaim.spam;

import java.util.Locale;

/**
 * One thing that moved a message's score: a rule name (upper case, as SpamAssassin and rspamd name symbols) and the
 * points it added. Reasons never quote the message: they go into X-Spam-Reasons inside the encrypted part and,
 * counted, into the admin view.
 */
public record Reason(String name, double points) {

    @Override
    public String toString() {
        return name + "(" + String.format(Locale.ROOT, "%.1f", points) + ")";
    }
}
