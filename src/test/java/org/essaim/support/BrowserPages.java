package org.essaim.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The browser lifecycle of a test class that drives pages in Chromium, declared once:
 * <pre>
 * &#64;RegisterExtension
 * static final BrowserPages browser = new BrowserPages();
 * ...
 * Page page = browser.page();        // this test's page, in a fresh context
 * Page other = browser.newPage();    // a second person (own cookies), closed after the test too
 * </pre>
 * All classes share the JVM's one Chromium ({@link Browser#shared()}); each test gets a fresh context, so nothing
 * (cookies, IndexedDB, cache) carries over between tests. Every context opened through this extension is closed after
 * the test. When a test fails, a screenshot of each of its pages is saved under
 * {@code target/failed-test-screenshots/} to show what the page looked like.
 */
public final class BrowserPages implements BeforeEachCallback, AfterEachCallback {
    private static final Duration DEFAULT_ASSERTION_TIMEOUT = Duration.ofSeconds(20);
    private static final Path FAILURE_SCREENSHOTS = Path.of("target", "failed-test-screenshots");

    private final Duration assertionTimeout;
    private final List<BrowserContext> contexts = new ArrayList<>();
    private Page page;

    public BrowserPages() {
        this(DEFAULT_ASSERTION_TIMEOUT);
    }

    /** With a longer wait for Playwright's assertions, for pages that do heavy work (key generation, big mail). */
    public BrowserPages(Duration assertionTimeout) {
        this.assertionTimeout = assertionTimeout;
    }

    /** The current test's page (opened before the test, in a fresh context). */
    public Page page() {
        if (page == null) {
            throw new IllegalStateException("No test is running: take pages in @Test methods or @BeforeEach");
        }
        return page;
    }

    /** One more page in its own fresh context (another person, another session); closed after the test. */
    public Page newPage() {
        Page another = Browser.shared().newPage();
        contexts.add(another.context());
        return another;
    }

    /**
     * One more page in a fresh context with options of its own (locale, viewport, permissions...); closed after the
     * test like the others.
     */
    public Page newPage(com.microsoft.playwright.Browser.NewContextOptions options) {
        BrowserContext context = Browser.shared().playwright().newContext(options);
        contexts.add(context);
        context.setDefaultTimeout(20_000);
        return context.newPage();
    }

    /** The underlying browser, for what this extension does not wrap (e.g. a context with other options). */
    public Browser browser() {
        return Browser.shared();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        PlaywrightAssertions.setDefaultAssertionTimeout(assertionTimeout.toMillis());
        page = newPage();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (context.getExecutionException().isPresent()) {
                saveScreenshots(context);
            }
        } finally {
            for (BrowserContext each : contexts) {
                try {
                    each.close();
                } catch (RuntimeException alreadyClosed) {
                    // closed by the test itself
                }
            }
            contexts.clear();
            page = null;
            // Classes that take pages from Browser.shared() directly expect its default wait, not this class's.
            PlaywrightAssertions.setDefaultAssertionTimeout(DEFAULT_ASSERTION_TIMEOUT.toMillis());
        }
    }

    private void saveScreenshots(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
        int n = 0;
        for (BrowserContext each : contexts) {
            for (Page open : each.pages()) {
                try {
                    Files.createDirectories(FAILURE_SCREENSHOTS);
                    open.screenshot(new Page.ScreenshotOptions().setPath(FAILURE_SCREENSHOTS.resolve(name + "-" + n++ + ".png")));
                } catch (IOException | RuntimeException e) {
                    // a crashed or closed page has nothing to show; the test's own failure is what matters
                }
            }
        }
    }
}
