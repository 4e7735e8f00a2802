package org.essaim.keys;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.essaim.delivery.outbound.RemoteRecipientKeys;
import org.springframework.stereotype.Component;

/**
 * Lends {@link PublicKeyLookup} (the directory, then WKD) to outbound delivery, which encrypts clear mail to a remote
 * recipient's key before it leaves. Answers are remembered for a while, found or not, so that a burst of mail to one
 * address asks its domain's WKD once (each lookup may take seconds when the domain has none).
 */
@Component
class RemoteRecipientKeyLookup implements RemoteRecipientKeys {
    private static final Duration REMEMBER_FOUND = Duration.ofHours(1);
    private static final Duration REMEMBER_MISSING = Duration.ofMinutes(10);
    private static final int MAX_REMEMBERED = 10_000;

    private final PublicKeyLookup lookup;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    RemoteRecipientKeyLookup(PublicKeyLookup lookup) {
        this.lookup = lookup;
    }

    private record Answer(Optional<byte[]> key, Instant until) { }

    @Override
    public Optional<byte[]> publicKeyOf(String address) {
        String normalized = address.trim().toLowerCase(Locale.ROOT);
        Instant now = Instant.now();
        Answer known = answers.get(normalized);
        if (known != null && known.until().isAfter(now)) {
            return known.key();
        }
        Optional<byte[]> key = lookup.find(normalized).map(found -> found.armored().getBytes(StandardCharsets.UTF_8));
        if (answers.size() >= MAX_REMEMBERED) {
            answers.clear();
        }
        answers.put(normalized, new Answer(key, now.plus(key.isPresent() ? REMEMBER_FOUND : REMEMBER_MISSING)));
        return key;
    }
}
