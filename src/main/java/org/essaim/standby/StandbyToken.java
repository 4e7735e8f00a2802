package org.essaim.standby;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import org.essaim.config.EssaimProperties;
import org.springframework.stereotype.Component;

/**
 * The secret a primary and its standby share ({@code essaim.standby.token-file}, the same file content on both):
 * the standby sends it with every request, the primary compares it in constant time. Read at each use, so an
 * operator can change it without a restart. Without the file, the primary refuses every standby request.
 */
@Component
public class StandbyToken {
    static final String HEADER = "Authorization";
    private static final String SCHEME = "Bearer ";

    private final Path file;

    public StandbyToken(EssaimProperties settings) {
        this.file = settings.standby().tokenFile();
    }

    Optional<String> value() {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            return token.length() < 16 ? Optional.empty() : Optional.of(token); // a too short secret is no secret
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String authorization() {
        return SCHEME + value().orElseThrow(() -> new IllegalStateException(
                "essaim.standby.token-file is missing or holds fewer than 16 characters"));
    }

    boolean accepts(String authorization) {
        Optional<String> expected = value();
        if (expected.isEmpty() || authorization == null || !authorization.startsWith(SCHEME)) {
            return false;
        }
        return MessageDigest.isEqual(sha256(expected.get()), sha256(authorization.substring(SCHEME.length())));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
