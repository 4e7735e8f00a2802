package org.essaim.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Essaim talks to the rest of the internet (issue 13): resolvers, outbound retries, DKIM.
 * <ul>
 * <li>{@code essaim.dns.servers}: resolvers for MX, SPF, DKIM, DMARC and MTA-STS look-ups, comma-separated
 * {@code host} or {@code host:port}; empty = the system's. (James' MX look-up uses port 53 of each host.) The DNS
 * blocklist look-ups of the spam filter use them too. {@code essaim.dns.server} (one server) is the deprecated
 * earlier name, used only when {@code essaim.dns.servers} is not set.</li>
 * <li>{@code essaim.delivery.max-days}: how long mail for another server is retried before it is returned (5).</li>
 * <li>{@code essaim.delivery.first-retry}, {@code essaim.delivery.max-retry-interval}: the back-off, doubling from
 * the first to the longest interval (Postfix: 5 min to ~67 min).</li>
 * <li>{@code essaim.delivery.delay-notice-after}: when the sender is told that mail is still waiting (4 h).</li>
 * <li>{@code essaim.dkim.publish-retired-keys}: publish the private half of retired DKIM keys (deniability).</li>
 * <li>{@code essaim.dkim.grace-days}: how long a replaced DKIM key stays published before it is retired.</li>
 * <li>{@code essaim.mta-sts.ca-file}: tests only: a PEM file of certificate authorities trusted, besides the JVM's,
 * when MTA-STS requires a valid certificate (policy host and MX host).</li>
 * </ul>
 */
@ConfigurationProperties(prefix = "essaim")
public record InternetProperties(@DefaultValue Dns dns, @DefaultValue Delivery delivery, @DefaultValue Dkim dkim,
                                 @DefaultValue MtaSts mtaSts) {

    /**
     * @param servers the resolvers ({@code essaim.dns.servers})
     * @param server  deprecated single-server name ({@code essaim.dns.server}); read only when servers is empty
     */
    public record Dns(@DefaultValue List<String> servers, @DefaultValue("") String server) {
        /** The resolvers to use: {@code essaim.dns.servers}, else the deprecated {@code essaim.dns.server}. */
        @Override
        public List<String> servers() {
            if (servers.stream().allMatch(String::isBlank) && server != null && !server.isBlank()) {
                return List.of(server.trim());
            }
            return servers;
        }
    }

    public record Delivery(
            @DefaultValue("5") int maxDays,
            @DefaultValue("5m") Duration firstRetry,
            @DefaultValue("4000s") Duration maxRetryInterval,
            @DefaultValue("4h") Duration delayNoticeAfter) { }

    public record Dkim(@DefaultValue("true") boolean publishRetiredKeys, @DefaultValue("7") int graceDays) { }

    public record MtaSts(@DefaultValue("") String caFile) {
        public java.util.Optional<java.nio.file.Path> caFilePath() {
            return caFile == null || caFile.isBlank() ? java.util.Optional.empty()
                    : java.util.Optional.of(java.nio.file.Path.of(caFile.trim()));
        }
    }
}
