package org.essaim.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Essaim talks to the rest of the internet (issue 13): resolvers, outbound retries, DKIM.
 * <ul>
 * <li>{@code essaim.dns.servers}: resolvers for MX, SPF, DKIM, DMARC and MTA-STS look-ups, comma-separated
 * {@code host} or {@code host:port}; empty = the system's. (James' MX look-up uses port 53 of each host.)</li>
 * <li>{@code essaim.delivery.max-days}: how long mail for another server is retried before it is returned (5).</li>
 * <li>{@code essaim.delivery.first-retry}, {@code essaim.delivery.max-retry-interval}: the back-off, doubling from
 * the first to the longest interval (Postfix: 5 min to ~67 min).</li>
 * <li>{@code essaim.delivery.delay-notice-after}: when the sender is told that mail is still waiting (4 h).</li>
 * <li>{@code essaim.dkim.publish-retired-keys}: publish the private half of retired DKIM keys (deniability).</li>
 * <li>{@code essaim.dkim.grace-days}: how long a replaced DKIM key stays published before it is retired.</li>
 * </ul>
 */
@ConfigurationProperties(prefix = "essaim")
public record InternetProperties(@DefaultValue Dns dns, @DefaultValue Delivery delivery, @DefaultValue Dkim dkim) {

    public record Dns(@DefaultValue List<String> servers) { }

    public record Delivery(
            @DefaultValue("5") int maxDays,
            @DefaultValue("5m") Duration firstRetry,
            @DefaultValue("4000s") Duration maxRetryInterval,
            @DefaultValue("4h") Duration delayNoticeAfter) { }

    public record Dkim(@DefaultValue("true") boolean publishRetiredKeys, @DefaultValue("7") int graceDays) { }
}
