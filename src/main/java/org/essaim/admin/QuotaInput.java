package org.essaim.admin;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an admin types as a quota: a size such as {@code 500MB}, {@code 2GB}, {@code 1.5 GB} (units B, KB, MB, GB,
 * TB; powers of 1024, as {@code essaim.quota.default}), or {@code default} to go back to the server's default.
 */
public final class QuotaInput {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KB|MB|GB|TB)?");

    private QuotaInput() {
    }

    /**
     * @return the limit in bytes, or empty for "default"
     * @throws AdminActionException with a message for the admin when the text is not a size
     */
    public static OptionalLong parse(String text) {
        String value = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        if (value.equals("DEFAULT")) {
            return OptionalLong.empty();
        }
        Matcher matcher = SIZE.matcher(value);
        if (!matcher.matches()) {
            throw new AdminActionException("\"" + (text == null ? "" : text.trim())
                    + "\" is not a quota: write a size such as 500MB or 2GB, or \"default\".");
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2);
        int power = switch (unit) {
            case "KB" -> 1;
            case "MB" -> 2;
            case "GB" -> 3;
            case "TB" -> 4;
            default -> 0;
        };
        double bytes = Double.parseDouble(matcher.group(1)) * Math.pow(1024, power);
        if (bytes < 1 || bytes > Long.MAX_VALUE / 2) {
            throw new AdminActionException("A quota must be a positive size no larger than a few exabytes.");
        }
        return OptionalLong.of(Math.round(bytes));
    }
}
