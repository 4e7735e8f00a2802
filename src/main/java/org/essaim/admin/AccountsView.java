package org.essaim.admin;

import java.net.URL;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.essaim.accounts.AccountRoles;
import org.essaim.i18n.TranslatedTitle;
import org.essaim.keys.PublicKeyDirectory;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.mailserver.MailServerException;
import org.essaim.mailserver.StorageUsage;
import org.essaim.webmail.MainLayout;
import org.essaim.webmail.MessageSizes;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.ListDataProvider;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;

import jakarta.annotation.security.RolesAllowed;

/**
 * Admins manage accounts here: invitations instead of passwords chosen by admins, disable/enable, delete
 * (confirmed), per-account quotas and aliases. Every change is a statement signed in the admin's browser
 * ({@link ActionSigner}) and carried out by governance, which writes it to the public log; refusals are shown in
 * the server's words. Spectators (proposed admins) see the page read-only.
 */
@Route(value = "admin/accounts", layout = MainLayout.class)
@RolesAllowed({AccountRoles.ADMIN, AccountRoles.SPECTATOR})
public class AccountsView extends VerticalLayout implements TranslatedTitle {

    record AccountRow(String address, boolean admin, boolean disabled) {
        /** The bundle key of the account's status: admin or member, disabled or not. */
        String statusKey() {
            if (disabled) {
                return admin ? "accounts.status.adminDisabled" : "accounts.status.disabled";
            }
            return admin ? "accounts.status.admin" : "accounts.status.member";
        }
    }

    private final MailServerBridge mailServer;
    private final AccountRoles roles;
    private final DisabledAccountStore disabledAccounts;
    private final String actor;
    private final boolean canAct;
    private final ActionSigner signer;

    private final Paragraph message = new Paragraph();
    private final TextField inviteAddress = new TextField(getTranslation("accounts.inviteAddress"));
    private final TextField inviteLink = new TextField(getTranslation("accounts.inviteLink"));
    private final Div invitation = new Div();
    private final TextField filter = new TextField();
    private final Grid<AccountRow> accounts = new Grid<>();
    private final VerticalLayout details = new VerticalLayout();
    private final Grid<Invitations.Invitation> openInvitations = new Grid<>();
    private final Paragraph noOpenInvitations = new Paragraph();
    private final Invitations invitations;

    public AccountsView(SignedActions signedActions, PublicKeyDirectory keys, MailServerBridge mailServer,
                        AccountRoles roles, DisabledAccountStore disabledAccounts, AuthenticationContext authentication,
                        Invitations invitations) {
        this.mailServer = mailServer;
        this.invitations = invitations;
        this.roles = roles;
        this.disabledAccounts = disabledAccounts;
        this.actor = authentication.getPrincipalName().orElseThrow();
        // The role as it is now, not as it was at login: a spectator promoted meanwhile may act, a removed admin not.
        this.canAct = roles.isAdmin(actor);
        this.signer = canAct ? new ActionSigner(actor, signedActions, keys) : null;
        setWidthFull();
        H2 title = new H2(getTranslation("title.accounts"));
        title.getStyle().set("margin", "0");
        message.setId("admin-message");
        message.setVisible(false);
        if (canAct) {
            add(title, signer, inviteSection(), message, accountsSection());
        } else {
            add(title, ReadOnlyNotice.forSpectator(), message, accountsSection());
        }
        load();
    }

    private Component inviteSection() {
        inviteAddress.setId("invite-address");
        inviteAddress.setPlaceholder("name@" + mailServer.domains().stream().findFirst().orElse("example.org"));
        inviteAddress.setWidth("22rem");
        Button create = new Button(getTranslation("accounts.createInvitation"), click -> invite());
        create.setId("invite-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        inviteAddress.addKeyPressListener(Key.ENTER, press -> invite());
        HorizontalLayout form = new HorizontalLayout(inviteAddress, create);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        inviteLink.setId("invite-link");
        inviteLink.setReadOnly(true);
        inviteLink.setWidth("40rem");
        Button copy = new Button(getTranslation("accounts.copyLink"), click -> getUI().ifPresent(ui -> ui.getPage()
                .executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", inviteLink.getValue())));
        copy.setId("invite-copy");
        HorizontalLayout link = new HorizontalLayout(inviteLink, copy);
        link.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        Paragraph hint = new Paragraph(getTranslation("accounts.inviteHint", Invitations.DEFAULT_VALIDITY.toDays()));
        hint.getStyle().set("color", "var(--lumo-secondary-text-color)").set("margin", "0");
        invitation.add(link, hint);
        invitation.setVisible(false);

        Div section = new Div(new H3(getTranslation("accounts.inviteSomeone")), form, invitation, openInvitationsSection());
        section.setWidthFull();
        return section;
    }

    /** Invitations not used yet, with who sent them and until when they work; each can be revoked (signed). */
    private Component openInvitationsSection() {
        openInvitations.setId("open-invitations");
        openInvitations.addThemeVariants(GridVariant.LUMO_COMPACT);
        openInvitations.setAllRowsVisible(true);
        openInvitations.setWidthFull();
        openInvitations.addColumn(Invitations.Invitation::address).setHeader(getTranslation("accounts.invitedAddress")).setFlexGrow(2);
        openInvitations.addColumn(Invitations.Invitation::invitedBy).setHeader(getTranslation("accounts.invitedBy")).setFlexGrow(2);
        openInvitations.addColumn(i -> i.expiresAt().toLocalDate().toString()).setHeader(getTranslation("accounts.worksUntil")).setAutoWidth(true);
        if (canAct) {
            openInvitations.addComponentColumn(i -> {
                Button revoke = new Button(getTranslation("accounts.revoke"), click -> revoke(i.address()));
                revoke.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
                revoke.getElement().setAttribute("data-address", i.address());
                revoke.addClassName("revoke-invitation");
                return revoke;
            }).setAutoWidth(true).setFlexGrow(0);
        }
        showOpenInvitations();
        Div section = new Div(new H3(getTranslation("accounts.openInvitations")), noOpenInvitations, openInvitations);
        section.setWidthFull();
        return section;
    }

    private void showOpenInvitations() {
        List<Invitations.Invitation> open = invitations.open();
        openInvitations.setItems(open);
        openInvitations.setVisible(!open.isEmpty());
        noOpenInvitations.setText(getTranslation("accounts.noOpenInvitations"));
        noOpenInvitations.setId("no-open-invitations");
        noOpenInvitations.setVisible(open.isEmpty());
    }

    private void revoke(String address) {
        signer.perform(new AdminAction.RevokeInvitation(address), accepted -> {
            showOpenInvitations();
            showDone(getTranslation("accounts.revoked", address));
        }, this::showProblem);
    }

    private Component accountsSection() {
        filter.setId("accounts-filter");
        filter.setPlaceholder(getTranslation("accounts.filter"));
        filter.setClearButtonVisible(true);
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.addValueChangeListener(change -> applyFilter());

        accounts.setId("accounts");
        accounts.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        accounts.setWidthFull();
        accounts.setHeight("24rem");
        accounts.addColumn(AccountRow::address).setHeader(getTranslation("accounts.address")).setKey("address").setFlexGrow(3).setSortable(true);
        accounts.addColumn(row -> getTranslation(row.statusKey())).setHeader(getTranslation("accounts.status")).setKey("status").setAutoWidth(true).setFlexGrow(0).setSortable(true);
        accounts.asSingleSelect().addValueChangeListener(selection -> showDetails(selection.getValue()));

        details.setId("account-details");
        details.setPadding(false);
        details.setVisible(false);
        HorizontalLayout body = new HorizontalLayout(accounts, details);
        body.setWidthFull();
        body.setFlexGrow(2, accounts);
        body.setFlexGrow(1, details);
        Paragraph hint = new Paragraph(getTranslation(canAct ? "accounts.chooseToAct" : "accounts.chooseToSee"));
        hint.getStyle().set("color", "var(--lumo-secondary-text-color)").set("margin", "0");
        Div section = new Div(new H3(getTranslation("accounts.all")), hint, filter, body);
        section.setWidthFull();
        return section;
    }

    private void load() {
        List<String> admins = roles.admins();
        Set<String> disabled = disabledAccounts.all();
        List<AccountRow> rows = mailServer.accounts().stream()
                .map(address -> new AccountRow(address, admins.contains(address), disabled.contains(address)))
                .toList();
        AccountRow selected = accounts.asSingleSelect().getValue();
        accounts.setItems(new ListDataProvider<>(rows));
        applyFilter();
        Optional<AccountRow> again = selected == null ? Optional.empty()
                : rows.stream().filter(row -> row.address().equals(selected.address())).findFirst();
        again.ifPresentOrElse(accounts::select, () -> showDetails(null));
    }

    private void applyFilter() {
        String wanted = filter.getValue().trim().toLowerCase(Locale.ROOT);
        ((ListDataProvider<AccountRow>) accounts.getDataProvider())
                .setFilter(row -> wanted.isEmpty() || row.address().contains(wanted));
    }

    private void invite() {
        String address = inviteAddress.getValue().trim().toLowerCase(Locale.ROOT);
        if (!address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            showProblem(getTranslation("accounts.inviteAddressInvalid",
                    mailServer.domains().stream().findFirst().orElse("example.org")));
            return;
        }
        signer.perform(new AdminAction.Invite(address), accepted -> accepted.invitationToken().ifPresent(token ->
                getUI().ifPresent(ui -> ui.getPage().fetchCurrentURL(url -> {
                    // The link uses the address the admin reached this page by, as the invited person will.
                    inviteLink.setValue(baseUrl(url) + "/invite/" + token);
                    invitation.setVisible(true);
                    inviteAddress.clear();
                    showOpenInvitations();
                    showDone(getTranslation("accounts.invitationCreated", address));
                }))), this::showProblem);
    }

    /** Scheme, host, port and context path: the page's URL without this view's route. */
    private static String baseUrl(URL page) {
        String path = page.getPath();
        int route = path.lastIndexOf("/admin/accounts");
        String contextPath = route >= 0 ? path.substring(0, route) : "";
        return page.getProtocol() + "://" + page.getAuthority() + contextPath;
    }

    private void showDetails(AccountRow row) {
        details.removeAll();
        details.setVisible(row != null);
        if (row == null) {
            return;
        }
        H3 heading = new H3(row.address());
        heading.setId("details-address");
        heading.getStyle().set("margin-top", "0");
        details.add(heading, new Span(getTranslation("accounts.statusLine", getTranslation(row.statusKey()))));
        if (!canAct) {
            details.add(quotaEditor(row.address()), aliasEditor(row.address()));
            return;
        }

        Button disable = new Button(getTranslation("accounts.disable"), click -> run(new AdminAction.Disable(row.address()), getTranslation("accounts.disabled", row.address())));
        disable.setId("account-disable");
        Button enable = new Button(getTranslation("accounts.enable"), click -> run(new AdminAction.Enable(row.address()), getTranslation("accounts.enabled", row.address())));
        enable.setId("account-enable");
        Button delete = new Button(getTranslation("accounts.deleteAccount"), click -> confirmDelete(row.address()));
        delete.setId("account-delete");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        (row.disabled() ? disable : enable).setVisible(false);
        details.add(new HorizontalLayout(disable, enable, delete));

        details.add(quotaEditor(row.address()));
        details.add(aliasEditor(row.address()));
    }

    private Component quotaEditor(String address) {
        Span current = new Span();
        current.setId("quota-current");
        try {
            StorageUsage usage = mailServer.storageUsage(address);
            current.setText(getTranslation("accounts.quotaUses", MessageSizes.human(usage.usedBytes(), getLocale()),
                    usage.limitBytes().isPresent() ? MessageSizes.human(usage.limitBytes().getAsLong(), getLocale())
                            : getTranslation("accounts.noLimit")));
        } catch (MailServerException e) {
            current.setText(getTranslation("accounts.storageUnreadable", e.getMessage()));
        }
        TextField quota = new TextField(getTranslation("accounts.quota"));
        quota.setId("quota-input");
        quota.setPlaceholder(getTranslation("accounts.quotaPlaceholder"));
        Button set = new Button(getTranslation("accounts.setQuota"), click -> {
            try {
                run(new AdminAction.SetQuota(address, QuotaInput.parse(quota.getValue())), getTranslation("accounts.quotaSet", address));
            } catch (AdminActionException e) {
                showProblem(e.getMessage());
            }
        });
        set.setId("quota-set");
        HorizontalLayout form = new HorizontalLayout(quota, set);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        form.setVisible(canAct);
        return new Div(new H3(getTranslation("accounts.quota")), current, form);
    }

    private Component aliasEditor(String address) {
        Div list = new Div();
        list.setId("aliases");
        List<String> aliases;
        try {
            aliases = mailServer.aliasesOf(address);
        } catch (MailServerException e) {
            aliases = List.of();
            list.add(new Span(getTranslation("accounts.aliasesUnreadable", e.getMessage())));
        }
        if (aliases.isEmpty()) {
            list.add(new Span(getTranslation("accounts.noAliases")));
        }
        for (String alias : aliases) {
            Button remove = new Button(getTranslation("accounts.remove"), click -> run(new AdminAction.RemoveAlias(alias, address), getTranslation("accounts.aliasRemoved", alias)));
            remove.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
            remove.getElement().setAttribute("aria-label", getTranslation("accounts.removeAlias", alias));
            remove.setVisible(canAct);
            HorizontalLayout line = new HorizontalLayout(new Span(alias), remove);
            line.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
            line.addClassName("alias");
            list.add(line);
        }
        TextField alias = new TextField(getTranslation("accounts.newAlias"));
        alias.setId("alias-input");
        alias.setPlaceholder("other-name@" + address.substring(address.indexOf('@') + 1));
        Button add = new Button(getTranslation("accounts.addAlias"), click -> {
            String value = alias.getValue().trim().toLowerCase(Locale.ROOT);
            if (!value.matches("[^@\\s]+@[^@\\s]+")) {
                showProblem(getTranslation("accounts.aliasInvalid"));
                return;
            }
            run(new AdminAction.AddAlias(value, address), getTranslation("accounts.aliasAdded", value, address));
        });
        add.setId("alias-add");
        HorizontalLayout form = new HorizontalLayout(alias, add);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        form.setVisible(canAct);
        return new Div(new H3(getTranslation("accounts.aliases")), list, form);
    }

    private void confirmDelete(String address) {
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setHeader(getTranslation("accounts.deleteQuestion", address));
        dialog.setText(getTranslation("accounts.deleteExplained"));
        dialog.setCancelable(true);
        dialog.setCancelText(getTranslation("accounts.keepIt"));
        dialog.setConfirmText(getTranslation("accounts.delete"));
        dialog.setConfirmButtonTheme("error primary");
        dialog.addConfirmListener(confirmed -> run(new AdminAction.Delete(address), getTranslation("accounts.deleted", address)));
        dialog.open();
    }

    /** Has the action signed in the browser and carried out, then shows the result, or why it was refused. */
    private void run(AdminAction action, String done) {
        if (signer == null) {
            showProblem(getTranslation(ReadOnlyNotice.SPECTATOR_KEY));
            return;
        }
        signer.perform(action, accepted -> {
            try {
                load();
            } catch (MailServerException e) {
                showProblem(e.getMessage());
                return;
            }
            showDone(done);
        }, this::showProblem);
    }

    private void showProblem(String text) {
        message.setText(text);
        message.addClassName("problem");
        message.getStyle().set("color", "var(--lumo-error-text-color)");
        message.setVisible(true);
    }

    private void showDone(String text) {
        message.setText(text);
        message.removeClassName("problem");
        message.getStyle().set("color", "var(--lumo-success-text-color)");
        message.setVisible(true);
    }

    @Override
    public String titleKey() {
        return "title.accounts";
    }
}
