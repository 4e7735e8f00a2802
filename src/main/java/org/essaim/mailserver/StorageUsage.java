package org.essaim.mailserver;

import java.util.OptionalLong;

/**
 * An account's storage as James accounts it (the figures IMAP GETQUOTAROOT reports): bytes used, the limit
 * in force (per-account or the default; empty when unlimited), and the number of messages.
 */
public record StorageUsage(String address, long usedBytes, OptionalLong limitBytes, long messageCount) {

    public double ratio() {
        return limitBytes.isPresent() && limitBytes.getAsLong() > 0 ? (double) usedBytes / limitBytes.getAsLong() : 0;
    }
}
