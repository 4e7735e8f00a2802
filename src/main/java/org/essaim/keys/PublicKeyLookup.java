package org.essaim.keys;

import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Service;

/**
 * Finds the public key of any mail address for the webmail: the composer (whom to encrypt to) and the reader
 * (whose signature this is). Local accounts come from Essaim's own directory; other domains are looked up
 * by WKD. Keys a user imported for contacts live in that user's browser and are merged there.
 */
@Service
public class PublicKeyLookup {
    private final PublicKeyDirectory directory;
    private final WkdClient wkd;

    public PublicKeyLookup(PublicKeyDirectory directory, WkdClient wkd) {
        this.directory = directory;
        this.wkd = wkd;
    }

    /** Where a found key came from, shown next to the recipient. */
    public enum Source { DIRECTORY, WKD }

    public record FoundKey(String address, String fingerprint, String armored, Source source) {
    }

    /**
     * The key of an address: from the directory if it holds one, else from the address domain's WKD (a network
     * lookup of a few seconds at most). Empty when neither has a usable key for exactly this address.
     */
    public Optional<FoundKey> find(String address) {
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        String normalized = address.trim().toLowerCase(Locale.ROOT);
        return directory.find(normalized)
                .map(key -> new FoundKey(key.address(), key.fingerprint(), key.armored(), Source.DIRECTORY))
                .or(() -> wkd.find(normalized)
                        .map(key -> new FoundKey(normalized, key.fingerprint(), key.armored(), Source.WKD)));
    }
}
