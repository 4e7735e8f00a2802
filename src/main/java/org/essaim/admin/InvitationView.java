package org.essaim.admin;

import java.util.Map;

import org.essaim.accounts.PasswordPolicy;
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
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

/**
 * The page behind an invitation link: the invited person sees their address and picks their own password;
 * the account is created and the link dies. A wrong, used or expired link shows a message and no form.
 * Afterwards they log in and set up their key (the Keys page).
 */
@Route(value = "invite/:token", autoLayout = false)
@PageTitle("Invitation · Essaim")
@AnonymousAllowed
public class InvitationView extends VerticalLayout implements BeforeEnterObserver {
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
        add(new H1("Welcome to Essaim"));
        invitations.find(token).ifPresentOrElse(this::showForm, this::showInvalidLink);
    }

    private void showInvalidLink() {
        removeAll();
        add(new H1("Welcome to Essaim"));
        Paragraph message = new Paragraph("This invitation link does not work: it is wrong, it was already used, "
                + "or it has expired. Ask an admin of this server for a new one. If you already created your "
                + "account with it, log in.");
        message.setId("invite-invalid");
        add(message, new Anchor("login", "Go to the login page"));
    }

    private void showForm(Invitations.Invitation invitation) {
        Paragraph intro = new Paragraph("You are invited to the mail account " + invitation.address()
                + ". Choose its password: only you will know it (admins cannot see it or your mail). "
                + "This link works once.");
        intro.setId("invite-intro");
        PasswordField password = new PasswordField("Password");
        password.setId("invite-password");
        password.setHelperText("At least " + PasswordPolicy.MIN_LENGTH + " characters, not a common one. "
                + "A few unrelated words make a good one.");
        password.setWidthFull();
        PasswordField repeated = new PasswordField("Repeat the password");
        repeated.setId("invite-repeat");
        repeated.setWidthFull();
        password.setManualValidation(true);
        repeated.setManualValidation(true);
        Paragraph failure = new Paragraph();
        failure.setId("invite-error");
        failure.setVisible(false);
        failure.getStyle().set("color", "var(--lumo-error-text-color)");
        Button accept = new Button("Create my account");
        accept.setId("invite-accept");
        accept.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        accept.addClickShortcut(Key.ENTER);
        accept.addClickListener(click -> {
            repeated.setInvalid(false);
            failure.setVisible(false);
            if (!password.getValue().equals(repeated.getValue())) {
                repeated.setErrorMessage("The two passwords differ.");
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
                failure.setText("The account could not be created: " + e.getMessage());
                failure.setVisible(true);
            }
        });
        add(intro, password, repeated, failure, accept);
    }
}
