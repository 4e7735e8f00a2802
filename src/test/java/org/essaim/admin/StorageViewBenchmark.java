package org.essaim.admin;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.Browser;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the storage view takes to show with 1 000 accounts: from the request of /admin/storage in headless
 * Chromium until the grid shows its first rows and the account count; and, on its own, the server-side
 * {@link StorageReport#overview()} that the view (and GET /api/admin/storage) is built from.
 * On demand only (tag "benchmark"), see docs/benchmarks.md.
 */
@Tag("benchmark")
class StorageViewBenchmark {
    static final int ACCOUNTS = Integer.getInteger("benchmark.accounts", 1000);
    static final int RUNS = 5;

    @TempDir
    Path dataDir;

    @Test
    void storageViewWithAThousandAccounts() {
        try (EssaimInstance essaim = EssaimInstance.start(dataDir); Browser browser = Browser.launch()) {
            MailServerBridge mailServer = essaim.bean(MailServerBridge.class);
            long creation = System.nanoTime();
            for (int i = 0; i < ACCOUNTS; i++) {
                mailServer.createAccount(String.format(Locale.ROOT, "member%04d@%s", i, EssaimInstance.DOMAIN),
                        "benchmark password " + i);
            }
            System.out.printf(Locale.ROOT, "created %d accounts in %.1f s%n", ACCOUNTS, (System.nanoTime() - creation) / 1e9);
            String expectedCount = Integer.toString(mailServer.accounts().size());

            StorageReport report = essaim.bean(StorageReport.class);
            List<Double> overview = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                long start = System.nanoTime();
                report.overview();
                overview.add((System.nanoTime() - start) / 1e6);
            }

            System.out.printf(Locale.ROOT, "StorageReport.overview() with %s accounts: median %.0f ms (runs %s)%n",
                    expectedCount, median(overview), rounded(overview));
            List<Double> james = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                long start = System.nanoTime();
                mailServer.accounts().forEach(mailServer::storageUsage);
                james.add((System.nanoTime() - start) / 1e6);
            }
            System.out.printf(Locale.ROOT, "of which James' quota queries (storageUsage for every account): median %.0f ms (runs %s)%n",
                    median(james), rounded(james));

            Page page = browser.newPage();
            LoginPage.logIn(page, essaim, EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD);
            page.waitForURL(url -> !url.contains("/login"));
            List<Double> view = new ArrayList<>();
            for (int run = 0; run < RUNS + 1; run++) {
                long start = System.nanoTime();
                page.navigate(essaim.baseUrl() + "/admin/storage");
                assertThat(page.locator("#account-count")).hasText(expectedCount, new LocatorAssertions.HasTextOptions().setTimeout(120_000));
                assertThat(page.locator("#storage-accounts span.used").first()).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(120_000));
                double millis = (System.nanoTime() - start) / 1e6;
                if (run > 0) { // the first one warms up the JIT and the browser cache
                    view.add(millis);
                }
            }
            System.out.printf(Locale.ROOT, "storage view shown with %s accounts: median %.0f ms (runs %s)%n",
                    expectedCount, median(view), rounded(view));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }
}
