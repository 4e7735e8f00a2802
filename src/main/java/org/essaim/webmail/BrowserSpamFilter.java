package org.essaim.webmail;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.shared.Registration;

import org.essaim.delivery.spam.SpamFolder;

/**
 * {@code <essaim-spam-filter>} (frontend/webmail/essaim-spam-filter.js): the member's own spam filter, trained and
 * run in the browser's crypto worker on decrypted mail, applied to new Inbox mail while the webmail is open. Java
 * gives it what the search box gets (the account, the mail source, a change counter) plus the URL of its encrypted
 * table; it hears back only the UIDs to move to Spam, moves them, says so, and offers one click to undo (which moves
 * them back and teaches the filter they are not spam). The views ask it to learn before they move messages into or
 * out of Spam ({@link #trainThen}).
 */
@Tag("essaim-spam-filter")
@JsModule("./webmail/essaim-spam-filter.js")
public class BrowserSpamFilter extends Component {
    static final String STORE = "api/spam/classifier";

    private final MessageActions actions;
    private int changes;
    private Registration listening;

    BrowserSpamFilter(MailboxConnection mailbox, String account) {
        this.actions = new MessageActions(mailbox);
        setId("spam-filter");
        getElement().setProperty("account", account);
        getElement().setAttribute("source", new SearchIndexSource(mailbox));
        getElement().setProperty("store", STORE);
        getElement().addEventListener("essaim-refile", event -> refile(uids(event.getEventData().getString("event.detail.uids"))))
                .addEventData("event.detail.uids");
    }

    /** The filter of the page the UI shows, when the layout has one. */
    static Optional<BrowserSpamFilter> of(UI ui) {
        return Optional.ofNullable(ComponentUtil.getData(ui, BrowserSpamFilter.class));
    }

    /**
     * Lets the browser's filter learn the messages as spam or not spam, then runs the move (also when the key is
     * locked and nothing could be learnt: the member's move never waits on the filter).
     */
    void trainThen(String folder, Collection<Long> uids, boolean spam, Runnable move) {
        getElement().callJsFunction("train", folder, String.join(",", uids.stream().map(String::valueOf).toList()), spam).then(done -> move.run(), failed -> move.run());
    }

    /**
     * "Report spam and share it" for one message, after the member's consent: the browser decrypts it and sends it
     * to the server (/api/spam/shared); {@code answer} gets the server's HTTP status, 0 when it could not be sent.
     */
    void share(String folder, long uid, java.util.function.IntConsumer answer) {
        getElement().callJsFunction("share", folder, String.valueOf(uid))
                .then(Integer.class, answer::accept, failed -> answer.accept(0));
    }

    private void refile(List<Long> uids) {
        List<Long> inSpam;
        try {
            // Marked as the filter's doing: the server's sender reputation counts only the member's own moves.
            actions.setKeyword(FolderNames.INBOX, uids, SpamFolder.FILED_BY_BROWSER_FILTER, true);
            inSpam = actions.move(FolderNames.INBOX, uids, MessageActions.SPAM);
        } catch (MailboxUnavailableException e) {
            return;
        }
        UI ui = UI.getCurrent();
        MailboxChanged.fire(ui);
        Notification notification = new Notification();
        notification.setId("spam-filter-refiled");
        notification.setDuration(20_000);
        notification.setPosition(Notification.Position.BOTTOM_START);
        Span text = new Span(uids.size() == 1 ? getTranslation("spamFilter.refiled.one")
                : getTranslation("spamFilter.refiled.other", uids.size()));
        Button undo = new Button(getTranslation("spamFilter.undo"), click -> {
            notification.close();
            trainThen(MessageActions.SPAM, inSpam, false, () -> {
                actions.setKeyword(MessageActions.SPAM, inSpam, SpamFolder.FILED_BY_BROWSER_FILTER, false); // undo: the member's vote
                actions.move(MessageActions.SPAM, inSpam, FolderNames.INBOX);
                MailboxChanged.fire(ui);
            });
        });
        undo.setId("spam-filter-undo");
        undo.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
        undo.setVisible(!inSpam.isEmpty());
        notification.add(new HorizontalLayout(text, undo));
        notification.open();
    }

    @Override
    protected void onAttach(AttachEvent event) {
        ComponentUtil.setData(event.getUI(), BrowserSpamFilter.class, this);
        listening = MailboxChanged.listen(event.getUI(), change -> getElement().setProperty("changes", ++changes));
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (ComponentUtil.getData(event.getUI(), BrowserSpamFilter.class) == this) {
            ComponentUtil.setData(event.getUI(), BrowserSpamFilter.class, null);
        }
        if (listening != null) {
            listening.remove();
        }
    }

    private static List<Long> uids(String commaSeparated) {
        List<Long> uids = new ArrayList<>();
        for (String uid : commaSeparated.split(",")) {
            if (!uid.isBlank()) {
                uids.add(Long.parseLong(uid.strip()));
            }
        }
        return uids;
    }
}
