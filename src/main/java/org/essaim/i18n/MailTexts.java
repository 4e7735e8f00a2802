package org.essaim.i18n;

import java.io.UnsupportedEncodingException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.mail.internet.MimeUtility;

/**
 * The words of mail the server writes itself (notices to admins and members), from the same bundles as the pages
 * (keys {@code mail.notice.*}): in the recipient's language when it is known (chosen in My account), otherwise in
 * every language offered, English first, so nobody gets a notice they cannot read.
 */
public final class MailTexts {
    private static final String BETWEEN_LANGUAGES = "\r\n\r\n---\r\n\r\n";

    private MailTexts() {
    }

    /** A subject ready for a header line (RFC 2047 encoded when not ASCII); languages joined by " / ". */
    public static String subject(Optional<Locale> language, String key, Object... params) {
        return subject(language, locale -> text(locale, key, params));
    }

    /** A subject put together per language. */
    public static String subject(Optional<Locale> language, Function<Locale, String> inLanguage) {
        try {
            return MimeUtility.encodeText(languages(language).stream().map(inLanguage).distinct().collect(Collectors.joining(" / ")),
                    "UTF-8", "Q");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A body text with CRLF line ends; languages separated by a line "---". */
    public static String body(Optional<Locale> language, String key, Object... params) {
        return body(language, locale -> text(locale, key, params));
    }

    /** A body put together per language (several texts of the bundles in the same language). */
    public static String body(Optional<Locale> language, Function<Locale, String> inLanguage) {
        return languages(language).stream().map(inLanguage).distinct().collect(Collectors.joining(BETWEEN_LANGUAGES))
                .replace("\r\n", "\n").replace("\n", "\r\n");
    }

    /** One text of the bundles in one language. */
    public static String text(Locale locale, String key, Object... params) {
        return Translations.shared().getTranslation(key, locale, params);
    }

    private static List<Locale> languages(Optional<Locale> language) {
        Translations translations = Translations.shared();
        if (language.isPresent()) {
            return List.of(translations.supported(language.get()));
        }
        return translations.getProvidedLocales().stream()
                .sorted((a, b) -> Boolean.compare(!Locale.ENGLISH.equals(a), !Locale.ENGLISH.equals(b))).toList();
    }
}
