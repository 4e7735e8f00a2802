package org.essaim.lists;

import java.util.Optional;

import org.essaim.i18n.TranslatedTitle;
import org.essaim.webmail.MainLayout;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.spring.security.AuthenticationContext;

import jakarta.annotation.security.PermitAll;

/**
 * The Lists page of the webmail: every list of the server, what it is, and for a public list that everything posted
 * is published (said before anyone joins); join (post and receive), follow (receive only), leave; read the archive;
 * owners go on to manage members and moderation.
 */
@Route(value = "lists", layout = MainLayout.class)
@PermitAll
public class ListsView extends VerticalLayout implements TranslatedTitle {
    private final ListService lists;
    private final String account;
    private final VerticalLayout cards = new VerticalLayout();

    public ListsView(ListService lists, AuthenticationContext authentication) {
        this.lists = lists;
        this.account = authentication.getPrincipalName().orElseThrow().toLowerCase(java.util.Locale.ROOT);
        setMaxWidth("52rem");
        add(new H2(getTranslation("lists.title")), new Paragraph(getTranslation("lists.intro")), cards);
        cards.setPadding(false);
        refresh();
    }

    private void refresh() {
        cards.removeAll();
        for (MailingList list : lists.lists()) {
            cards.add(card(list));
        }
    }

    private Div card(MailingList list) {
        Div card = new Div();
        card.addClassName("list-card");
        card.getElement().setAttribute("data-list", list.address());
        card.getStyle().set("border", "1px solid var(--lumo-contrast-20pct)").set("border-radius", "var(--lumo-border-radius-m)")
                .set("padding", "var(--lumo-space-m)").set("width", "100%").set("box-sizing", "border-box");
        card.add(new H3(list.address()), new Paragraph(list.description()));
        if (list.isPublic()) {
            Paragraph notice = new Paragraph(getTranslation("lists.publicNotice"));
            notice.addClassName("public-notice");
            notice.getStyle().set("background", "var(--lumo-warning-color-10pct)").set("padding", "var(--lumo-space-s)");
            card.add(notice);
        } else if (list.archive() == MailingList.Archive.MEMBERS) {
            card.add(new Paragraph(getTranslation("lists.membersArchive")));
        } else {
            card.add(new Paragraph(getTranslation("lists.noArchive")));
        }
        Optional<Member> me = lists.members(list.address()).stream().filter(m -> m.address().equals(account)).findFirst();
        boolean admin = list.kind() == MailingList.Kind.ADMINS && lists.isPostingMember(list, account);
        Paragraph status = new Paragraph(admin ? getTranslation("lists.youAdmin")
                : me.map(m -> getTranslation(m.role() == Member.Role.MEMBER ? "lists.youMember" : "lists.youFollow"))
                        .orElse(getTranslation("lists.youNot")));
        status.addClassName("list-status");
        card.add(status);

        HorizontalLayout actions = new HorizontalLayout();
        actions.setWrap(true);
        if (me.isEmpty() && !admin) {
            if (list.kind() == MailingList.Kind.ORDINARY) {
                actions.add(button("lists.join", "join", () -> lists.join(list.address(), account, Member.Role.MEMBER)));
            }
            actions.add(button("lists.follow", "follow", () -> lists.join(list.address(), account, Member.Role.FOLLOWER)));
        } else if (me.isPresent()) {
            actions.add(button("lists.leave", "leave", () -> lists.leave(list.address(), account)));
        }
        if (list.isPublic()) {
            Anchor archive = new Anchor(ListSettings.archivePath(list.address()), getTranslation("lists.readArchive"),
                    AnchorTarget.BLANK);
            archive.addClassName("archive-link");
            actions.add(archive);
        } else if (list.archive() == MailingList.Archive.MEMBERS && lists.readsArchive(list, account)) {
            Button read = new Button(getTranslation("lists.readArchive"), click -> UI.getCurrent()
                    .navigate(ListArchiveView.class, new RouteParameters("list", list.address())));
            read.addClassName("archive-button");
            actions.add(read);
        }
        if (list.isOwner(account)) {
            Button manage = new Button(getTranslation("lists.manage"), click -> UI.getCurrent()
                    .navigate(ListManageView.class, new RouteParameters("list", list.address())));
            manage.addClassName("manage-button");
            actions.add(manage);
        }
        card.add(actions);
        return card;
    }

    private Button button(String key, String className, Runnable action) {
        Button button = new Button(getTranslation(key), click -> {
            try {
                action.run();
            } catch (IllegalArgumentException e) {
                Notification.show(e.getMessage());
            }
            refresh();
        });
        button.addClassName(className + "-button");
        if (!"leave".equals(className)) {
            button.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        }
        return button;
    }

    @Override
    public String titleKey() {
        return "title.lists";
    }
}
