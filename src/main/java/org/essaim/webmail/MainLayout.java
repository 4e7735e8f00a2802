package org.essaim.webmail;

import java.util.Set;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.spring.security.AuthenticationContext;

import com.vaadin.flow.component.dependency.CssImport;

import jakarta.annotation.security.PermitAll;

import org.essaim.keys.KeyLockButton;
import org.essaim.keys.KeysView;

/**
 * The frame around the webmail: app name, the private key's lock state, who is logged in, Log out, the folders
 * and the account pages in the drawer. It is the automatic layout of every route that does not opt out
 * ({@code autoLayout = false}), so feature views need not depend on this package.
 */
@Layout
@PermitAll
@CssImport("./styles/webmail.css")
public class MainLayout extends AppLayout {
    private final SideNav folders = new SideNav();
    private final MailboxConnection mailbox;

    public MainLayout(AuthenticationContext authentication, MailboxConnection mailbox) {
        this.mailbox = mailbox;
        H1 title = new H1("Essaim");
        title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("margin", "0");
        Span address = new Span(authentication.getPrincipalName().orElse(""));
        address.setId("current-user");
        Button logout = new Button("Log out", click -> {
            mailbox.close();
            authentication.logout();
        });
        HorizontalLayout bar = new HorizontalLayout(title, new KeyLockButton(), address, logout);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        bar.expand(title);
        bar.setWidthFull();
        bar.getStyle().set("padding-right", "var(--lumo-space-m)");
        addToNavbar(new DrawerToggle(), bar);

        folders.setLabel("Folders");
        folders.setId("folders");
        SideNav accountPages = new SideNav();
        accountPages.setLabel("Account");
        accountPages.setId("account-pages");
        accountPages.addItem(new SideNavItem("Keys", KeysView.class));
        SideNav collective = new SideNav();
        collective.setLabel("Collective");
        collective.setId("collective");
        collective.addItem(new SideNavItem("Audit log", "audit")); // by path: webmail does not depend on governance
        addToDrawer(folders, accountPages, collective);
        setPrimarySection(Section.DRAWER);
        showFolders();
    }

    private void showFolders() {
        folders.removeAll();
        try {
            for (String name : mailbox.folderNames()) {
                SideNavItem item = new SideNavItem(FolderNames.label(name), MailboxView.class, new RouteParameters("folder", name));
                // The view's "" alias would make every folder look current at "/": only the inbox is shown there.
                item.setPathAliases(FolderNames.INBOX.equals(name) ? Set.of("") : Set.of());
                folders.addItem(item);
            }
        } catch (MailboxUnavailableException e) {
            folders.addItem(new SideNavItem(FolderNames.label(FolderNames.INBOX), MailboxView.class));
        }
    }
}
