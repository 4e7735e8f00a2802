package org.essaim.accounts;

import java.util.Optional;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.mailserver.MailServerException;
import org.essaim.portability.PortabilitySection;
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
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinResponse;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinServletResponse;
import com.vaadin.flow.spring.security.AuthenticationContext;

import jakarta.annotation.security.PermitAll;

/** A member's own account: storage used against the quota, and a password change (current password required). */
@Route(value = "account", layout = MainLayout.class)
@PageTitle("My account · Essaim")
@PermitAll
public class AccountView extends VerticalLayout {
    private final MailServerBridge mailServer;
    private final PasswordPolicy passwordPolicy;
    private final String address;
    private final StorageBar storage = new StorageBar();

    public AccountView(MailServerBridge mailServer, PasswordPolicy passwordPolicy, AuthenticationContext authentication,
                       PortabilitySection portability) {
        this.mailServer = mailServer;
        this.passwordPolicy = passwordPolicy;
        this.address = authentication.getPrincipalName().orElseThrow();
        setMaxWidth("40rem");
        H2 title = new H2("My account");
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
        add(title, who, new H3("Storage"), storage, new H3("Change my password"), passwordForm(),
                portability.forAccount(address));
    }

    private VerticalLayout passwordForm() {
        PasswordField current = new PasswordField("Current password");
        current.setId("current-password");
        PasswordField chosen = new PasswordField("New password");
        chosen.setId("new-password");
        chosen.setHelperText("At least " + PasswordPolicy.MIN_LENGTH + " characters, not a common one.");
        PasswordField repeated = new PasswordField("Repeat the new password");
        repeated.setId("repeat-password");
        for (PasswordField field : new PasswordField[] {current, chosen, repeated}) {
            field.setManualValidation(true);
            field.setWidthFull();
        }
        Paragraph result = new Paragraph();
        result.setId("password-result");
        result.setVisible(false);
        Button change = new Button("Change password");
        change.setId("change-password");
        change.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        change.addClickListener(click -> {
            result.setVisible(false);
            boolean valid = show(chosen, passwordPolicy.problemWith(chosen.getValue(), address))
                    & show(repeated, chosen.getValue().equals(repeated.getValue()) ? Optional.empty()
                            : Optional.of("The two new passwords differ."));
            show(current, Optional.empty());
            if (!valid) {
                return;
            }
            if (!mailServer.changePassword(address, current.getValue(), chosen.getValue())) {
                show(current, Optional.of("This is not your current password."));
                return;
            }
            keepSessionWorking(chosen.getValue());
            current.clear();
            chosen.clear();
            repeated.clear();
            result.setText("Your password is changed, for the webmail and your mail programs alike.");
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
}
