package org.essaim.delivery.spam;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the spam check decided for one message: refuse it at the end of DATA, or store it, each account's copy in the
 * Inbox or in Spam. The score and reasons travel only inside the encrypted part, as X-Spam-* headers.
 *
 * @param score        the total score (the engine's own for rspamd)
 * @param reasons      rule names with their points, never any text of the message
 * @param reject       refuse the message (554 5.7.1, nothing stored)
 * @param junkAccounts the accounts whose copy goes to their Spam folder
 * @param engine       which engine judged: {@code embedded} or {@code rspamd} (or why it fell back)
 */
public record SpamVerdict(double score, List<String> reasons, boolean reject, Set<String> junkAccounts, String engine) {

    public SpamVerdict {
        reasons = List.copyOf(reasons);
        junkAccounts = Set.copyOf(junkAccounts);
    }

    public static SpamVerdict clean(String engine) {
        return new SpamVerdict(0, List.of(), false, Set.of(), engine);
    }

    public String formattedScore() {
        return String.format(Locale.ROOT, "%.1f", score);
    }
}
