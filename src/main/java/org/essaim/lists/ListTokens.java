package org.essaim.lists;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tokens signed with the server's own list key (made once, kept in the database): the per-member one-click
 * unsubscribe token (RFC 8058) that each copy's List-Unsubscribe carries, the bounce token of each copy's return
 * path (VERP: a bounce names the member without trusting its content) and random confirmation tokens.
 */
@Component
public class ListTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

    private final java.util.function.Supplier<byte[]> secret;
    private final Duration unsubscribeValidity;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    public ListTokens(JdbcClient jdbc, ListSettings settings) {
        // Read at first use: the tables exist once Flyway ran, which may be after this bean is made.
        this(new java.util.function.Supplier<>() {
            private volatile byte[] loaded;

            @Override
            public byte[] get() {
                if (loaded == null) {
                    loaded = loadOrCreateSecret(jdbc);
                }
                return loaded;
            }
        }, settings.unsubscribeValidity(), Clock.systemUTC());
    }

    ListTokens(java.util.function.Supplier<byte[]> secret, Duration unsubscribeValidity, Clock clock) {
        this.secret = secret;
        this.unsubscribeValidity = unsubscribeValidity;
        this.clock = clock;
    }

    private static synchronized byte[] loadOrCreateSecret(JdbcClient jdbc) {
        Optional<String> stored = jdbc.sql("SELECT secret FROM mailing_list_secret WHERE id = 1").query(String.class).optional();
        if (stored.isPresent()) {
            return HexFormat.of().parseHex(stored.get());
        }
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        jdbc.sql("INSERT INTO mailing_list_secret (id, secret) VALUES (1, ?)").param(HexFormat.of().formatHex(fresh)).update();
        return fresh;
    }

    /** A member's one-click unsubscribe token: list, member and day of issue, signed. */
    public String unsubscribeToken(String list, String member) {
        long day = clock.instant().getEpochSecond() / 86_400;
        String payload = list + "\n" + member + "\n" + day;
        return URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + mac("unsubscribe\n" + payload, 24);
    }

    /** What an unsubscribe token says, checked. */
    public sealed interface Unsubscribe permits Valid, Forged, Expired { }

    public record Valid(String list, String member) implements Unsubscribe { }

    public record Forged() implements Unsubscribe { }

    public record Expired(String list) implements Unsubscribe { }

    public Unsubscribe readUnsubscribeToken(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0) {
            return new Forged();
        }
        String payload;
        try {
            payload = new String(URL_DECODER.decode(token.substring(0, dot)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Forged();
        }
        byte[] expected = mac("unsubscribe\n" + payload, 24).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return new Forged();
        }
        List<String> parts = List.of(payload.split("\n", -1));
        if (parts.size() != 3) {
            return new Forged();
        }
        long issuedDay;
        try {
            issuedDay = Long.parseLong(parts.get(2));
        } catch (NumberFormatException e) {
            return new Forged();
        }
        long today = clock.instant().getEpochSecond() / 86_400;
        if (today - issuedDay > unsubscribeValidity.toDays()) {
            return new Expired(parts.get(0));
        }
        return new Valid(parts.get(0), parts.get(1));
    }

    /** The short token of a member's bounce address (lower-case hex, so case-folding mail systems keep it). */
    public String bounceToken(String list, String member) {
        return HexFormat.of().formatHex(rawMac("bounce\n" + list + "\n" + member), 0, 8);
    }

    /** A random confirmation token (lower-case hex: it travels in an address local part too). */
    public String confirmationToken() {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private String mac(String text, int length) {
        return URL.encodeToString(rawMac(text)).substring(0, length);
    }

    private byte[] rawMac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.get(), "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
