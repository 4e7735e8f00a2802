package org.essaim.admin;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** One sample a day of the mail storage, kept to draw how the server grows. */
@Component
public class StorageSamples {

    public record Sample(LocalDate day, long usedBytes, int accountCount) { }

    private final JdbcClient jdbc;
    private final StorageReport report;

    public StorageSamples(JdbcClient jdbc, StorageReport report) {
        this.jdbc = jdbc;
        this.report = report;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Scheduled(cron = "0 5 0 * * *", zone = "UTC")
    public void sampleToday() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        StorageReport.Overview overview = report.overview();
        jdbc.sql("DELETE FROM storage_sample WHERE sample_day = ?").param(today).update();
        jdbc.sql("INSERT INTO storage_sample (sample_day, used_bytes, account_count) VALUES (?, ?, ?)")
                .params(today, overview.usedByAccounts(), overview.accounts().size()).update();
    }

    public List<Sample> all() {
        return jdbc.sql("SELECT sample_day, used_bytes, account_count FROM storage_sample ORDER BY sample_day")
                .query((rs, i) -> new Sample(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getInt(3)))
                .list();
    }
}
