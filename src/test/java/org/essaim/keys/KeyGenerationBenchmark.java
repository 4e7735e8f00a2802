package org.essaim.keys;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.microsoft.playwright.Page;

import org.essaim.support.Browser;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long key generation takes in headless Chromium, through the real key page: each run is a fresh browser
 * profile that creates a key (v4 curve25519Legacy, passphrase-protected, stored in IndexedDB). The element
 * measures its generateKey() call with performance.measure; the click-to-backup-step time is printed too.
 * Run on demand (skipped otherwise): {@code mvn -B -o test -Dtest=KeyGenerationBenchmark -Dessaim.benchmark=true}
 */
@EnabledIfSystemProperty(named = "essaim.benchmark", matches = "true")
class KeyGenerationBenchmark {
    static final int RUNS = 7;

    @TempDir
    Path dataDir;

    @Test
    void keyGenerationInHeadlessChromium() {
        List<Double> generation = new ArrayList<>();
        List<Double> clickToBackupStep = new ArrayList<>();
        try (EssaimInstance essaim = EssaimInstance.start(dataDir); Browser browser = Browser.launch()) {
            for (int run = 0; run < RUNS; run++) {
                Page page = browser.newPage();
                try {
                    LoginPage.logIn(page, essaim, EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD);
                    page.waitForURL(url -> !url.contains("/login"));
                    page.navigate(essaim.baseUrl() + "/keys");
                    page.locator("#new-passphrase input").fill("benchmark passphrase");
                    page.locator("#new-passphrase-confirm input").fill("benchmark passphrase");
                    long start = System.nanoTime();
                    page.locator("#generate-button").click();
                    assertThat(page.locator("#backup-step")).isVisible();
                    clickToBackupStep.add((System.nanoTime() - start) / 1e6);
                    generation.add(((Number) page.evaluate(
                            "performance.getEntriesByName('essaim-key-generation').pop().duration")).doubleValue());
                } finally {
                    page.context().close();
                }
            }
        }
        System.out.printf("Key generation in headless Chromium, %d runs (ms): generateKey %s -> median %.0f;"
                + " click to backup step %s -> median %.0f%n",
                RUNS, rounded(generation), median(generation), rounded(clickToBackupStep), median(clickToBackupStep));
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
