package org.essaim.spam;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

/**
 * What the filter did, counted per day for the admin view: messages refused, junked and delivered, and how often each
 * rule scored. Counts only: no sender, recipient or address. Counted in memory and written every half minute, so
 * the SMTP session never waits for the database.
 */
@Component
public class SpamStatistics {
    public static final String REFUSED = "refused";
    public static final String JUNKED = "junked";
    public static final String DELIVERED = "delivered";
    static final String REASON = "reason";
    static final String SHARED = "shared";
    static final String OUTCOME = "outcome";

    /** One row of the admin view's table. */
    public record Day(LocalDate day, long refused, long junked, long delivered) { }

    /** A rule and how often it scored over the period. */
    public record ReasonCount(String reason, long messages) { }

    private record Key(LocalDate day, String kind, String name) { }

    private final JdbcClient jdbc;
    private final Map<Key, LongAdder> pending = new ConcurrentHashMap<>();

    public SpamStatistics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(String outcome, List<Reason> reasons) {
        LocalDate today = LocalDate.now();
        pending.computeIfAbsent(new Key(today, OUTCOME, outcome), k -> new LongAdder()).increment();
        if (DELIVERED.equals(outcome)) {
            return;
        }
        for (Reason reason : reasons) {
            if (reason.points() > 0) {
                pending.computeIfAbsent(new Key(today, REASON, bucket(reason.name())), k -> new LongAdder()).increment();
            }
        }
    }

    /** A member shared a message as spam ("Report spam and share it"). */
    void recordShared() {
        pending.computeIfAbsent(new Key(LocalDate.now(), SHARED, SHARED), k -> new LongAdder()).increment();
    }

    /** How many messages members shared as spam over the last {@code days} days (today included). */
    public long shared(int days) {
        flush();
        return jdbc.sql("SELECT COALESCE(SUM(messages), 0) FROM spam_daily_count WHERE kind = ? AND on_day >= ?")
                .params(SHARED, LocalDate.now().minusDays(days - 1L)).query(Long.class).single();
    }

    /** BAYES_97 and BAYES_93 both count as BAYES_90: the admin wants to know the classifier spoke, roughly how loud. */
    static String bucket(String name) {
        if (name.startsWith("BAYES_") && name.length() == 8) {
            return name.substring(0, 7) + "0";
        }
        return name.length() > 100 ? name.substring(0, 100) : name;
    }

    @Scheduled(fixedDelay = 30, timeUnit = TimeUnit.SECONDS)
    @PreDestroy
    public synchronized void flush() {
        for (Key key : new ArrayList<>(pending.keySet())) {
            LongAdder adder = pending.remove(key);
            long count = adder == null ? 0 : adder.sumThenReset();
            if (count == 0) {
                continue;
            }
            int updated = jdbc.sql("UPDATE spam_daily_count SET messages = messages + ? WHERE on_day = ? AND kind = ? AND name = ?")
                    .params(count, key.day(), key.kind(), key.name()).update();
            if (updated == 0) {
                jdbc.sql("INSERT INTO spam_daily_count (on_day, kind, name, messages) VALUES (?, ?, ?, ?)")
                        .params(key.day(), key.kind(), key.name(), count).update();
            }
        }
    }

    /** The last {@code days} days, newest first, days without mail included. */
    public List<Day> days(int days) {
        flush();
        LocalDate since = LocalDate.now().minusDays(days - 1L);
        Map<LocalDate, long[]> byDay = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        for (int i = 0; i < days; i++) {
            byDay.put(since.plusDays(i), new long[3]);
        }
        jdbc.sql("SELECT on_day, name, messages FROM spam_daily_count WHERE kind = ? AND on_day >= ?")
                .params(OUTCOME, since).query((rs, row) -> {
                    long[] counts = byDay.get(rs.getObject(1, LocalDate.class));
                    if (counts != null) {
                        switch (rs.getString(2)) {
                            case REFUSED -> counts[0] += rs.getLong(3);
                            case JUNKED -> counts[1] += rs.getLong(3);
                            default -> counts[2] += rs.getLong(3);
                        }
                    }
                    return null;
                }).list();
        List<Day> result = new ArrayList<>();
        byDay.forEach((day, counts) -> result.add(new Day(day, counts[0], counts[1], counts[2])));
        return result;
    }

    /** The rules that scored most often on refused or junked mail over the last {@code days} days. */
    public List<ReasonCount> topReasons(int days, int limit) {
        flush();
        return jdbc.sql("SELECT name, SUM(messages) AS total FROM spam_daily_count WHERE kind = ? AND on_day >= ? "
                        + "GROUP BY name ORDER BY total DESC, name LIMIT ?")
                .params(REASON, LocalDate.now().minusDays(days - 1L), limit)
                .query((rs, row) -> new ReasonCount(rs.getString(1), rs.getLong(2))).list();
    }
}
