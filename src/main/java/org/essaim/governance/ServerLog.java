package org.essaim.governance;

import java.util.Map;

import org.springframework.stereotype.Service;

/**
 * For other features: appends the server's own entries to the public audit log (unsigned, {@code admin} =
 * {@code server}), e.g. {@code backup.verified}. Every parameter value must be a string.
 */
@Service
public class ServerLog {
    private final ServerEntries entries;

    ServerLog(ServerEntries entries) {
        this.entries = entries;
    }

    /** @return the new entry's hash */
    public String append(String action, Map<String, String> parameters) {
        return entries.append(action, parameters).hash();
    }
}
