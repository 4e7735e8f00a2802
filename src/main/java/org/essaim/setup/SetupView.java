package org.essaim.setup;

import java.util.Locale;
import java.util.Optional;

import org.essaim.accounts.PasswordPolicy;
import org.essaim.config.EssaimProperties;
import org.essaim.i18n.TranslatedTitle;
import org.essaim.mailserver.MailServerException;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

/**
 * The one-time first-run page at the URL printed on the console: creates the first admin account, after
 * which the link is dead. A wrong or used link shows a message and no form.
 */
@Route(value = "setup/:token", autoLayout = false)
@AnonymousAllowed
public class SetupView extends VerticalLayout implements BeforeEnterObserver, TranslatedTitle {
    private final FirstRunSetup setup;
    private final EssaimProperties settings;
    private String token;

    private final PasswordPolicy passwordPolicy;

    public SetupView(FirstRunSetup setup, EssaimProperties settings, PasswordPolicy passwordPolicy) {
        this.setup = setup;
        this.passwordPolicy = passwordPolicy;
        this.settings = settings;
        setMaxWidth("32rem");
        getStyle().set("margin", "0 auto");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        token = event.getRouteParameters().get("token").orElse(null);
        removeAll();
        add(new H1(getTranslation("welcome.title")));
        if (setup.acceptsToken(token)) {
            showForm();
        } else {
            showInvalidLink();
        }
    }

    private void showInvalidLink() {
        Paragraph message = new Paragraph(getTranslation("setup.invalid"));
        message.setId("setup-invalid");
        add(message, new Anchor("login", getTranslation("welcome.toLogin")));
    }

    private void showForm() {
        add(new Paragraph(getTranslation("setup.intro", settings.domain())));
        EmailField address = new EmailField(getTranslation("setup.address"));
        address.setId("setup-address");
        address.setPlaceholder("admin@" + settings.domain());
        address.setWidthFull();
        PasswordField password = new PasswordField(getTranslation("welcome.password"));
        password.setId("setup-password");
        password.setHelperText(getTranslation("setup.passwordHelp", PasswordPolicy.MIN_LENGTH));
        password.setWidthFull();
        PasswordField repeated = new PasswordField(getTranslation("welcome.repeat"));
        repeated.setId("setup-repeat");
        repeated.setWidthFull();
        // The server's rules decide (FirstAdminInput); the fields' own browser-side checks would fight them.
        address.setManualValidation(true);
        password.setManualValidation(true);
        repeated.setManualValidation(true);
        Button create = new Button(getTranslation("setup.create"));
        create.setId("setup-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.addClickShortcut(Key.ENTER);
        Paragraph failure = new Paragraph();
        failure.setId("setup-error");
        failure.setVisible(false);
        failure.getStyle().set("color", "var(--lumo-error-text-color)");
        create.addClickListener(click -> {
            boolean valid = show(address, FirstAdminInput.problemWithAddress(address.getValue()))
                    & show(password, passwordPolicy.problemWith(password.getValue(), address.getValue()))
                    & show(repeated, FirstAdminInput.problemWithRepetition(password.getValue(), repeated.getValue()));
            if (!valid) {
                return;
            }
            String admin = address.getValue().trim().toLowerCase(Locale.ROOT);
            try {
                setup.createFirstAdmin(token, admin, password.getValue());
                showDone(admin);
            } catch (IllegalStateException used) {
                removeAll();
                add(new H1(getTranslation("welcome.title")));
                showInvalidLink();
            } catch (MailServerException e) {
                failure.setText(getTranslation("welcome.notCreated", e.getMessage()));
                failure.setVisible(true);
            }
        });
        add(address, password, repeated, failure, create);
    }

    private void showDone(String admin) {
        removeAll();
        add(new H1(getTranslation("setup.ready")));
        Paragraph done = new Paragraph(getTranslation("setup.done", admin));
        done.setId("setup-done");
        add(done, new Anchor("login", getTranslation("title.login")));
    }

    /** Marks the field invalid with the message, or valid; returns whether it is valid. */
    private static boolean show(HasValidation field, Optional<String> problem) {
        field.setErrorMessage(problem.orElse(null));
        field.setInvalid(problem.isPresent());
        return problem.isEmpty();
    }

    @Override
    public String titleKey() {
        return "title.setup";
    }
}
