package org.essaim.lists;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An address of the lists: the list itself or one of its command addresses, {@code name-subscribe@},
 * {@code name-unsubscribe@}, {@code name-owner@}, {@code name-bounces+token@} and {@code name-confirm+token@}.
 */
record ListAddress(String list, Command command, String token) {

    enum Command { POST, SUBSCRIBE, UNSUBSCRIBE, OWNER, BOUNCES, CONFIRM }

    /** Reads an address; {@code exists} tells which list addresses exist. */
    static Optional<ListAddress> parse(String address, Predicate<String> exists) {
        String lower = address.trim().toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf('@');
        if (at <= 0) {
            return Optional.empty();
        }
        String local = lower.substring(0, at);
        String domain = lower.substring(at + 1);
        if (exists.test(lower)) {
            return Optional.of(new ListAddress(lower, Command.POST, ""));
        }
        int plus = local.indexOf('+');
        String base = plus < 0 ? local : local.substring(0, plus);
        String token = plus < 0 ? "" : local.substring(plus + 1);
        int dash = base.lastIndexOf('-');
        if (dash <= 0) {
            return Optional.empty();
        }
        String list = base.substring(0, dash) + "@" + domain;
        if (!exists.test(list)) {
            return Optional.empty();
        }
        Command command = switch (base.substring(dash + 1)) {
            case "subscribe", "join" -> Command.SUBSCRIBE;
            case "unsubscribe", "leave" -> Command.UNSUBSCRIBE;
            case "owner" -> Command.OWNER;
            case "bounces" -> Command.BOUNCES;
            case "confirm" -> Command.CONFIRM;
            default -> null;
        };
        if (command == null || (command == Command.CONFIRM && token.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new ListAddress(list, command, token));
    }
}
