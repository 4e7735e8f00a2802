package org.essaim.lists;

import java.util.regex.Pattern;

import org.springframework.web.util.HtmlUtils;

/**
 * The little HTML the public list pages are made of. Every text goes through {@link #text}: escaped, and every
 * e-mail address written "name at domain", so that the archive gives address harvesters nothing.
 */
final class Html {
    private static final Pattern ADDRESS = Pattern.compile("([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)");

    private Html() {
    }

    static String text(String value) {
        return HtmlUtils.htmlEscape(obfuscate(value == null ? "" : value), "UTF-8");
    }

    static String obfuscate(String value) {
        return ADDRESS.matcher(value).replaceAll("$1 at $2");
    }

    /** An attribute value (URLs of this site only: they hold no address). */
    static String attribute(String value) {
        return HtmlUtils.htmlEscape(value, "UTF-8");
    }

    static String page(java.util.Locale language, String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"" + attribute(language.toLanguageTag()) + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"referrer\" content=\"no-referrer\">"
                + "<title>" + text(title) + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:1rem auto;padding:0 1rem;line-height:1.45}"
                + "pre{white-space:pre-wrap;word-wrap:break-word;background:#f6f6f6;padding:.75rem}"
                + "ul.thread ul{margin-left:1.25rem;border-left:2px solid #ddd;padding-left:.5rem}"
                + ".notice{background:#fff4d6;border:1px solid #e5c100;padding:.5rem .75rem}"
                + ".meta{color:#555;font-size:.9em}</style>"
                + "</head><body>\n" + body + "\n</body></html>\n";
    }
}
