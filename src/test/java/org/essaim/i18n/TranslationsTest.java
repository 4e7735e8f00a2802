package org.essaim.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The language bundles: every language has every key, quotes follow MessageFormat's rule, lookups fall back. */
class TranslationsTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d+\\}");

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
    }
}
