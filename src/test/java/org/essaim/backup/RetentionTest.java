package org.essaim.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.essaim.config.EssaimProperties;
import org.junit.jupiter.api.Test;

/** Which backups the retention keeps: the newest of each of the last days, weeks and months that have one. */
class RetentionTest {
    private static final EssaimProperties.Backup.Keep DEFAULT = new EssaimProperties.Backup.Keep(7, 4, 6);

    @Test
    void aYearOfNightlyBackupsKeepsSevenDaysFourWeeksAndSixMonths() {
        Instant newest = Instant.parse("2026-11-30T03:30:00Z");
        List<Instant> nightly = new ArrayList<>();
        for (int day = 0; day < 365; day++) {
            nightly.add(newest.minus(day, ChronoUnit.DAYS));
        }
        List<Instant> deleted = Retention.toDelete(nightly, DEFAULT);
        List<Instant> kept = nightly.stream().filter(instant -> !deleted.contains(instant)).toList();

        assertThat(kept).contains(newest, newest.minus(6, ChronoUnit.DAYS)).doesNotContain(newest.minus(400, ChronoUnit.DAYS));
        // 7 days + Sundays of 4 weeks (2 of them inside the 7 days) + last day of 6 months (1 inside) = 7 + 2 + 5
        assertThat(kept).hasSize(14);
        assertThat(kept).contains(Instant.parse("2026-10-31T03:30:00Z"), Instant.parse("2026-06-30T03:30:00Z"))
                .doesNotContain(Instant.parse("2026-05-31T03:30:00Z"));
    }

    @Test
    void severalBackupsOfOneDayKeepTheNewestAndTheNewestIsAlwaysKept() {
        Instant morning = Instant.parse("2026-11-30T03:30:00Z");
        Instant noon = Instant.parse("2026-11-30T12:00:00Z");
        assertThat(Retention.toDelete(List.of(morning, noon), DEFAULT)).containsExactly(morning);
        assertThat(Retention.toDelete(List.of(morning, noon), new EssaimProperties.Backup.Keep(0, 0, 0))).containsExactly(morning);
    }
}
