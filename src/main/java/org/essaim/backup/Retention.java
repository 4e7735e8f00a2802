package org.essaim.backup;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.essaim.config.EssaimProperties;

/**
 * Which backups to keep ({@code essaim.backup.keep}): the newest backup of each of the last {@code daily} days that
 * have one, likewise of the last {@code weekly} ISO weeks and {@code monthly} months (as restic's
 * {@code forget --keep-daily/--keep-weekly/--keep-monthly}); the newest backup is always kept. Days are UTC.
 */
final class Retention {
    private Retention() {
    }

    /** @return the backups to delete, among {@code created} */
    static List<Instant> toDelete(List<Instant> created, EssaimProperties.Backup.Keep keep) {
        List<Instant> newestFirst = new ArrayList<>(created);
        newestFirst.sort(Comparator.reverseOrder());
        Set<Instant> kept = new LinkedHashSet<>();
        if (!newestFirst.isEmpty()) {
            kept.add(newestFirst.get(0));
        }
        keepNewestPerPeriod(newestFirst, keep.daily(), instant -> day(instant).toString(), kept);
        keepNewestPerPeriod(newestFirst, keep.weekly(), instant -> day(instant).get(IsoFields.WEEK_BASED_YEAR) + "-W"
                + day(instant).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), kept);
        keepNewestPerPeriod(newestFirst, keep.monthly(), instant -> day(instant).getYear() + "-" + day(instant).getMonthValue(), kept);
        return newestFirst.stream().filter(instant -> !kept.contains(instant)).toList();
    }

    private static void keepNewestPerPeriod(List<Instant> newestFirst, int periods, Function<Instant, String> period,
                                            Set<Instant> kept) {
        Set<String> seen = new LinkedHashSet<>();
        for (Instant instant : newestFirst) {
            if (seen.size() >= periods) {
                return;
            }
            if (seen.add(period.apply(instant))) {
                kept.add(instant);
            }
        }
    }

    private static LocalDate day(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).toLocalDate();
    }
}
