package org.essaim.spam;

import java.time.LocalDate;

import org.essaim.delivery.spam.SpamJudge;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * "Report spam and share it": one message a member decrypted in their browser and chose, after an explicit consent
 * dialog, to send to the server as spam. The server learns its tokens into the server-side table
 * ({@link ServerModel#learnSharedSpam}) and, in rspamd mode, hands it to rspamd's controller ({@code /learnspam}); it
 * keeps nothing of the message itself, only counts (per member per day, for the limit; per day for the admin view).
 * Never ham: there is no way to share a message as "not spam".
 */
@Component
public class SharedSpam {
    /** What the server reads of a message at delivery ({@link SpamJudge#SCANNED_BYTES}); more is refused. */
    public static final int MAX_BYTES = SpamJudge.SCANNED_BYTES;

    /** What became of a shared message. */
    public enum Outcome { LEARNT, TOO_MANY_TODAY, TOO_LARGE }

    private final SpamSettings settings;
    private final ServerModel model;
    private final SpamStatistics statistics;
    private final JdbcClient jdbc;
    private final RspamdLearner rspamd;

    public SharedSpam(SpamSettings settings, ServerModel model, SpamStatistics statistics, JdbcClient jdbc) {
        this.settings = settings;
        this.model = model;
        this.statistics = statistics;
        this.jdbc = jdbc;
        this.rspamd = new RspamdLearner(settings.rspamdControllerUrl(), settings.rspamdPassword(), settings.rspamdTimeout());
    }

    public Outcome share(String account, byte[] message) {
        if (message.length > MAX_BYTES) {
            return Outcome.TOO_LARGE;
        }
        if (!takeFromTodaysQuota(account)) {
            return Outcome.TOO_MANY_TODAY;
        }
        model.learnSharedSpam(message);
        statistics.recordShared();
        if (settings.rspamd()) {
            rspamd.learnSpam(message); // outside any database transaction: rspamd may take its timeout to answer
        }
        return Outcome.LEARNT;
    }

    /** Counts one more shared message for the member today, unless that would pass the daily limit. */
    private synchronized boolean takeFromTodaysQuota(String account) {
        LocalDate today = LocalDate.now();
        jdbc.sql("DELETE FROM spam_shared_quota WHERE on_day < ?").param(today.minusDays(1)).update();
        int shared = jdbc.sql("SELECT reports FROM spam_shared_quota WHERE account = ? AND on_day = ?").params(account, today)
                .query(Integer.class).optional().orElse(0);
        if (shared >= settings.sharedPerDay()) {
            return false;
        }
        if (shared == 0) {
            jdbc.sql("INSERT INTO spam_shared_quota (account, on_day, reports) VALUES (?, ?, 1)").params(account, today).update();
        } else {
            jdbc.sql("UPDATE spam_shared_quota SET reports = reports + 1 WHERE account = ? AND on_day = ?").params(account, today).update();
        }
        return true;
    }
}
