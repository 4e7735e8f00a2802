package org.essaim.webmail;

import java.util.Locale;

/** Sizes as people read them: 512 B, 4.2 KB, 1.3 MB, 2.0 GB. */
public final class MessageSizes {
    private MessageSizes() {
    }

    public static String human(long bytes) {
        if (bytes < 0) {
            return "";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
        }
        return String.format(Locale.ROOT, "%.1f GB", bytes / (1024.0 * 1024.0 * 1024.0));
    }
}
