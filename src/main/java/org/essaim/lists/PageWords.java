package org.essaim.lists;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.essaim.i18n.Translations;

/**
 * The words of one public list page (plain HTML, not Vaadin), from the same bundles as the webmail, in the language
 * the request's Accept-Language prefers among those offered; English without the header (never the server's own
 * default locale). Texts of the bundles are trusted markup-free words; the values put into them are escaped by the
 * caller ({@link Html#text}).
 */
record PageWords(Translations translations, Locale language) {
    static PageWords of(Translations translations, HttpServletRequest request) {
        Locale wanted = request.getHeader("Accept-Language") == null ? Locale.ENGLISH : request.getLocale();
        return new PageWords(translations, translations.supported(wanted));
    }

    /** Named as in Vaadin's views, so that TranslationsTest checks every key these pages ask for. */
    String getTranslation(String key, Object... params) {
        return translations.getTranslation(key, language, params);
    }

    String page(String title, String body) {
        return Html.page(language, title, body);
    }
}
