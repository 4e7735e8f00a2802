package org.essaim.accounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import org.essaim.i18n.LanguagePreferences;
import org.essaim.i18n.TranslatedTitle;
import org.essaim.i18n.Translations;

import java.util.Optional;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.mailserver.MailServerException;
import org.essaim.portability.PortabilitySection;
import org.essaim.spam.JudgedSenders;
import org.essaim.spam.SenderReputation;
import org.essaim.webmail.MainLayout;
import org.essaim.webmail.StorageBar;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinResponse;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinServletResponse;
import com.vaadin.flow.spring.security.AuthenticationContext;

import jakarta.annotation.security.PermitAll;

/**
 * A member's own account: storage used against the quota, language, notifications, a password change (current
 * password required), and the senders they judged with Spam / Not spam.
 */
@Route(value = "account", layout = MainLayout.class)
@PermitAll
@com.vaadin.flow.component.dependency.JsModule("./webmail/essaim-notifications.js")
public class AccountView extends VerticalLayout implements TranslatedTitle {
    private final MailServerBridge mailServer;
    private final PasswordPolicy passwordPolicy;
    private final String address;
    private final StorageBar storage = new StorageBar();

    public AccountView(MailServerBridge mailServer, PasswordPolicy passwordPolicy, AuthenticationContext authentication,
            Translations translations, LanguagePreferences languages, PortabilitySection portability,
            SenderReputation reputation) {
        this.mailServer = mailServer;
        this.passwordPolicy = passwordPolicy;
        this.address = authentication.getPrincipalName().orElseThrow();
        setMaxWidth("40rem");
        H2 title = new H2(getTranslation("account.title"));
        title.getStyle().set("margin", "0");
        Paragraph who = new Paragraph(address);
        who.setId("account-address");
        storage.setId("account-storage");
        storage.setWidthFull();
        try {
            storage.show(mailServer.storageUsage(address));
        } catch (MailServerException e) {
            storage.setVisible(false);
        }
        add(title, who, new H3(getTranslation("account.storage")), storage, new H3(getTranslation("language.label")),
                languageChoice(translations, languages), new H3(getTranslation("account.notifications")),
                notificationSetting(), new H3(getTranslation("account.changePassword")), passwordForm(),
                portability.forAccount(address), new H3(getTranslation("spam.judged.title")),
                new JudgedSenders(reputation, address));
    }

    private VerticalLayout passwordForm() {
        PasswordField current = new PasswordField(getTranslation("account.currentPassword"));
        current.setId("current-password");
        PasswordField chosen = new PasswordField(getTranslation("account.newPassword"));
        chosen.setId("new-password");
        chosen.setHelperText(getTranslation("account.newPasswordHelp", PasswordPolicy.MIN_LENGTH));
        PasswordField repeated = new PasswordField(getTranslation("account.repeatPassword"));
        repeated.setId("repeat-password");
        for (PasswordField field : new PasswordField[] {current, chosen, repeated}) {
            field.setManualValidation(true);
            field.setWidthFull();
        }
        Paragraph result = new Paragraph();
        result.setId("password-result");
        result.setVisible(false);
        Button change = new Button(getTranslation("account.changePasswordButton"));
        change.setId("change-password");
        change.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        change.addClickListener(click -> {
            result.setVisible(false);
            boolean valid = show(chosen, passwordPolicy.problemWith(chosen.getValue(), address))
                    & show(repeated, chosen.getValue().equals(repeated.getValue()) ? Optional.empty()
                            : Optional.of(getTranslation("account.passwordsDiffer")));
            show(current, Optional.empty());
            if (!valid) {
                return;
            }
            if (!mailServer.changePassword(address, current.getValue(), chosen.getValue())) {
                show(current, Optional.of(getTranslation("account.wrongPassword")));
                return;
            }
            keepSessionWorking(chosen.getValue());
            current.clear();
            chosen.clear();
            repeated.clear();
            result.setText(getTranslation("account.passwordChanged"));
            result.getStyle().set("color", "var(--lumo-success-text-color)");
            result.setVisible(true);
        });
        VerticalLayout form = new VerticalLayout(current, chosen, repeated, result, change);
        form.setPadding(false);
        return form;
    }

    /**
     * The webmail opens IMAP with the password kept in this session's authentication: it must be the new one
     * from now on. The session's security context is replaced (in server memory only).
     */
    private static void keepSessionWorking(String newPassword) {
        Authentication old = SecurityContextHolder.getContext().getAuthentication();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(old.getPrincipal(), newPassword, old.getAuthorities()));
        SecurityContextHolder.setContext(context);
        VaadinServletRequest request = VaadinServletRequest.getCurrent();
        if (request != null && VaadinResponse.getCurrent() instanceof VaadinServletResponse response) {
            new HttpSessionSecurityContextRepository().saveContext(context, request.getHttpServletRequest(), response.getHttpServletResponse());
        }
    }

    private static boolean show(HasValidation field, Optional<String> problem) {
        field.setErrorMessage(problem.orElse(null));
        field.setInvalid(problem.isPresent());
        return problem.isEmpty();
    }

    /**
     * The language of the pages: the browser's (the default) or one Essaim has a bundle for. Saved for the account,
     * then the page reloads in it.
     */
    private RadioButtonGroup<Optional<Locale>> languageChoice(Translations translations, LanguagePreferences languages) {
        RadioButtonGroup<Optional<Locale>> choice = new RadioButtonGroup<>();
        choice.setId("language-choice");
        List<Optional<Locale>> options = new ArrayList<>();
        options.add(Optional.empty());
        translations.getProvidedLocales().forEach(locale -> options.add(Optional.of(locale)));
        choice.setItems(options);
        // Each language is named in itself, so a person lost in a foreign page still finds theirs.
        choice.setItemLabelGenerator(option -> option.map(locale -> translations.getTranslation("language.name", locale))
                .orElse(getTranslation("language.browser")));
        choice.setValue(languages.of(address).map(translations::supported));
        choice.addValueChangeListener(change -> {
            if (!change.isFromClient()) {
                return;
            }
            languages.choose(address, change.getValue().orElse(null));
            UI.getCurrent().getPage().reload();
        });
        return choice;
    }

    /** The browser's own switch (frontend/webmail/essaim-notifications.js): the choice stays in the browser. */
    private static com.vaadin.flow.component.html.Div notificationSetting() {
        com.vaadin.flow.component.html.Div holder = new com.vaadin.flow.component.html.Div();
        holder.getElement().appendChild(new com.vaadin.flow.dom.Element("essaim-notify-setting"));
        return holder;
    }

    @Override
    public String titleKey() {
        return "title.account";
    }
}
