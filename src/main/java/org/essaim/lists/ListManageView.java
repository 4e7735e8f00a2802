package org.essaim.lists;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.essaim.i18n.TranslatedTitle;
import org.essaim.webmail.MainLayout;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;

import jakarta.annotation.security.PermitAll;

/**
 * A list's owners manage it here: its members (add, remove, enable again after bounces) and its moderation queue
 * (approve, always allow this sender, reject with a reason the sender is told). Only owners get in.
 */
@Route(value = "lists/manage/:list", layout = MainLayout.class)
@PermitAll
public class ListManageView extends VerticalLayout implements BeforeEnterObserver, TranslatedTitle {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final ListService lists;
    private final String account;
    private MailingList list;
    private final Grid<Member> members = new Grid<>();
    private final VerticalLayout held = new VerticalLayout();

    public ListManageView(ListService lists, AuthenticationContext authentication) {
        this.lists = lists;
        this.account = authentication.getPrincipalName().orElseThrow().toLowerCase(Locale.ROOT);
        setMaxWidth("60rem");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String address = event.getRouteParameters().get("list").orElse("");
        list = lists.list(address).filter(l -> l.isOwner(account)).orElse(null);
        removeAll();
        if (list == null) {
            add(new H2(getTranslation("lists.manage")), new Paragraph(getTranslation("lists.notOwner")));
            return;
        }
        members.addColumn(Member::address).setHeader(getTranslation("lists.member")).setAutoWidth(true);
        members.addColumn(m -> getTranslation(m.role() == Member.Role.MEMBER ? "lists.roleMember" : "lists.roleFollower"))
                .setHeader(getTranslation("lists.role"));
        members.addColumn(Member::hardBounces).setHeader(getTranslation("lists.bounces"));
        members.addColumn(m -> m.disabledAt().map(WHEN::format).map(d -> getTranslation("lists.disabledSince", d)).orElse(""))
                .setHeader(getTranslation("lists.state"));
        members.addComponentColumn(m -> {
            HorizontalLayout actions = new HorizontalLayout();
            if (m.disabledAt().isPresent()) {
                actions.add(new Button(getTranslation("lists.enable"), click -> {
                    lists.enable(list.address(), m.address());
                    refresh();
                }));
            }
            Button remove = new Button(getTranslation("lists.remove"), click -> {
                lists.removeMember(list.address(), m.address());
                refresh();
            });
            remove.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
            actions.add(remove);
            return actions;
        });
        members.setAllRowsVisible(true);
        members.setId("members");
        TextField newMember = new TextField(getTranslation("lists.addMember"));
        newMember.setId("new-member");
        Button add = new Button(getTranslation("lists.add"), click -> {
            String value = newMember.getValue().strip();
            if (value.matches("[^@\\s]+@[^@\\s]+")) {
                lists.addMember(list.address(), value);
                newMember.clear();
                refresh();
            } else {
                newMember.setInvalid(true);
                newMember.setErrorMessage(getTranslation("lists.notAnAddress"));
            }
        });
        HorizontalLayout adding = new HorizontalLayout(newMember, add);
        adding.setDefaultVerticalComponentAlignment(Alignment.BASELINE);
        held.setPadding(false);
        held.setId("held-posts");
        add(new H2(getTranslation("lists.manageTitle", list.address())), new H3(getTranslation("lists.moderation")), held,
                new H3(getTranslation("lists.members")), adding, members);
        refresh();
    }

    private void refresh() {
        members.setItems(lists.members(list.address()));
        held.removeAll();
        var posts = lists.held(list.address());
        if (posts.isEmpty()) {
            held.add(new Paragraph(getTranslation("lists.nothingHeld")));
        }
        for (ListDirectory.HeldPost post : posts) {
            held.add(heldPost(post));
        }
    }

    private Div heldPost(ListDirectory.HeldPost post) {
        PostText text = lists.heldText(list.address(), post.id());
        Div box = new Div();
        box.addClassName("held-post");
        box.getStyle().set("border", "1px solid var(--lumo-contrast-20pct)").set("padding", "var(--lumo-space-s)")
                .set("width", "100%").set("box-sizing", "border-box");
        Pre body = new Pre(text.text().length() > 4000 ? text.text().substring(0, 4000) + "…" : text.text());
        body.getStyle().set("white-space", "pre-wrap");
        TextField reason = new TextField(getTranslation("lists.reason"));
        reason.addClassName("reject-reason");
        Button approve = new Button(getTranslation("lists.approve"), click -> {
            lists.approve(list.address(), post.id(), false);
            refresh();
        });
        approve.addClassName("approve-button");
        approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button allow = new Button(getTranslation("lists.alwaysAllow"), click -> {
            lists.approve(list.address(), post.id(), true);
            refresh();
        });
        allow.addClassName("allow-button");
        Button reject = new Button(getTranslation("lists.reject"), click -> {
            lists.reject(list.address(), post.id(), reason.getValue());
            refresh();
        });
        reject.addClassName("reject-button");
        reject.addThemeVariants(ButtonVariant.LUMO_ERROR);
        HorizontalLayout actions = new HorizontalLayout(approve, allow, reason, reject);
        actions.setDefaultVerticalComponentAlignment(Alignment.BASELINE);
        actions.setWrap(true);
        box.add(new H3(text.subject()), new Paragraph(getTranslation("lists.heldFrom", post.sender(), WHEN.format(post.heldAt()))),
                body, actions);
        return box;
    }

    @Override
    public String titleKey() {
        return "title.listManage";
    }
}
