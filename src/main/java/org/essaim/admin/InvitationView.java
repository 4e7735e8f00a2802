package org.essaim.admin;

import java.util.Map;

import org.essaim.accounts.PasswordPolicy;
import org.essaim.i18n.TranslatedTitle;
import org.essaim.mailserver.MailServerException;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

/**
 * The page behind an invitation link: the invited person sees their address and picks their own password;
 * the account is created and the link dies. A wrong, used or expired link shows a message and no form.
 * Afterwards they log in and set up their key (the Keys page).
 */
@Route(value = "invite/:token", autoLayout = false)
@AnonymousAllowed
public class InvitationView extends VerticalLayout implements BeforeEnterObserver, TranslatedTitle {
    private final Invitations invitations;
    private String token;

    public InvitationView(Invitations invitations) {
        this.invitations = invitations;
        setMaxWidth("32rem");
        getStyle().set("margin", "0 auto");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        token = event.getRouteParameters().get("token").orElse(null);
        removeAll();
        add(new H1(getTranslation("welcome.title")));
        invitations.find(token).ifPresentOrElse(this::showForm, this::showInvalidLink);
    }

    private void showInvalidLink() {
        removeAll();
        add(new H1(getTranslation("welcome.title")));
        Paragraph message = new Paragraph(getTranslation("invitation.invalid"));
        message.setId("invite-invalid");
        add(message, new Anchor("login", getTranslation("welcome.toLogin")));
    }

    private void showForm(Invitations.Invitation invitation) {
        Paragraph intro = new Paragraph(getTranslation("invitation.intro", invitation.address()));
        intro.setId("invite-intro");
        PasswordField password = new PasswordField(getTranslation("welcome.password"));
        password.setId("invite-password");
        password.setHelperText(getTranslation("invitation.passwordHelp", PasswordPolicy.MIN_LENGTH));
        password.setWidthFull();
        PasswordField repeated = new PasswordField(getTranslation("welcome.repeat"));
        repeated.setId("invite-repeat");
        repeated.setWidthFull();
        password.setManualValidation(true);
        repeated.setManualValidation(true);
        Paragraph failure = new Paragraph();
        failure.setId("invite-error");
        failure.setVisible(false);
        failure.getStyle().set("color", "var(--lumo-error-text-color)");
        Button accept = new Button(getTranslation("invitation.create"));
        accept.setId("invite-accept");
        accept.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        accept.addClickShortcut(Key.ENTER);
        accept.addClickListener(click -> {
            repeated.setInvalid(false);
            failure.setVisible(false);
            if (!password.getValue().equals(repeated.getValue())) {
                repeated.setErrorMessage(getTranslation("welcome.passwordsDiffer"));
                repeated.setInvalid(true);
                return;
            }
            try {
                String address = invitations.accept(token, password.getValue());
                getUI().ifPresent(ui -> ui.navigate("login", QueryParameters.simple(Map.of("invited", "", "address", address))));
            } catch (AdminActionException e) {
                if (invitations.find(token).isEmpty()) {
                    showInvalidLink();
                } else {
                    failure.setText(e.getMessage());
                    failure.setVisible(true);
                }
            } catch (MailServerException e) {
                failure.setText(getTranslation("welcome.notCreated", e.getMessage()));
                failure.setVisible(true);
            }
        });
        add(intro, password, repeated, failure, accept);
    }

    @Override
    public String titleKey() {
        return "title.invitation";
    }
}
