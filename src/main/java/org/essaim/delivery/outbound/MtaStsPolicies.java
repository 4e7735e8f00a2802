package org.essaim.delivery.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTA-STS policies (RFC 8461) of recipient domains, as outbound delivery asks for them before each attempt.
 * <ol>
 * <li>{@code _mta-sts.<domain>} TXT ({@code v=STSv1; id=...}) through {@code essaim.dns.servers};</li>
 * <li>when its {@code id} differs from the cached policy's (or none is cached), the policy is fetched from
 * {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}: a certificate valid for that name is required, no
 * redirect is followed, the answer must be {@code 200 text/plain};</li>
 * <li>a policy is cached in memory by domain until its {@code max_age} runs out; while cached it keeps applying
 * even if the TXT record disappears or the fetch fails (§5.1: an attacker who can drop DNS answers or HTTPS
 * must not switch the policy off). Without a cached policy such failures mean "no policy" (§5).</li>
 * </ol>
 * Answers are remembered {@link #RECHECK} seconds, so a queue full of mail for one domain asks DNS once; the admin's
 * "retry now" asks afresh ({@link #policyAfresh}), so a domain that has just fixed its policy need not wait for that.
 */
public final class MtaStsPolicies {
    private static final Logger LOGGER = LoggerFactory.getLogger(MtaStsPolicies.class);
    static final Duration RECHECK = Duration.ofSeconds(10);
    private static final int MAX_POLICY_BYTES = 64 * 1024;

    private final org.essaim.delivery.dns.DnsResolver dns;
    private final CloseableHttpClient http;
    private final Clock clock;
    private final Map<String, MtaStsPolicy> policies = new ConcurrentHashMap<>();
    private final Map<String, Checked> recentlyChecked = new ConcurrentHashMap<>();

    private record Checked(Optional<MtaStsPolicy> policy, Instant at) {
    }

    public MtaStsPolicies(org.essaim.delivery.dns.DnsResolver dns, OutboundTrust trust) {
        this(dns, trust, Clock.systemUTC());
    }

    MtaStsPolicies(org.essaim.delivery.dns.DnsResolver dns, OutboundTrust trust, Clock clock) {
        this.dns = dns;
        this.clock = clock;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new ThroughEssaimsResolvers(dns))
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(trust.context()))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(10))
                                .setSocketTimeout(Timeout.ofSeconds(20))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(20)).build())
                .disableRedirectHandling() // §3.3: redirects MUST NOT be followed
                .disableCookieManagement()
                .disableAutomaticRetries()
                .disableAuthCaching()
                .build();
    }

    /** The policy that applies to mail for this domain now (mode {@code none} counts as no policy). */
    public Optional<MtaStsPolicy> policyFor(String recipientDomain) {
        String domain = recipientDomain.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Checked recent = recentlyChecked.get(domain);
        if (recent != null && recent.at().plus(RECHECK).isAfter(now)) {
            return recent.policy();
        }
        return lookUpAndRemember(domain, now);
    }

    /** As {@link #policyFor}, without the answer remembered from the last {@link #RECHECK} seconds (the TXT id is asked). */
    public Optional<MtaStsPolicy> policyAfresh(String recipientDomain) {
        return lookUpAndRemember(recipientDomain.toLowerCase(Locale.ROOT), clock.instant());
    }

    private Optional<MtaStsPolicy> lookUpAndRemember(String domain, Instant now) {
        Optional<MtaStsPolicy> policy = lookUp(domain, now).filter(p -> p.mode() != MtaStsPolicy.Mode.NONE);
        recentlyChecked.put(domain, new Checked(policy, now));
        return policy;
    }

    private Optional<MtaStsPolicy> lookUp(String domain, Instant now) {
        MtaStsPolicy cached = policies.get(domain);
        if (cached != null && cached.expiredAt(now)) {
            policies.remove(domain, cached);
            cached = null;
        }
        var txt = dns.txt("_mta-sts." + domain);
        List<String> ids = txt.records().stream().map(MtaStsPolicy::idOfRecord).filter(id -> id != null).toList();
        if (txt.temporaryFailure() || ids.size() != 1) {
            return Optional.ofNullable(cached); // no (single) record: a cached policy still applies (§5.1)
        }
        String id = ids.get(0);
        if (cached != null && cached.id().equals(id)) {
            return Optional.of(cached);
        }
        try {
            MtaStsPolicy fetched = MtaStsPolicy.parse(id, fetch(domain), now);
            policies.put(domain, fetched);
            LOGGER.info("MTA-STS policy of {} (id {}): mode {}, mx {}, max_age {} s", domain, id,
                    fetched.mode().name().toLowerCase(Locale.ROOT), fetched.mx(), fetched.maxAge().toSeconds());
            return Optional.of(fetched);
        } catch (IOException | IllegalArgumentException e) {
            LOGGER.warn("MTA-STS policy of {} could not be fetched ({}){}", domain, e.getMessage(),
                    cached == null ? ": delivering as without a policy" : ": the cached one still applies");
            return Optional.ofNullable(cached);
        }
    }

    private String fetch(String domain) throws IOException {
        HttpGet get = new HttpGet("https://mta-sts." + domain + "/.well-known/mta-sts.txt");
        return http.execute(get, response -> {
            if (response.getCode() != 200) {
                throw new IOException("HTTP " + response.getCode());
            }
            HttpEntity entity = response.getEntity();
            ContentType type = entity == null ? null : ContentType.parseLenient(entity.getContentType());
            if (type == null || !"text/plain".equalsIgnoreCase(type.getMimeType())) {
                throw new IOException("not text/plain");
            }
            try (InputStream in = entity.getContent()) {
                byte[] body = in.readNBytes(MAX_POLICY_BYTES + 1);
                if (body.length > MAX_POLICY_BYTES) {
                    throw new IOException("policy larger than 64 KiB");
                }
                return new String(body, StandardCharsets.UTF_8);
            }
        });
    }

    /** The policy host is resolved like every other name Essaim looks up: through essaim.dns.servers. */
    private record ThroughEssaimsResolvers(org.essaim.delivery.dns.DnsResolver dns) implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            List<InetAddress> addresses = dns.addresses(host);
            if (addresses.isEmpty()) {
                throw new UnknownHostException(host);
            }
            return addresses.toArray(InetAddress[]::new);
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }
}
