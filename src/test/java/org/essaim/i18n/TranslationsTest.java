package org.essaim.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The language bundles: every language has every key, every key the code asks for exists, pages show no fixed
 * English, quotes follow MessageFormat's rule, lookups fall back.
 */
class TranslationsTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d+\\}");
    /** getTranslation("key") in views, Translations.forCurrentPage("key") below them (keys built at run time are not checked), and a view's title key. */
    private static final Pattern JAVA_KEY = Pattern.compile("(?:getTranslation|forCurrentPage)\\(\\s*\"([\\w.-]+)\"\\s*[,)]|return \"(title\\.\\w+)\";");
    /**
     * Keys handed around as data and looked up later (the DNS page's "Why" of each record, the texts of the mail
     * the server writes, the texts of its SMTP replies): any string literal with one of these prefixes must be a key of the bundles (a literal
     * ending in "." is the start of a key built at run time: MailTextsTest checks those).
     */
    private static final Pattern KEY_AS_DATA = Pattern.compile("\"((?:dns\\.why|mail\\.notice|smtp\\.reply)\\.[\\w.-]*\\w)\"");
    /**
     * t('key' in the browser elements, and userError('key' in the crypto worker (errors the page translates): keys
     * js.* in the bundles.
     */
    private static final Pattern JS_KEY = Pattern.compile("\\b(?:t|userError)\\(\\s*'([\\w.-]+)'\\s*[,)]");
    /**
     * A text written into a page in Java instead of taken from the bundles: a literal sentence or capitalised word
     * handed to a component's constructor or to a setter of visible text.
     */
    private static final Pattern FIXED_TEXT = Pattern.compile(
            "new (?:H[1-6]|Paragraph|Span|Button|TextField|PasswordField|EmailField|TextArea|Checkbox|NativeLabel"
                    + "|Details|ComboBox|Select|IntegerField|NumberField|SideNavItem|Tab|Div)\\(\"([A-Z][^\"]*)\""
                    + "|\\.(?:setHeader|setText|setLabel|setPlaceholder|setHelperText|setErrorMessage|setConfirmText"
                    + "|setCancelText|setRejectText|setHeaderTitle|setTooltipText|setAriaLabel)\\(\"([A-Z][^\"]*)\""
                    + "|new Anchor\\(\"[^\"]*\", \"([A-Z][^\"]*)\"|Notification\\.show\\(\"([A-Z][^\"]*)\""
                    + "|@PageTitle\\(\"([^\"]*)\"");
    /** Literals FIXED_TEXT may meet that are not words for people: the product's name, HTTP header names. */
    private static final Pattern NOT_WORDS = Pattern.compile("Essaim|[A-Za-z]+(-[A-Za-z0-9]+)+");

    private static Properties bundle(String name) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = TranslationsTest.class.getResourceAsStream("/i18n/" + name)) {
            properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }

    @Test
    void frenchHasExactlyTheEnglishKeysAndEveryTextFollowsTheQuoteRule() throws IOException {
        Properties english = bundle("messages.properties");
        Properties french = bundle("messages_fr.properties");
        assertThat(french.stringPropertyNames()).isEqualTo(english.stringPropertyNames());
        for (Properties texts : new Properties[] {english, french}) {
            for (String key : texts.stringPropertyNames()) {
                String text = texts.getProperty(key);
                assertThat(text).as(key).isNotBlank();
                if (!key.startsWith("js.") && !PLACEHOLDER.matcher(text).find()) {
                    assertThat(text).as("%s has no {0}: a quote is written once", key).doesNotContain("''");
                }
                if (PLACEHOLDER.matcher(text).find()) {
                    assertThat(text.replace("''", "")).as("%s has a {0}: a quote is written ''", key).doesNotContain("'");
                }
            }
        }
    }

    @Test
    void theLanguagesOfferedAreTheFilesFoundAndLookupsFallBackToEnglish() {
        Translations translations = new Translations();
        assertThat(translations.getProvidedLocales()).contains(Locale.ENGLISH, Locale.FRENCH);
        assertThat(translations.supported(Locale.forLanguageTag("fr-CA"))).isEqualTo(Locale.FRENCH);
        assertThat(translations.supported(Locale.forLanguageTag("de-DE"))).isEqualTo(Locale.ENGLISH);
        assertThat(translations.getTranslation("folder.INBOX", Locale.FRENCH)).isEqualTo("Boîte de réception");
        assertThat(translations.getTranslation("mailbox.noSuchFolder", Locale.FRENCH, "Projets")).isEqualTo("Il n'y a pas de dossier nommé « Projets ».");
        assertThat(translations.getTranslation("folder.INBOX", Locale.GERMAN)).isEqualTo("Inbox");
        assertThat(translations.getTranslation("no.such.key", Locale.FRENCH)).isEqualTo("no.such.key");
        assertThat(translations.browserStrings(Locale.FRENCH)).containsEntry("search.placeholder", "Rechercher")
                .doesNotContainKey("folder.INBOX");
        assertThat(translations.getTranslation("password.tooShort", Locale.FRENCH, 10))
                .isEqualTo("Le mot de passe doit compter au moins 10 caractères.");
        assertThat(Translations.forCurrentPage("password.tooShort", 10)).as("outside a page: English")
                .isEqualTo("The password needs at least 10 characters.");
    }

    @Test
    void everyKeyTheCodeAsksForIsInTheBundles() throws IOException {
        Properties english = bundle("messages.properties");
        List<String> missing = new ArrayList<>();
        for (Path file : sources(Path.of("src/main/java"), ".java")) {
            String source = Files.readString(file);
            Matcher m = JAVA_KEY.matcher(source);
            while (m.find()) {
                String key = m.group(1) != null ? m.group(1) : m.group(2);
                if (!english.containsKey(key)) {
                    missing.add(file.getFileName() + ": " + key);
                }
            }
            Matcher data = KEY_AS_DATA.matcher(source);
            while (data.find()) {
                if (!english.containsKey(data.group(1))) {
                    missing.add(file.getFileName() + ": " + data.group(1));
                }
            }
        }
        for (Path file : sources(Path.of("frontend"), ".js")) {
            if (file.toString().endsWith(".test.js")) {
                continue;
            }
            Matcher m = JS_KEY.matcher(Files.readString(file));
            while (m.find()) {
                if (!english.containsKey("js." + m.group(1))) {
                    missing.add(file.getFileName() + ": js." + m.group(1));
                }
            }
        }
        assertThat(missing).as("keys used in the code but missing in messages.properties").isEmpty();
    }

    @Test
    void pagesAndTitlesTakeTheirWordsFromTheBundles() throws IOException {
        List<String> fixed = new ArrayList<>();
        for (Path file : sources(Path.of("src/main/java"), ".java")) {
            Matcher m = FIXED_TEXT.matcher(Files.readString(file));
            while (m.find()) {
                for (int group = 1; group <= m.groupCount(); group++) {
                    String text = m.group(group);
                    if (text != null && !NOT_WORDS.matcher(text).matches()) {
                        fixed.add(file.getFileName() + ": \"" + text + "\"");
                    }
                }
            }
        }
        assertThat(fixed).as("visible text written in Java instead of a key of messages.properties").isEmpty();
    }

    private static List<Path> sources(Path root, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
