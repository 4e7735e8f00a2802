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
 * Tests use {@link #shared()} (one Chromium per test JVM, usually through the {@link BrowserPages} extension) and
 * take a {@link #newPage()} per test: each page lives in its own fresh context (no cookies, storage or cache shared
 * with other tests or classes). {@link #launch()} gives a browser of one's own, closed by its caller.
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

    private static Browser shared;

    /**
     * The one Chromium of this test JVM: launched on first use, closed when the JVM exits. Never close it; pages
     * and contexts taken from it are the caller's to close. Playwright is single-threaded: use it from the test
     * thread only (JUnit's default).
     */
    public static synchronized Browser shared() {
        if (shared == null) {
            Browser browser = launch();
            shared = browser;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    browser.close();
                } catch (RuntimeException ignored) {
                    // the JVM is going away; the driver process ends with it
                }
            }, "chromium-shared-close"));
        }
        return shared;
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
