package org.essaim.i18n;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.i18n.I18NProvider;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Essaim's words in each language: the bundles {@code src/main/resources/i18n/messages_<language>.properties}
 * (UTF-8; {@code messages.properties} is English and the fallback for any missing key). Vaadin views read them
 * through {@code getTranslation(key, ...)}; the browser elements get the keys starting with {@code js.} (see
 * {@link #browserStrings}). Adding a language is adding a file: the languages offered are the files found.
 */
@Component
public class Translations implements I18NProvider {
    public static final String BUNDLE = "i18n.messages";
    private static final Pattern FILE = Pattern.compile("messages_([a-zA-Z]{2,3}(?:_[A-Za-z0-9]+)?)\\.properties$");

    private final List<Locale> languages;

    public Translations() {
        List<Locale> found = new ArrayList<>();
        found.add(Locale.ENGLISH);
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:i18n/messages_*.properties")) {
                Matcher m = FILE.matcher(String.valueOf(resource.getFilename()));
                if (m.find()) {
                    Locale locale = Locale.forLanguageTag(m.group(1).replace('_', '-'));
                    if (!found.contains(locale)) {
                        found.add(locale);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the translation bundles", e);
        }
        languages = Collections.unmodifiableList(found);
    }

    @Override
    public List<Locale> getProvidedLocales() {
        return languages;
    }

    /** The language offered that best matches a locale (its language), English when none does. */
    public Locale supported(Locale wanted) {
        if (wanted == null) {
            return Locale.ENGLISH;
        }
        return languages.stream().filter(l -> l.getLanguage().equals(wanted.getLanguage())).findFirst().orElse(Locale.ENGLISH);
    }

    @Override
    public String getTranslation(String key, Locale locale, Object... params) {
        String pattern;
        try {
            pattern = bundle(locale).getString(key);
        } catch (MissingResourceException e) {
            return key; // visible, so a missing translation is noticed, and never an exception in a view
        }
        return params == null || params.length == 0 ? pattern : new MessageFormat(pattern, supported(locale)).format(params);
    }

    /** The strings of the browser elements (keys {@code js.*}, without the prefix) in a language, English filling gaps. */
    public Map<String, String> browserStrings(Locale locale) {
        ResourceBundle bundle = bundle(locale);
        Map<String, String> strings = new LinkedHashMap<>();
        for (String key : Collections.list(bundle.getKeys())) {
            if (key.startsWith("js.")) {
                strings.put(key.substring(3), bundle.getString(key));
            }
        }
        return strings;
    }

    /**
     * A text in the language of the page being served, English outside a page (a REST call, the command line): for
     * refusals decided below the views (password rules, folder names) that a view shows as they come.
     */
    public static String forCurrentPage(String key, Object... params) {
        UI ui = UI.getCurrent();
        Locale locale = ui == null || ui.getLocale() == null ? Locale.ENGLISH : ui.getLocale();
        return Shared.INSTANCE.getTranslation(key, locale, params);
    }

    /** The one shared instance (the files found do not change while the server runs). */
    static Translations shared() {
        return Shared.INSTANCE;
    }

    /** One instance for {@link #forCurrentPage}: the files found do not change while the server runs. */
    private static final class Shared {
        static final Translations INSTANCE = new Translations();
    }

    private ResourceBundle bundle(Locale locale) {
        // Java reads .properties bundles as UTF-8 (JDK 9+); the root bundle (English) fills missing keys.
        return ResourceBundle.getBundle(BUNDLE, supported(locale), ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }
}
