package org.essaim.mailserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.essaim.config.EssaimProperties;
import org.essaim.config.InternetProperties;
import org.essaim.delivery.dns.DnsResolver;

/**
 * Template values for outbound delivery (mailetcontainer.xml, dnsservice.xml): the retry schedule, the resolvers,
 * the address outgoing connections leave from.
 */
final class OutboundSettings {
    private OutboundSettings() {
    }

    static Properties templateValues(EssaimProperties settings, InternetProperties internet) {
        Properties values = new Properties();
        List<Duration> delays = retrySchedule(internet.delivery());
        values.put("deliveryDelays", String.join(", ", compress(delays)));
        values.put("deliveryMaxRetries", String.valueOf(delays.size()));
        List<String> hosts = DnsResolver.of(internet.dns().servers()).hosts();
        StringBuilder servers = new StringBuilder();
        hosts.forEach(host -> servers.append("<server>").append(host).append("</server>"));
        values.put("dnsServers", servers.toString());
        values.put("dnsAutodiscover", String.valueOf(hosts.isEmpty()));
        String bind = settings.bindAddress();
        boolean specific = !(bind.equals("0.0.0.0") || bind.equals("::") || bind.isBlank());
        values.put("outgoingBind", specific ? "<bind>" + bind + "</bind>" : "");
        return values;
    }

    /**
     * Postfix's back-off: from the first interval, doubling up to the longest, then the longest until
     * {@code max-days} have passed since the first attempt. One entry per retry.
     */
    static List<Duration> retrySchedule(InternetProperties.Delivery delivery) {
        Duration total = Duration.ofDays(delivery.maxDays());
        List<Duration> delays = new ArrayList<>();
        Duration elapsed = Duration.ZERO;
        Duration next = delivery.firstRetry();
        while (elapsed.compareTo(total) < 0 && delays.size() < 10_000) {
            delays.add(next);
            elapsed = elapsed.plus(next);
            next = next.multipliedBy(2);
            if (next.compareTo(delivery.maxRetryInterval()) > 0) {
                next = delivery.maxRetryInterval();
            }
        }
        return delays;
    }

    /** James' delayTime syntax: "n*millis" runs, comma-separated. */
    private static List<String> compress(List<Duration> delays) {
        List<String> runs = new ArrayList<>();
        int i = 0;
        while (i < delays.size()) {
            int j = i;
            while (j < delays.size() && delays.get(j).equals(delays.get(i))) {
                j++;
            }
            runs.add((j - i) + "*" + delays.get(i).toMillis());
            i = j;
        }
        return runs;
    }
}
