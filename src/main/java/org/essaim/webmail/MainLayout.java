package org.essaim.webmail;

import java.util.Map;
import java.util.Set;

import org.essaim.keys.KeyLockButton;
import org.essaim.keys.KeysView;
import org.essaim.mailserver.MailServerBridge;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.spring.security.AuthenticationContext;

import com.vaadin.flow.component.dependency.CssImport;
import com.vaadin.flow.component.dependency.JsModule;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.essaim.i18n.Translations;

import jakarta.annotation.security.PermitAll;

/**
 * The frame around the webmail: app name, the private key's lock state, who is logged in, Log out; in the drawer
 * the folders, the account pages, the admin pages (for admins only; the pages themselves are refused to members
 * on the server), and the user's storage bar with its near-limit warning. It is the automatic layout of every
 * route that does not opt out ({@code autoLayout = false}), so feature views need not depend on this package;
 * views of packages that depend on this one are linked by route path.
 */
@Layout
@PermitAll
@CssImport("./styles/webmail.css")
@JsModule("./i18n/essaim-i18n.js")
@JsModule("./webmail/essaim-shortcuts.js")
@JsModule("./webmail/essaim-notifications.js")
public class MainLayout extends AppLayout implements AfterNavigationObserver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SideNav folders = new SideNav();
    private final MailboxConnection mailbox;
    private final MailServerBridge mailServer;
    private final String user;
    private final StorageBar storage = new StorageBar();
    private final NewMailChecks newMailChecks;
    private final ShownFolders shownFolders = new ShownFolders();
    private NewMailChecks.Watch checks;
    private Registration changes;
    /** The title's unread count is written just before the response (see {@link #showUnreadInTitle}). */
    private boolean titlePending;
    private final Translations translations;

    public MainLayout(AuthenticationContext authentication, MailboxConnection mailbox, MailServerBridge mailServer,
            NewMailChecks newMailChecks, Translations translations) {
        this.translations = translations;
        this.mailbox = mailbox;
        this.mailServer = mailServer;
        this.newMailChecks = newMailChecks;
        this.user = authentication.getPrincipalName().orElse("");
        H1 title = new H1("Essaim");
        title.addClassName("app-title");
        title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("margin", "0");
        Span address = new Span(authentication.getPrincipalName().orElse(""));
        address.setId("current-user");
        address.addClassName("current-user");
        Button logout = new Button(getTranslation("layout.logout"), click -> {
            mailbox.close();
            authentication.logout();
        });
        logout.setId("logout-button");
        logout.setIcon(new com.vaadin.flow.component.icon.Icon(com.vaadin.flow.component.icon.VaadinIcon.SIGN_OUT));
        logout.getElement().setAttribute("aria-label", getTranslation("layout.logout"));
        SearchBox search = new SearchBox(mailbox, user);
        // The member's own spam filter, run in the browser on new Inbox mail while the webmail is open (shows nothing).
        BrowserSpamFilter spamFilter = new BrowserSpamFilter(mailbox, user);
        HorizontalLayout bar = new HorizontalLayout(title, search, new KeyLockButton(user), address, logout, spamFilter);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        bar.expand(search);
        bar.setWidthFull();
        bar.addClassName("top-bar"); // phones: shares the navbar with the drawer toggle (webmail.css)
        bar.getStyle().set("padding-right", "var(--lumo-space-m)");
        addToNavbar(new DrawerToggle(), bar);

        folders.setLabel(getTranslation("layout.folders"));
        folders.setId("folders");
        SideNav accountPages = new SideNav();
        accountPages.setLabel(getTranslation("layout.account"));
        accountPages.setId("account-pages");
        accountPages.addItem(new SideNavItem(getTranslation("layout.keys"), KeysView.class),
                new SideNavItem(getTranslation("layout.myAccount"), "account"));
        SideNav collective = new SideNav();
        collective.setLabel(getTranslation("layout.collective"));
        collective.setId("collective");
        collective.addItem(new SideNavItem(getTranslation("layout.auditLog"), "audit")); // by path: webmail does not depend on governance
        collective.addItem(new SideNavItem(getTranslation("layout.lists"), "lists")); // by path: lists depends on webmail
        Button newFolder = new Button(getTranslation("layout.newFolder"), click -> new FolderNameDialog(getTranslation("layout.newFolder"), "",
                getTranslation("layout.create"),
                new FolderActions(mailbox)::create,
                created -> {
                    MailboxChanged.fire(UI.getCurrent());
                    UI.getCurrent().navigate(MailboxView.class, new RouteParameters("folder", created));
                }).open());
        newFolder.setId("new-folder-button");
        newFolder.addThemeVariants(com.vaadin.flow.component.button.ButtonVariant.LUMO_TERTIARY,
                com.vaadin.flow.component.button.ButtonVariant.LUMO_SMALL);
        SideNav writing = new SideNav();
        writing.setId("compose-nav");
        writing.addItem(new SideNavItem(getTranslation("layout.newMessage"), "compose")); // by path: the composer depends on this package
        Div drawer = new Div(writing, folders, newFolder, accountPages, collective);
        if (authentication.hasAnyRole("ADMIN", "SPECTATOR")) { // spectators see the admin pages read-only
            SideNav admin = new SideNav(getTranslation("layout.admin"));
            admin.setId("admin-nav");
            admin.addItem(new SideNavItem(getTranslation("layout.storage"), "admin/storage"),
                    new SideNavItem(getTranslation("layout.accounts"), "admin/accounts"),
                    new SideNavItem(getTranslation("layout.queue"), "admin/queue"),
                    new SideNavItem(getTranslation("layout.cooptation"), "admin/cooptation"), // by path: governance's page
                    new SideNavItem(getTranslation("layout.dns"), "admin/dns"), // by path: the internet package's page
                    new SideNavItem(getTranslation("layout.spam"), "admin/spam")); // by path: the spam package's page
            drawer.add(admin);
        }
        storage.setId("drawer-storage");
        storage.getStyle().set("margin-top", "auto").set("padding", "var(--lumo-space-m)");
        drawer.add(storage);
        drawer.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", "var(--lumo-space-m)")
                .set("min-height", "100%").set("box-sizing", "border-box").set("padding-top", "var(--lumo-space-s)");
        addToDrawer(drawer);
        setPrimarySection(Section.DRAWER);
        showFolders(null);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        UI ui = event.getUI();
        titlePending = false; // a write planned while detached may never have run
        // The browser elements' words, in this page's language (frontend/i18n/essaim-i18n.js).
        try {
            ui.getPage().executeJs("window.essaimI18n.setStrings($0, $1)", ui.getLocale().toLanguageTag(),
                    JSON.writeValueAsString(translations.browserStrings(ui.getLocale())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        changes = MailboxChanged.listen(ui, change -> {
            showFolders(change.folders());
            showStorage(); // new mail or a deletion changes it too
        });
        checks = newMailChecks.watch(ui, mailbox, shownFolders);
    }

    @Override
    protected void onDetach(DetachEvent event) {
        // No check may outlive the page: it would keep polling a connection nobody looks at.
        if (checks != null) {
            checks.remove();
        }
        if (changes != null) {
            changes.remove();
        }
        super.onDetach(event);
    }

    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        // An invited person's first login goes straight to key set-up (security/LoginView marks the session).
        com.vaadin.flow.server.VaadinSession session = com.vaadin.flow.server.VaadinSession.getCurrent();
        Object next = session == null ? null : session.getAttribute(org.essaim.security.LoginView.AFTER_LOGIN);
        if (next != null) {
            session.setAttribute(org.essaim.security.LoginView.AFTER_LOGIN, null);
            if (!event.getLocation().getPath().equals(next)) {
                getUI().ifPresent(ui -> ui.navigate(String.valueOf(next)));
                return;
            }
        }
        // Fresh figures on every page change: cheap (James' quota counters), and the warning shows in time.
        showStorage();
        showUnreadInTitle();
        // A page change is also a look for new mail (off this thread: the news comes by push, see NewMailChecks.Watch).
        if (checks != null) {
            checks.lookNow();
        }
    }

    private void showStorage() {
        try {
            storage.show(mailServer.storageUsage(user));
        } catch (RuntimeException e) {
            storage.setVisible(false);
        }
    }

    /**
     * "(3) Mail · Essaim": the inbox's unread count in the tab's title, as other webmails do. Written just before the
     * response goes out, with the count the drawer shows then: on a page change Vaadin writes the view's own title
     * after the after-navigation observers, so a count written from {@link #afterNavigation} was overwritten and the
     * title went without it until the mailbox next changed.
     */
    private void showUnreadInTitle() {
        if (titlePending) {
            return;
        }
        getUI().ifPresent(ui -> {
            titlePending = true;
            ui.beforeClientResponse(this, context -> {
                titlePending = false;
                Map<String, FolderStatus.State> shown = shownFolders.folders();
                FolderStatus.State inbox = shown == null ? null : shown.get(FolderNames.INBOX);
                int unread = inbox == null ? 0 : inbox.unread();
                ui.getPage().executeJs(
                        "const base = document.title.replace(/^\\(\\d+\\) /, '');"
                                + "document.title = $0 > 0 ? '(' + $0 + ') ' + base : base;"
                                + "window.dispatchEvent(new CustomEvent('essaim-unread', {detail: {unread: $0}}));", unread);
            });
        });
    }

    /**
     * The folders with their unread counts; {@code read} null: read them now. A list read before the one shown is
     * left out (see {@link ShownFolders}): it would bring back what changed since.
     */
    private void showFolders(FolderStatus.Snapshot read) {
        FolderStatus.Snapshot snapshot;
        try {
            snapshot = read != null ? read : new FolderStatus(mailbox).snapshot();
        } catch (MailboxUnavailableException e) {
            shownFolders.unavailable();
            folders.removeAll();
            folders.addItem(new SideNavItem(FolderNames.label(FolderNames.INBOX), MailboxView.class));
            showUnreadInTitle();
            return;
        }
        if (!shownFolders.show(snapshot)) {
            return;
        }
        folders.removeAll();
        for (Map.Entry<String, FolderStatus.State> folder : snapshot.folders().entrySet()) {
            String name = folder.getKey();
            SideNavItem item = new SideNavItem(FolderNames.label(name), MailboxView.class, new RouteParameters("folder", name));
            // The view's "" alias would make every folder look current at "/": only the inbox is shown there.
            item.setPathAliases(FolderNames.INBOX.equals(name) ? Set.of("") : Set.of());
            int unread = folder.getValue().unread();
            if (unread > 0) {
                Span count = new Span(String.valueOf(unread));
                count.getElement().getThemeList().add("badge pill small");
                count.addClassName("folder-unread");
                count.getElement().setAttribute("aria-label", getTranslation("layout.unread", unread));
                item.setSuffixComponent(count);
            }
            item.getElement().setAttribute("data-folder", name);
            folders.addItem(item);
        }
        showUnreadInTitle();
    }
}
