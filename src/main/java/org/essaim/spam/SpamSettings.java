package org.essaim.spam;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code essaim.spam.*}: how incoming mail is judged (README's property table lists each key).
 *
 * @param engine        {@code embedded} (default, no daemon), {@code rspamd}, or {@code off} (nothing is judged;
 *                      for measuring the filter's cost, or where another host filters)
 * @param rejectScore   at or above this score a message is refused at the end of DATA (554 5.7.1)
 * @param junkScore     at or above this score (and below the reject score) it is filed in the recipient's Spam
 * @param dnsbl         DNS blocklist zones queried with the client's address (e.g. {@code zen.spamhaus.org}); none by
 *                      default
 * @param dnsblPoints   points per blocklist that lists the client
 * @param rspamdUrl     rspamd's normal worker, e.g. {@code http://127.0.0.1:11333}
 * @param rspamdTimeout how long to wait for rspamd before judging with the embedded filter instead
 * @param model         a token table file replacing the bundled default model (see docs/spam.md to retrain)
 * @param rspamdControllerUrl rspamd's controller worker, where spam members shared is learnt ({@code /learnspam})
 *                      in rspamd mode
 * @param rspamdPassword the controller's password ({@code Password} header), empty when it asks for none
 * @param sharedPerDay  how many messages one member may share as spam per day ("Report spam and share it")
 */
@ConfigurationProperties(prefix = "essaim.spam")
public record SpamSettings(
        @DefaultValue("embedded") String engine,
        @DefaultValue("15") double rejectScore,
        @DefaultValue("3") double junkScore,
        @DefaultValue List<String> dnsbl,
        @DefaultValue("5") double dnsblPoints,
        @DefaultValue("http://127.0.0.1:11333") String rspamdUrl,
        @DefaultValue("5s") Duration rspamdTimeout,
        Path model,
        @DefaultValue("http://127.0.0.1:11334") String rspamdControllerUrl,
        @DefaultValue("") String rspamdPassword,
        @DefaultValue("20") int sharedPerDay) {

    public boolean rspamd() {
        return "rspamd".equalsIgnoreCase(engine);
    }

    public boolean off() {
        return "off".equalsIgnoreCase(engine);
    }
}
