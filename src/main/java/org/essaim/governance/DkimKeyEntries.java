package org.essaim.governance;

import java.util.LinkedHashMap;
import java.util.Map;

import org.essaim.dkim.DkimKeyChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Writes every DKIM key change as a server entry of the public audit log. */
@Component
class DkimKeyEntries {
    private final ServerEntries serverEntries;

    DkimKeyEntries(ServerEntries serverEntries) {
        this.serverEntries = serverEntries;
    }

    @EventListener
    void on(DkimKeyChanged change) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("domain", change.domain());
        parameters.put("selector", change.selector());
        parameters.put("record", change.record());
        if (change.privateKeyPublished()) {
            parameters.put("privateKeyPublished", "true");
        }
        serverEntries.append(change.action(), parameters);
    }
}
