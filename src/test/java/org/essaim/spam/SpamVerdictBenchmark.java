package org.essaim.spam;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.essaim.support.SpamAssassinCorpus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the embedded filter's verdict costs per message on real mail: every message of the three corpus sets the
 * project may see (3 250, 1–100 KB and more), judged with the bundled model by {@link EmbeddedFilter#judge} (MIME
 * parsing, content rules, tokenising, classifying: everything but DNS look-ups, which are off by default), on one
 * thread. One untimed pass to warm up, then three timed passes; prints the wall-clock mean, median, p95, p99 and max
 * in ms (on a loaded machine the tail is time spent waiting for a core), the thread's CPU time per message (what the
 * verdict really costs), and messages per second.
 * <p>
 * Run: {@code mvn -B -o test -Dtest=SpamVerdictBenchmark -Dexcluded.test.groups=none}; docs/benchmarks.md has figures.
 */
@Tag("benchmark")
class SpamVerdictBenchmark {
    private static final int TIMED_PASSES = 3;

    @Test
    void costPerMessageOnTheCorpus() throws IOException {
        TokenTable table;
        try (InputStream in = SpamVerdictBenchmark.class.getResourceAsStream(ServerModel.BUNDLED)) {
            table = TokenTable.read(in);
        }
        EmbeddedFilter filter = new EmbeddedFilter(() -> table);
        List<byte[]> messages = new ArrayList<>();
        for (String set : List.of(SpamAssassinCorpus.SPAM, SpamAssassinCorpus.EASY_HAM, SpamAssassinCorpus.HARD_HAM)) {
            SpamAssassinCorpus.Split all = SpamAssassinCorpus.split(set, 0);
            messages.addAll(all.training());
            messages.addAll(all.test());
        }
        long bytes = messages.stream().mapToLong(m -> m.length).sum();
        double sink = 0;
        for (byte[] message : messages) {
            sink += filter.judge(message).size();
        }
        long[] nanos = new long[messages.size() * TIMED_PASSES];
        int i = 0;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuBegin = threads.getCurrentThreadCpuTime();
        long begin = System.nanoTime();
        for (int pass = 0; pass < TIMED_PASSES; pass++) {
            for (byte[] message : messages) {
                long start = System.nanoTime();
                sink += filter.judge(message).size();
                nanos[i++] = System.nanoTime() - start;
            }
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpuBegin) / 1e6 / nanos.length;
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%d messages (mean %d bytes), %d timed passes, load average %s%n", messages.size(),
                bytes / messages.size(), TIMED_PASSES, loadAverage());
        System.out.printf(Locale.ROOT, "verdict ms per message: mean %.2f, median %.2f, p95 %.2f, p99 %.2f, max %.1f%n",
                Arrays.stream(nanos).average().orElse(0) / 1e6, nanos[nanos.length / 2] / 1e6,
                nanos[(int) (nanos.length * 0.95)] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6,
                nanos[nanos.length - 1] / 1e6);
        System.out.printf(Locale.ROOT, "CPU ms per message (this thread's CPU time: not inflated by waiting for a core): "
                + "%.2f, i.e. %.0f messages per second per core%n", cpuMs, 1000 / cpuMs);
        System.out.printf(Locale.ROOT, "messages per second on one thread, wall clock: %.0f (checksum %s)%n",
                nanos.length / seconds, sink > 0 ? "ok" : "?");
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
