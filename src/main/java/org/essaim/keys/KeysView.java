package org.essaim.keys;

import org.essaim.i18n.TranslatedTitle;

import java.util.Locale;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/**
 * The key page: create or import the account's OpenPGP key, back it up, publish its public part, revoke it.
 * All of it happens in the browser element; this view only tells it whose keys to show and hears back the
 * public status. It gets MainLayout as the automatic layout, so this package does not depend on the webmail's.
 */
@Route("keys")
@PermitAll
public class KeysView extends VerticalLayout implements TranslatedTitle {

    private KeysElement.KeyStatus lastStatus;

    public KeysView() {
        add(new H2(getTranslation("keys.heading")));
        String account = currentAccount();
        if (account == null) {
            add(new Paragraph(getTranslation("keys.logIn")));
            return;
        }
        KeysElement keys = new KeysElement(account, suggestedName(account));
        keys.addKeyStatusListener(status -> lastStatus = status);
        add(keys);
    }

    /** The last (public) key status the browser reported, or null before the first report: all Java ever learns. */
    KeysElement.KeyStatus lastStatus() {
        return lastStatus;
    }

    private static String currentAccount() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || authentication instanceof AnonymousAuthenticationToken) {
            return null;
        }
        return authentication.getName().toLowerCase(Locale.ROOT);
    }

    /** "ada.lovelace@example.org" -> "Ada Lovelace": a prefill the user can change. */
    static String suggestedName(String account) {
        String local = account.substring(0, account.indexOf('@'));
        StringBuilder name = new StringBuilder();
        for (String part : local.split("[._-]+")) {
            if (part.isEmpty()) continue;
            if (name.length() > 0) name.append(' ');
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }

    @Override
    public String titleKey() {
        return "title.keys";
    }
}
