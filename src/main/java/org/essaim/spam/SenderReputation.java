package org.essaim.spam;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.essaim.delivery.spam.SpamVotes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each member's own view of senders, learned from metadata the server sees anyway: when a message is filed into Spam
 * or taken out of it (webmail buttons, or an IMAP move), its sender address and verified DKIM domains get a vote.
 * Nothing of the content is involved. Votes older than {@value #KEEP_DAYS} days are forgotten; a member sees and
 * deletes their own in My account.
 * <p>
 * At delivery, a sender the member called "not spam" takes {@value #NOT_SPAM_POINTS} points off (enough to bring back
 * anything short of a refusal), one they called spam adds {@value #SPAM_POINTS}; a DKIM domain counts half.
 */
@Component
public class SenderReputation implements SpamVotes {
    static final int KEEP_DAYS = 30;
    static final double NOT_SPAM_POINTS = -10;
    static final double SPAM_POINTS = 5;
    private static final String ADDRESS = "address:";
    private static final String DKIM = "dkim:";

    /** One remembered sender of one member. */
    public record Entry(String sender, int spamVotes, int hamVotes, OffsetDateTime updatedAt) {
        public boolean isDomain() {
            return sender.startsWith(DKIM);
        }

        /** The address or domain without its kind prefix, for display. */
        public String label() {
            return sender.substring(sender.indexOf(':') + 1);
        }
    }

    private final JdbcClient jdbc;

    public SenderReputation(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A move into or out of Spam over IMAP or in the webmail: the sender address is all that counts. */
    @Override
    public void vote(String account, String senderAddress, boolean spam) {
        vote(account, senderAddress, List.of(), spam);
    }

    /** Records that a member filed a message from these senders as spam (true) or as not spam (false). */
    @Transactional
    public void vote(String account, String senderAddress, Collection<String> dkimDomains, boolean spam) {
        for (String key : keys(senderAddress, dkimDomains)) {
            OffsetDateTime now = OffsetDateTime.now();
            int updated = jdbc.sql("UPDATE spam_sender_reputation SET spam_votes = spam_votes + ?, ham_votes = ham_votes + ?, "
                            + "updated_at = ? WHERE account = ? AND sender = ?")
                    .params(spam ? 1 : 0, spam ? 0 : 1, now, normalize(account), key).update();
            if (updated == 0) {
                jdbc.sql("INSERT INTO spam_sender_reputation (account, sender, spam_votes, ham_votes, updated_at) "
                                + "VALUES (?, ?, ?, ?, ?)")
                        .params(normalize(account), key, spam ? 1 : 0, spam ? 0 : 1, now).update();
            }
        }
    }

    /** The points a member's votes give a message from this sender (0 when they never voted). */
    public Reason points(String account, String senderAddress, Collection<String> dkimDomains) {
        double points = 0;
        for (String key : keys(senderAddress, dkimDomains)) {
            List<int[]> votes = jdbc.sql("SELECT spam_votes, ham_votes FROM spam_sender_reputation "
                            + "WHERE account = ? AND sender = ? AND updated_at > ?")
                    .params(normalize(account), key, OffsetDateTime.now().minusDays(KEEP_DAYS))
                    .query((rs, row) -> new int[] {rs.getInt(1), rs.getInt(2)}).list();
            for (int[] vote : votes) {
                double weight = key.startsWith(DKIM) ? 0.5 : 1.0;
                if (vote[1] > vote[0]) {
                    points += NOT_SPAM_POINTS * weight;
                } else if (vote[0] > vote[1]) {
                    points += SPAM_POINTS * weight;
                }
            }
        }
        return new Reason(points < 0 ? "SENDER_NOT_SPAM" : "SENDER_SPAM", points);
    }

    public List<Entry> entries(String account) {
        return jdbc.sql("SELECT sender, spam_votes, ham_votes, updated_at FROM spam_sender_reputation "
                        + "WHERE account = ? AND updated_at > ? ORDER BY updated_at DESC")
                .params(normalize(account), OffsetDateTime.now().minusDays(KEEP_DAYS))
                .query((rs, row) -> new Entry(rs.getString(1), rs.getInt(2), rs.getInt(3),
                        rs.getObject(4, OffsetDateTime.class)))
                .list();
    }

    public void delete(String account, String sender) {
        jdbc.sql("DELETE FROM spam_sender_reputation WHERE account = ? AND sender = ?").params(normalize(account), sender).update();
    }

    public void deleteAll(String account) {
        jdbc.sql("DELETE FROM spam_sender_reputation WHERE account = ?").param(normalize(account)).update();
    }

    /** Forgets votes past their {@value #KEEP_DAYS} days, hourly. */
    @Scheduled(fixedDelay = 1, timeUnit = java.util.concurrent.TimeUnit.HOURS, initialDelay = 1)
    public void forgetOldVotes() {
        jdbc.sql("DELETE FROM spam_sender_reputation WHERE updated_at < ?")
                .param(OffsetDateTime.now().minus(Duration.ofDays(KEEP_DAYS))).update();
    }

    private static List<String> keys(String senderAddress, Collection<String> dkimDomains) {
        List<String> keys = new ArrayList<>();
        if (senderAddress != null && !senderAddress.isBlank()) {
            keys.add(ADDRESS + normalize(senderAddress));
        }
        for (String domain : dkimDomains) {
            if (!domain.isBlank()) {
                keys.add(DKIM + normalize(domain));
            }
        }
        return keys;
    }

    private static String normalize(String value) {
        return value.trim().toLowerCase(Locale.ROOT);
    }
}
