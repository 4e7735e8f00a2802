package org.essaim.support;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

/**
 * A real headless Chromium (the system's /usr/bin/chromium, never a downloaded one) driven by Playwright.
 * Launch one per test class; take a {@link #newPage()} per test: each page lives in its own fresh context
 * (no cookies, storage or cache shared with other tests). Close the browser in {@code @AfterAll}.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of(System.getProperty("essaim.test.chromium", "/usr/bin/chromium"));
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser chromium;

    private Browser(Playwright playwright, com.microsoft.playwright.Browser chromium) {
        this.playwright = playwright;
        this.chromium = chromium;
    }

    public static Browser launch() {
        // The machines that run the tests are small and shared: wait for the UI longer than Playwright's 5 s.
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            return new Browser(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setChromiumSandbox(false)
                    .setArgs(FLAGS)));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A fresh context (own cookies and storage), for tests that need several pages in one session. */
    public BrowserContext newContext() {
        return chromium.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 800));
    }

    /** A page in its own fresh context; closing the page's context closes both. */
    public Page newPage() {
        BrowserContext context = newContext();
        context.setDefaultTimeout(20_000);
        return context.newPage();
    }

    /** The underlying Playwright browser, for what this helper does not wrap. */
    public com.microsoft.playwright.Browser playwright() {
        return chromium;
    }

    @Override
    public void close() {
        try {
            chromium.close();
        } finally {
            playwright.close();
        }
    }
}
