package org.essaim.i18n;

import java.util.Locale;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinServiceInitListener;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Chooses the language of every new page: the user's choice from My account, else the browser's preferred
 * language when Essaim has it, else English. The page's {@code <html lang>} follows, so the browser elements
 * (frontend/i18n/essaim-i18n.js) and the browser's own date formats use it too.
 */
@Component
class LanguageOfEachPage implements VaadinServiceInitListener {
    private final Translations translations;
    private final LanguagePreferences preferences;

    LanguageOfEachPage(Translations translations, LanguagePreferences preferences) {
        this.translations = translations;
        this.preferences = preferences;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> {
            UI ui = init.getUI();
            VaadinRequest request = VaadinRequest.getCurrent();
            Locale browser = request == null ? null : request.getLocale();
            Authentication user = SecurityContextHolder.getContext().getAuthentication();
            Locale chosen = user == null || !user.isAuthenticated() ? null : preferences.of(user.getName()).orElse(null);
            Locale locale = translations.supported(chosen != null ? chosen : browser);
            ui.setLocale(locale);
            ui.getElement().executeJs("document.documentElement.lang = $0", locale.toLanguageTag());
        });
    }
}
