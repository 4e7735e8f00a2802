package org.essaim.delivery.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A recipient domain's MTA-STS policy (RFC 8461 §3.2): the mode, the MX host patterns mail may go to, how long it
 * may be cached, and the {@code id} of the TXT record it was fetched for.
 */
public record MtaStsPolicy(String id, Mode mode, List<String> mx, Duration maxAge, Instant fetchedAt) {
    /** RFC 8461 §3.2: max_age is at most 31557600 seconds (about a year). */
    static final Duration LONGEST_MAX_AGE = Duration.ofSeconds(31_557_600);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");

    public enum Mode {
        /** Only listed MX hosts, only with a valid certificate; otherwise the mail waits. */
        ENFORCE,
        /** Deliver as without a policy, but report what would have failed. */
        TESTING,
        /** The domain withdrew its policy. */
        NONE
    }

    /**
     * Parses the policy file's text ({@code key: value} lines).
     *
     * @throws IllegalArgumentException when it is not a valid STSv1 policy
     */
    static MtaStsPolicy parse(String id, String text, Instant fetchedAt) {
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "version" -> version = value;
                case "mode" -> mode = switch (value) {
                    case "enforce" -> Mode.ENFORCE;
                    case "testing" -> Mode.TESTING;
                    case "none" -> Mode.NONE;
                    default -> throw new IllegalArgumentException("unknown mode " + value);
                };
                case "max_age" -> {
                    try {
                        maxAge = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("max_age is not a number");
                    }
                }
                case "mx" -> mx.add(normalized(value));
                default -> { } // extensions are ignored (§3.2)
            }
        }
        if (!"STSv1".equals(version)) {
            throw new IllegalArgumentException("not an STSv1 policy");
        }
        if (mode == null || maxAge == null || maxAge < 0) {
            throw new IllegalArgumentException("mode or max_age missing");
        }
        if (mode != Mode.NONE && mx.isEmpty()) {
            throw new IllegalArgumentException("no mx listed");
        }
        Duration age = Duration.ofSeconds(Math.min(maxAge, LONGEST_MAX_AGE.toSeconds()));
        return new MtaStsPolicy(id, mode, List.copyOf(mx), age, fetchedAt);
    }

    /** The {@code id} of a {@code _mta-sts} TXT record ({@code v=STSv1; id=...;}), or null when it is not one. */
    static String idOfRecord(String txt) {
        String[] fields = txt.split(";");
        if (fields.length == 0 || !fields[0].trim().equals("v=STSv1")) {
            return null;
        }
        for (String field : fields) {
            String trimmed = field.trim();
            if (trimmed.startsWith("id=") && ID.matcher(trimmed.substring(3)).matches()) {
                return trimmed.substring(3);
            }
        }
        return null;
    }

    /**
     * Whether mail may go to this MX host (§4.1): an exact name, or {@code *.example.org} for exactly one more
     * label on the left. Case and a final dot do not matter.
     */
    public boolean allowsMx(String host) {
        String name = normalized(host);
        for (String pattern : mx) {
            if (pattern.startsWith("*.")) {
                String suffix = pattern.substring(1); // ".example.org"
                if (name.endsWith(suffix)) {
                    String label = name.substring(0, name.length() - suffix.length());
                    if (!label.isEmpty() && !label.contains(".")) {
                        return true;
                    }
                }
            } else if (pattern.equals(name)) {
                return true;
            }
        }
        return false;
    }

    boolean expiredAt(Instant now) {
        return fetchedAt.plus(maxAge).isBefore(now);
    }

    private static String normalized(String host) {
        String name = host.trim().toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
