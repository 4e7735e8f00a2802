package org.essaim.webmail;

import java.util.Locale;

/** Sizes as people read them: 512 B, 4.2 KB, 1.3 MB, 2.0 GB. */
public final class MessageSizes {
    private MessageSizes() {
    }

    /** In a language's units and number format: 4,2 Ko in French (bundle key size.units). */
    public static String human(long bytes, Locale locale) {
        if (bytes < 0) {
            return "";
        }
        String[] units = {"B", "KB", "MB", "GB"};
        com.vaadin.flow.component.UI ui = com.vaadin.flow.component.UI.getCurrent();
        if (ui != null) {
            String[] translated = ui.getTranslation(locale, "size.units").split(",");
            if (translated.length == 4) {
                units = translated;
            }
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " " + units[0] : String.format(locale, "%.1f %s", value, units[unit]);
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
