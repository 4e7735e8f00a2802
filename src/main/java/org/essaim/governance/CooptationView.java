package org.essaim.governance;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.essaim.accounts.AccountRoles;
import org.essaim.admin.ActionSigner;
import org.essaim.admin.AdminAction;
import org.essaim.admin.ReadOnlyNotice;
import org.essaim.admin.SignedActions;
import org.essaim.keys.PublicKeyDirectory;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;

import jakarta.annotation.security.RolesAllowed;

/**
 * Co-optation by consensus, in the webmail (docs/audit.md): admins propose a member, consent, object, withdraw an
 * objection or a proposal, propose removing an admin, or resign. Every step is a statement signed in the admin's
 * browser ({@link ActionSigner}) and carried out by {@link Cooptation} through {@link SignedAdminActions}, so it is
 * in the public log. Spectators see the page read-only, proposals with who consented and who objected included.
 */
@Route("admin/cooptation")
@PageTitle("Co-optation · Essaim")
@RolesAllowed({AccountRoles.ADMIN, AccountRoles.SPECTATOR})
public class CooptationView extends VerticalLayout {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Cooptation cooptation;
    private final AccountRoles roles;
    private final String actor;
    private final boolean canAct;
    private final ActionSigner signer;
    private final Paragraph message = new Paragraph();
    private final Div content = new Div();

    public CooptationView(Cooptation cooptation, AccountRoles roles, SignedActions signedActions,
                          PublicKeyDirectory keys, AuthenticationContext authentication) {
        this.cooptation = cooptation;
        this.roles = roles;
        this.actor = authentication.getPrincipalName().orElseThrow();
        this.canAct = roles.isAdmin(actor);
        this.signer = canAct ? new ActionSigner(actor, signedActions, keys) : null;
        setWidthFull();
        H2 title = new H2("Co-optation");
        title.getStyle().set("margin", "0");
        message.setId("cooptation-message");
        message.setVisible(false);
        content.setWidthFull();
        add(title, new Paragraph("A member proposed as admin is a spectator first; they become admin when every "
                + "admin has consented and nobody objects. Removing an admin needs every other admin's consent."));
        add(canAct ? signer : ReadOnlyNotice.forSpectator(), message, content);
        show();
    }

    private void show() {
        content.removeAll();
        if (canAct) {
            content.add(proposeForm());
        }
        content.add(new H3("Open proposals"));
        var proposals = cooptation.proposals();
        if (proposals.isEmpty()) {
            content.add(new Paragraph("No open proposal."));
        }
        for (Cooptation.Proposal proposal : proposals) {
            content.add(proposalCard(proposal));
        }
        content.add(new H3("Admins"));
        for (String admin : roles.admins()) {
            content.add(adminLine(admin));
        }
    }

    private Component proposeForm() {
        TextField address = new TextField("Member to propose as admin");
        address.setId("propose-address");
        address.setWidth("22rem");
        Button propose = new Button("Propose", click -> {
            String member = address.getValue().trim().toLowerCase(Locale.ROOT);
            if (!member.contains("@")) {
                showProblem("Write the member's full e-mail address.");
                return;
            }
            act(new AdminAction.ProposeAdmin(member), member + " is proposed as admin.");
        });
        propose.setId("propose");
        propose.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(address, propose);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        return new Div(new H3("Propose a member"), form);
    }

    private Component proposalCard(Cooptation.Proposal proposal) {
        String who = proposal.address();
        boolean promotion = Cooptation.PROMOTION.equals(proposal.kind());
        Div card = new Div();
        card.addClassName("proposal");
        card.getElement().setAttribute("data-address", who);
        card.getStyle().set("padding", "var(--lumo-space-s) var(--lumo-space-m)").set("margin-bottom", "var(--lumo-space-s)")
                .set("border", "1px solid var(--lumo-contrast-10pct)").set("border-radius", "var(--lumo-border-radius-m)");
        card.add(new Div(new Span(who + (promotion ? " to become admin" : " to stop being admin")
                + ", proposed by " + proposal.proposedBy())));
        card.add(new Div(new Span("Consented: " + String.join(", ", proposal.consents()))));
        card.add(new Div(new Span("Objected: " + (proposal.objections().isEmpty() ? "nobody" : String.join(", ", proposal.objections())))));
        card.add(new Div(new Span("Consent missing: " + (proposal.missingConsents().isEmpty() ? "none" : String.join(", ", proposal.missingConsents())))));
        if (promotion) {
            card.add(new Div(new Span("Not before: " + TIME.format(proposal.promotableFrom()))));
        }
        if (canAct) {
            HorizontalLayout buttons = new HorizontalLayout();
            buttons.add(button("Consent", "Consent for " + who, new AdminAction.ConsentToAdmin(who), "You consented for " + who + "."));
            if (promotion && proposal.objections().contains(actor)) {
                buttons.add(button("Withdraw my objection", "Withdraw objection to " + who,
                        new AdminAction.WithdrawObjection(who), "Your objection to " + who + " is withdrawn."));
            } else if (promotion) {
                buttons.add(button("Object", "Object to " + who, new AdminAction.ObjectToAdmin(who), "You objected to " + who + "."));
            }
            buttons.add(button("Withdraw the proposal", "Withdraw proposal about " + who,
                    new AdminAction.WithdrawProposal(who), "The proposal about " + who + " is withdrawn."));
            card.add(buttons);
        }
        return card;
    }

    private Component adminLine(String admin) {
        HorizontalLayout line = new HorizontalLayout(new Span(admin));
        line.addClassName("admin");
        line.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        if (canAct && admin.equals(actor)) {
            line.add(button("Resign", "Resign as admin", new AdminAction.Resign(), "You are no longer an admin."));
        } else if (canAct && cooptation.proposal(admin).isEmpty()) {
            line.add(button("Propose removal", "Propose removing " + admin, new AdminAction.RemoveAdmin(admin),
                    "Removing " + admin + " is proposed."));
        }
        return line;
    }

    private Button button(String text, String label, AdminAction action, String done) {
        Button button = new Button(text, click -> act(action, done));
        button.addThemeVariants(ButtonVariant.LUMO_SMALL);
        button.getElement().setAttribute("aria-label", label);
        return button;
    }

    private void act(AdminAction action, String done) {
        signer.perform(action, accepted -> {
            show();
            showMessage(done, false);
        }, problem -> showMessage(problem, true));
    }

    private void showProblem(String text) {
        showMessage(text, true);
    }

    private void showMessage(String text, boolean problem) {
        message.setText(text);
        message.getStyle().set("color", problem ? "var(--lumo-error-text-color)" : "var(--lumo-success-text-color)");
        message.setVisible(true);
    }
}
