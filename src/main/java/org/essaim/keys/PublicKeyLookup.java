package org.essaim.keys;

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

    public PublicKeyLookup(PublicKeyDirectory directory) {
        this.directory = directory;
    }

    /** Where a found key came from, shown next to the recipient. */
    public enum Source { DIRECTORY, WKD }

    public record FoundKey(String address, String fingerprint, String armored, Source source) {
    }

    public Optional<FoundKey> find(String address) {
        return directory.find(address)
                .map(key -> new FoundKey(key.address(), key.fingerprint(), key.armored(), Source.DIRECTORY));
    }
}
