package org.essaim.i18n;

import java.io.UnsupportedEncodingException;
import java.text.Normalizer;
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

    /**
     * The text of an SMTP reply after its code: the enhanced status, then the words (keys {@code smtp.reply.*}) in
     * every language offered, English first, joined by " / ". The reply goes to the sending server and ends up quoted
     * in a bounce to a person whose language nobody here knows, hence all of them. SMTP replies are ASCII (RFC 5321
     * section 4.2; only SMTPUTF8 sessions may carry UTF-8, and a reply cannot know what the bounce's reader will do
     * with it), so each text is written without its accents ("ecrivez a" for "écrivez à"): still read without fault
     * by a French reader, where raw UTF-8 could turn into mojibake. A language that would make the line longer than
     * one reply line may be (512 octets with the code and CRLF, RFC 5321 section 4.5.3.1.5) is left out; English
     * always stays.
     *
     * @param status the enhanced status code, e.g. {@code 5.7.1}
     */
    public static String smtpReply(String status, String key, Object... params) {
        int room = 512 - "550 ".length() - status.length() - 1 - "\r\n".length();
        StringBuilder line = new StringBuilder();
        for (Locale locale : languages(Optional.empty())) {
            String text = ascii(text(locale, key, params));
            if (line.isEmpty()) {
                line.append(text);
            } else if (line.length() + 3 + text.length() <= room) {
                line.append(" / ").append(text);
            }
        }
        return status + " " + line;
    }

    /** Letters without their accents, typographic quotes and spaces as ASCII ones, anything else left as "?". */
    static String ascii(String text) {
        String plain = text.replace("\u2019", "'").replace("\u00ab", "\"").replace("\u00bb", "\"")
                .replace("\u00a0", " ").replace("\u202f", " ").replace("\u0153", "oe").replace("\u0152", "OE")
                .replace("\u00e6", "ae").replace("\u00c6", "AE");
        return Normalizer.normalize(plain, Normalizer.Form.NFD).replaceAll("\\p{M}", "").replaceAll("[^\\x20-\\x7e]", "?");
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
