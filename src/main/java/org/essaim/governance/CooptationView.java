package org.essaim.governance;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.essaim.accounts.AccountRoles;
import org.essaim.admin.ActionSigner;
import org.essaim.admin.AdminAction;
import org.essaim.admin.ReadOnlyNotice;
import org.essaim.admin.SignedActions;
import org.essaim.i18n.TranslatedTitle;
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
@RolesAllowed({AccountRoles.ADMIN, AccountRoles.SPECTATOR})
public class CooptationView extends VerticalLayout implements TranslatedTitle {
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
        H2 title = new H2(getTranslation("title.cooptation"));
        title.getStyle().set("margin", "0");
        message.setId("cooptation-message");
        message.setVisible(false);
        content.setWidthFull();
        add(title, new Paragraph(getTranslation("cooptation.intro")));
        add(canAct ? signer : ReadOnlyNotice.forSpectator(), message, content);
        show();
    }

    private void show() {
        content.removeAll();
        if (canAct) {
            content.add(proposeForm());
        }
        content.add(new H3(getTranslation("cooptation.openProposals")));
        var proposals = cooptation.proposals();
        if (proposals.isEmpty()) {
            content.add(new Paragraph(getTranslation("cooptation.noProposal")));
        }
        for (Cooptation.Proposal proposal : proposals) {
            content.add(proposalCard(proposal));
        }
        content.add(new H3(getTranslation("cooptation.admins")));
        for (String admin : roles.admins()) {
            content.add(adminLine(admin));
        }
    }

    private Component proposeForm() {
        TextField address = new TextField(getTranslation("cooptation.memberToPropose"));
        address.setId("propose-address");
        address.setWidth("22rem");
        Button propose = new Button(getTranslation("cooptation.propose"), click -> {
            String member = address.getValue().trim().toLowerCase(Locale.ROOT);
            if (!member.contains("@")) {
                showProblem(getTranslation("cooptation.addressInvalid"));
                return;
            }
            act(new AdminAction.ProposeAdmin(member), getTranslation("cooptation.proposed", member));
        });
        propose.setId("propose");
        propose.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(address, propose);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        return new Div(new H3(getTranslation("cooptation.proposeMember")), form);
    }

    private Component proposalCard(Cooptation.Proposal proposal) {
        String who = proposal.address();
        boolean promotion = Cooptation.PROMOTION.equals(proposal.kind());
        Div card = new Div();
        card.addClassName("proposal");
        card.getElement().setAttribute("data-address", who);
        card.getStyle().set("padding", "var(--lumo-space-s) var(--lumo-space-m)").set("margin-bottom", "var(--lumo-space-s)")
                .set("border", "1px solid var(--lumo-contrast-10pct)").set("border-radius", "var(--lumo-border-radius-m)");
        card.add(new Div(new Span(getTranslation(promotion ? "cooptation.toBecomeAdmin" : "cooptation.toStopBeingAdmin",
                who, proposal.proposedBy()))));
        card.add(new Div(new Span(getTranslation("cooptation.consented", String.join(", ", proposal.consents())))));
        card.add(new Div(new Span(getTranslation("cooptation.objected",
                proposal.objections().isEmpty() ? getTranslation("cooptation.nobody") : String.join(", ", proposal.objections())))));
        card.add(new Div(new Span(getTranslation("cooptation.consentMissing",
                proposal.missingConsents().isEmpty() ? getTranslation("cooptation.none") : String.join(", ", proposal.missingConsents())))));
        if (promotion) {
            card.add(new Div(new Span(getTranslation("cooptation.notBefore", TIME.format(proposal.promotableFrom())))));
        }
        if (canAct) {
            HorizontalLayout buttons = new HorizontalLayout();
            buttons.add(button(getTranslation("cooptation.consent"), getTranslation("cooptation.consentFor", who), new AdminAction.ConsentToAdmin(who),
                    getTranslation("cooptation.youConsented", who)));
            if (promotion && proposal.objections().contains(actor)) {
                buttons.add(button(getTranslation("cooptation.withdrawObjection"), getTranslation("cooptation.withdrawObjectionTo", who),
                        new AdminAction.WithdrawObjection(who), getTranslation("cooptation.objectionWithdrawn", who)));
            } else if (promotion) {
                buttons.add(button(getTranslation("cooptation.object"), getTranslation("cooptation.objectTo", who),
                        new AdminAction.ObjectToAdmin(who), getTranslation("cooptation.youObjected", who)));
            }
            buttons.add(button(getTranslation("cooptation.withdrawProposal"), getTranslation("cooptation.withdrawProposalAbout", who),
                    new AdminAction.WithdrawProposal(who), getTranslation("cooptation.proposalWithdrawn", who)));
            card.add(buttons);
        }
        return card;
    }

    private Component adminLine(String admin) {
        HorizontalLayout line = new HorizontalLayout(new Span(admin));
        line.addClassName("admin");
        line.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        if (canAct && admin.equals(actor)) {
            line.add(button(getTranslation("cooptation.resign"), getTranslation("cooptation.resignAsAdmin"), new AdminAction.Resign(),
                    getTranslation("cooptation.resigned")));
        } else if (canAct && cooptation.proposal(admin).isEmpty()) {
            line.add(button(getTranslation("cooptation.proposeRemoval"), getTranslation("cooptation.proposeRemoving", admin),
                    new AdminAction.RemoveAdmin(admin), getTranslation("cooptation.removalProposed", admin)));
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

    @Override
    public String titleKey() {
        return "title.cooptation";
    }
}
