package org.essaim.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.microsoft.playwright.Page;

/**
 * Saves what a test's page shows, for docs/screenshots, when the build is run with
 * {@code -Dessaim.screenshots=docs/screenshots}; does nothing otherwise.
 */
public final class Screenshots {
    private Screenshots() {
    }

    public static void save(Page page, String name) {
        String dir = System.getProperty("essaim.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Path target = Path.of(dir).toAbsolutePath().resolve(name);
            Files.createDirectories(target.getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(target).setFullPage(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
