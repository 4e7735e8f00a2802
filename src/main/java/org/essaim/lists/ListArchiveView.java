package org.essaim.lists;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.essaim.i18n.TranslatedTitle;
import org.essaim.webmail.MainLayout;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.spring.security.AuthenticationContext;

import jakarta.annotation.security.PermitAll;

/**
 * A members-only archive, for its readers (members, followers, owners): the posts by month, newest first; each post
 * is fetched encrypted and decrypted in the browser with the reader's own key ({@link ListPostElement}).
 */
@Route(value = "lists/archive/:list", layout = MainLayout.class)
@PermitAll
public class ListArchiveView extends VerticalLayout implements BeforeEnterObserver, TranslatedTitle {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final ListService lists;
    private final String account;

    public ListArchiveView(ListService lists, AuthenticationContext authentication) {
        this.lists = lists;
        this.account = authentication.getPrincipalName().orElseThrow().toLowerCase(Locale.ROOT);
        setMaxWidth("52rem");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        MailingList list = lists.list(event.getRouteParameters().get("list").orElse(""))
                .filter(l -> l.archive() == MailingList.Archive.MEMBERS && lists.readsArchive(l, account)).orElse(null);
        if (list == null) {
            add(new H2(getTranslation("lists.archive")), new Paragraph(getTranslation("lists.notReader")));
            return;
        }
        add(new H2(getTranslation("lists.archiveOf", list.address())), new Paragraph(getTranslation("lists.membersArchive")));
        ArchiveStore archive = lists.archive();
        for (String month : archive.months(list.address())) {
            add(new H3(month));
            var entries = archive.month(list.address(), month);
            for (int i = entries.size() - 1; i >= 0; i--) {
                ArchiveStore.Entry entry = entries.get(i);
                Div post = new Div();
                post.addClassName("archived-post");
                Button read = new Button(getTranslation("lists.readPost", WHEN.format(entry.postedAt())));
                read.addClassName("read-post");
                read.addClickListener(click -> {
                    read.setEnabled(false);
                    post.add(new ListPostElement(account, encryptedPost(list, entry)));
                });
                post.add(read);
                add(post);
            }
        }
    }

    /** The stored ciphertext, for a reader of the list only. */
    private DownloadHandler encryptedPost(MailingList list, ArchiveStore.Entry entry) {
        return event -> {
            event.getResponse().setHeader("Cache-Control", "no-store");
            event.setContentType("application/pgp-encrypted");
            if (!entry.encrypted() || !lists.readsArchive(list, account)) {
                event.getResponse().setStatus(404);
                return;
            }
            event.getOutputStream().write(lists.archive().bytes(entry));
        };
    }

    @Override
    public String titleKey() {
        return "title.listArchive";
    }
}
