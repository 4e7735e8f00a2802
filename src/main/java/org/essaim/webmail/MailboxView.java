package org.essaim.webmail;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.contextmenu.MenuItem;
import com.vaadin.flow.component.contextmenu.SubMenu;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.shared.Registration;

import jakarta.annotation.security.PermitAll;

import org.essaim.i18n.TranslatedTitle;
import org.essaim.keys.PublicKeyDirectory;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.util.UriUtils;

/**
 * A folder's message list (INBOX by default): sender, subject, date, size and flags, newest first, read lazily
 * over IMAP as the logged-in user. Subjects of encrypted mail are decrypted in the browser by
 * {@code <essaim-subject>} from the {@code Essaim-Encrypted-Subject} ciphertext; Java only ever holds that
 * ciphertext. Selected messages can be marked, flagged, moved, archived or deleted; the user's own folders can be
 * renamed or deleted from the header. Clicking a message opens it in the reader ({@code read/<folder>/<uid>}).
 */
@Route(value = "mail/:folder?", layout = MainLayout.class)
@RouteAlias(value = "", layout = MainLayout.class)
@PermitAll
@JsModule("./webmail/essaim-subject.js")
public class MailboxView extends VerticalLayout implements BeforeEnterObserver, TranslatedTitle {
    private static final java.time.format.FormatStyle DATE_STYLE = java.time.format.FormatStyle.SHORT;

    private final MailboxConnection mailbox;
    private final MessageActions actions;
    private final FolderActions folderActions;
    private final H2 title = new H2();
    private final Paragraph problem = new Paragraph();
    private final Grid<MessageRow> messages = new Grid<>();
    private final Button renameFolder = new Button();
    private final Button deleteFolder = new Button();
    private final HorizontalLayout selectionActions = new HorizontalLayout();
    private final MenuBar moveMenu = new MenuBar();
    private final Button delete = new Button();
    private final Button markSpam = new Button();
    private final Button markNotSpam = new Button();
    private final Button shareSpam = new Button();
    private final Button showConversations = new Button();
    private final Button showMessages = new Button();
    private final ConversationList conversations = new ConversationList();
    /** VaadinSession attribute: the user chose conversations over messages (kept while the session lasts). */
    private static final String CONVERSATION_MODE = "essaim.list-as-conversations";
    private ZoneId zone = ZoneId.of("UTC");
    private String folder = FolderNames.INBOX;
    private Registration changes;
    private List<String> moveTargets = List.of();

    private final PublicKeyDirectory keys;
    private final KeyMissingNotice keyMissing = new KeyMissingNotice();

    public MailboxView(MailboxConnection mailbox, PublicKeyDirectory keys) {
        this.mailbox = mailbox;
        this.keys = keys;
        this.actions = new MessageActions(mailbox);
        this.folderActions = new FolderActions(mailbox);
        setSizeFull();
        title.getStyle().set("margin", "0");
        renameFolder.setText(getTranslation("mailbox.renameFolder"));
        showConversations.setText(getTranslation("mailbox.conversations"));
        showMessages.setText(getTranslation("mailbox.messages"));
        deleteFolder.setText(getTranslation("mailbox.deleteFolder"));
        Button refresh = new Button(getTranslation("mailbox.refresh"), click -> messages.getDataProvider().refreshAll());
        refresh.setId("refresh-button");
        renameFolder.setId("rename-folder-button");
        renameFolder.addClickListener(click -> askNewName());
        deleteFolder.setId("delete-folder-button");
        deleteFolder.addThemeVariants(ButtonVariant.LUMO_ERROR);
        deleteFolder.addClickListener(click -> askToDeleteFolder());
        // Conversations (grouped in the browser from the protected threading headers) or the plain message list.
        showConversations.setId("view-conversations");
        showMessages.setId("view-messages");
        for (Button toggle : List.of(showConversations, showMessages)) {
            toggle.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        }
        showConversations.addClickListener(click -> listAsConversations(true));
        showMessages.addClickListener(click -> listAsConversations(false));
        conversations.setSizeFull();
        conversations.setVisible(false);
        HorizontalLayout header = new HorizontalLayout(title, refresh, showConversations, showMessages, renameFolder, deleteFolder);
        header.addClassName("mailbox-header");
        header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        problem.setId("mailbox-problem");
        problem.setVisible(false);
        problem.getStyle().set("color", "var(--lumo-error-text-color)");
        configureSelectionActions();
        configureGrid();
        add(header, keyMissing, problem, selectionActions, messages, conversations);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        folder = event.getRouteParameters().get("folder").orElse(FolderNames.INBOX);
        title.setText(FolderNames.label(folder));
        boolean own = !FolderActions.isStandard(folder);
        renameFolder.setVisible(own);
        deleteFolder.setVisible(own);
        delete.setText(getTranslation(MessageActions.TRASH.equals(folder) ? "mailbox.deletePermanently" : "mailbox.delete"));
        boolean inSpam = MessageActions.SPAM.equals(folder);
        markSpam.setVisible(!inSpam);
        markNotSpam.setVisible(inSpam);
        problem.setVisible(false);
        keyMissing.refresh(keys, SecurityContextHolder.getContext().getAuthentication().getName());
        try {
            if (!mailbox.folderExists(folder)) {
                showProblem(getTranslation("mailbox.noSuchFolder", folder));
                return;
            }
            messages.setVisible(true);
            selectionActions.setVisible(true);
            messages.deselectAll();
            messages.setItems(new MessageListDataProvider(mailbox, folder));
            fillMoveMenu();
            conversations.show(folder);
            listAsConversations(Boolean.TRUE.equals(com.vaadin.flow.server.VaadinSession.getCurrent().getAttribute(CONVERSATION_MODE)));
        } catch (MailboxUnavailableException e) {
            showProblem(e.getMessage());
        }
    }

    @Override
    protected void onAttach(AttachEvent event) {
        // New mail (or changes from other clients) found by NewMailChecks: the rows are read again.
        changes = MailboxChanged.listen(event.getUI(), change -> {
            if (messages.isVisible()) {
                messages.getDataProvider().refreshAll();
                fillMoveMenu();
            }
        });
        // Dates are shown in the browser's time zone once it is known.
        event.getUI().getPage().retrieveExtendedClientDetails(details -> {
            showAsCards(details.getWindowInnerWidth() > 0 && details.getWindowInnerWidth() < PHONE_WIDTH);
            try {
                zone = ZoneId.of(details.getTimeZoneId());
                messages.getDataProvider().refreshAll();
            } catch (RuntimeException unknownZone) {
                // keep UTC
            }
        });
    }

    private static final int PHONE_WIDTH = 600;

    private void listAsConversations(boolean asConversations) {
        com.vaadin.flow.server.VaadinSession.getCurrent().setAttribute(CONVERSATION_MODE, asConversations);
        conversations.setVisible(asConversations);
        messages.setVisible(!asConversations);
        selectionActions.setVisible(!asConversations);
        showConversations.setEnabled(!asConversations);
        showMessages.setEnabled(asConversations);
    }

    /** Cards on phones (one column: sender, date, subject), the five columns elsewhere. */
    private void showAsCards(boolean cards) {
        messages.getColumnByKey("card").setVisible(cards);
        for (String key : List.of("sender", "subject", "date", "size", "flags")) {
            messages.getColumnByKey(key).setVisible(!cards);
        }
        messages.getElement().setAttribute("data-layout", cards ? "cards" : "columns");
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (changes != null) {
            changes.remove();
        }
    }

    private void configureGrid() {
        messages.setId("messages");
        messages.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        messages.setSizeFull();
        messages.setPageSize(50);
        messages.setSelectionMode(Grid.SelectionMode.MULTI);
        messages.addColumn(MessageRow::sender).setHeader(getTranslation("mailbox.column.from")).setFlexGrow(2).setKey("sender");
        // Only the ciphertext and the outer Subject go to the browser; the element decrypts and shows the subject
        // in its own DOM, and nothing in it is bound back to the server.
        messages.addColumn(LitRenderer.<MessageRow>of(
                        "<essaim-subject .encrypted=${item.encrypted} .outer=${item.subject}></essaim-subject>")
                        .withProperty("encrypted", MessageRow::encryptedSubject)
                        .withProperty("subject", MessageRow::subject))
                .setHeader(getTranslation("mailbox.column.subject")).setFlexGrow(4).setKey("subject");
        messages.addColumn(m -> m.date() == null ? "" : DateTimeFormatter.ofLocalizedDateTime(DATE_STYLE).withLocale(getLocale()).format(m.date().atZone(zone)))
                .setHeader(getTranslation("mailbox.column.date")).setAutoWidth(true).setFlexGrow(0).setKey("date");
        messages.addColumn(m -> MessageSizes.human(m.size(), getLocale())).setHeader(getTranslation("mailbox.column.size")).setAutoWidth(true).setFlexGrow(0).setKey("size");
        messages.addColumn(this::flags).setHeader(getTranslation("mailbox.column.flags")).setAutoWidth(true).setFlexGrow(0).setKey("flags");
        // Phones: one column of cards instead of five narrow ones (chosen from the window width, see onAttach).
        messages.addColumn(LitRenderer.<MessageRow>of(
                        "<div class='message-card'><span class='card-from'>${item.sender}</span>"
                                + "<span class='card-date'>${item.date}</span>"
                                + "<essaim-subject .encrypted=${item.encrypted} .outer=${item.subject}></essaim-subject></div>")
                        .withProperty("sender", MessageRow::sender)
                        .withProperty("date", m -> m.date() == null ? "" : DateTimeFormatter.ofLocalizedDateTime(DATE_STYLE)
                                .withLocale(getLocale()).format(m.date().atZone(zone)))
                        .withProperty("encrypted", MessageRow::encryptedSubject)
                        .withProperty("subject", MessageRow::subject))
                .setHeader(getTranslation("mailbox.column.subject")).setKey("card").setFlexGrow(1).setVisible(false);
        messages.setPartNameGenerator(m -> m.seen() ? null : "unread");
        messages.addSelectionListener(selection -> selectionActions.setEnabled(!selection.getAllSelectedItems().isEmpty()));
        messages.addItemClickListener(click -> {
            if (click.getColumn() != null) { // not the selection checkbox
                UI.getCurrent().navigate("read/" + UriUtils.encodePathSegment(folder, java.nio.charset.StandardCharsets.UTF_8)
                        + "/" + click.getItem().uid());
            }
        });
    }

    private void configureSelectionActions() {
        selectionActions.setId("message-actions");
        selectionActions.getStyle().set("flex-wrap", "wrap");
        selectionActions.setEnabled(false);
        selectionActions.setSpacing(true);
        selectionActions.add(
                actionButton(getTranslation("mailbox.markRead"), "mark-read-button", uids -> actions.markSeen(folder, uids, true)),
                actionButton(getTranslation("mailbox.markUnread"), "mark-unread-button", uids -> actions.markSeen(folder, uids, false)),
                actionButton(getTranslation("mailbox.flag"), "flag-button", uids -> actions.markFlagged(folder, uids, true)),
                actionButton(getTranslation("mailbox.unflag"), "unflag-button", uids -> actions.markFlagged(folder, uids, false)),
                moveMenu,
                actionButton(getTranslation("mailbox.archive"), "archive-button", uids -> actions.archive(folder, uids)));
        // Spam / Not spam move the messages; the move is the vote on their senders (delivery/spam/SpamMoveListener).
        // The member's own filter in the browser learns from the same decision first (BrowserSpamFilter).
        markSpam.setText(getTranslation("mailbox.spam"));
        markSpam.setId("spam-button");
        markSpam.addThemeVariants(ButtonVariant.LUMO_SMALL);
        markSpam.addClickListener(click -> applyAfterTraining(true, uids -> actions.markSpam(folder, uids)));
        markNotSpam.setText(getTranslation("mailbox.notSpam"));
        markNotSpam.setId("not-spam-button");
        markNotSpam.addThemeVariants(ButtonVariant.LUMO_SMALL);
        markNotSpam.addClickListener(click -> applyAfterTraining(false, uids -> actions.markNotSpam(folder, uids)));
        shareSpam.setText(getTranslation("mailbox.shareSpam"));
        shareSpam.setId("share-spam-button");
        shareSpam.addThemeVariants(ButtonVariant.LUMO_SMALL);
        shareSpam.addClickListener(click -> askToShareSpam());
        selectionActions.add(markSpam, markNotSpam, shareSpam);
        moveMenu.setId("move-menu");
        moveMenu.addThemeVariants(MenuBarVariant.LUMO_SMALL);
        delete.setId("delete-button");
        delete.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
        delete.addClickListener(click -> deleteSelected());
        selectionActions.add(delete);
    }

    private Button actionButton(String label, String id, Consumer<List<Long>> action) {
        return configureActionButton(new Button(), label, id, action);
    }

    private Button configureActionButton(Button button, String label, String id, Consumer<List<Long>> action) {
        button.setText(label);
        button.addClickListener(click -> apply(action));
        button.setId(id);
        button.addThemeVariants(ButtonVariant.LUMO_SMALL);
        return button;
    }

    /**
     * "Move to…" lists every folder but the current one. Rebuilt only when that list changed, so a refresh for new
     * mail does not close the menu under the user's pointer.
     */
    private void fillMoveMenu() {
        List<String> names;
        try {
            names = mailbox.folderNames().stream().filter(name -> !name.equals(folder)).toList();
        } catch (MailboxUnavailableException e) {
            names = List.of();
        }
        if (names.equals(moveTargets) && !moveMenu.getItems().isEmpty()) {
            return;
        }
        moveTargets = names;
        moveMenu.removeAll();
        MenuItem root = moveMenu.addItem(getTranslation("mailbox.moveTo"));
        root.setId("move-to");
        root.setEnabled(!names.isEmpty());
        SubMenu targets = root.getSubMenu();
        for (String target : names) {
            targets.addItem(FolderNames.label(target), click -> moveTo(target))
                    .getElement().setAttribute("data-folder", target);
        }
    }

    /** Moving into Spam, or out of it (but to the Trash), teaches the member's own filter too. */
    private void moveTo(String target) {
        if (MessageActions.SPAM.equals(target)) {
            applyAfterTraining(true, uids -> actions.move(folder, uids, target));
        } else if (MessageActions.SPAM.equals(folder) && !MessageActions.TRASH.equals(target)) {
            applyAfterTraining(false, uids -> actions.move(folder, uids, target));
        } else {
            apply(uids -> actions.move(folder, uids, target));
        }
    }

    /** The browser's own filter learns the selected messages (still in this folder), then the action runs. */
    private void applyAfterTraining(boolean spam, Consumer<List<Long>> action) {
        List<Long> uids = messages.getSelectedItems().stream().map(MessageRow::uid).toList();
        if (uids.isEmpty()) {
            return;
        }
        java.util.Optional<BrowserSpamFilter> filter = BrowserSpamFilter.of(UI.getCurrent());
        if (filter.isEmpty()) {
            apply(action);
            return;
        }
        selectionActions.setEnabled(false);
        filter.get().trainThen(folder, uids, spam, () -> apply(uids, action));
    }

    /**
     * "Report spam and share it": only with the member's explicit consent, for one message. The browser decrypts it
     * and sends it to the server, which learns from it as spam (never as ham) and keeps nothing of it; then it is
     * filed in Spam like "Spam" does.
     */
    private void askToShareSpam() {
        List<Long> uids = messages.getSelectedItems().stream().map(MessageRow::uid).toList();
        java.util.Optional<BrowserSpamFilter> filter = BrowserSpamFilter.of(UI.getCurrent());
        if (uids.size() != 1 || filter.isEmpty()) {
            Notification.show(getTranslation("mailbox.shareSpam.one"), 6000, Notification.Position.MIDDLE);
            return;
        }
        long uid = uids.get(0);
        String from = folder;
        ConfirmDialog consent = new ConfirmDialog();
        consent.setId("confirm-share-spam");
        consent.setHeader(getTranslation("mailbox.shareSpam.header"));
        consent.setText(getTranslation("mailbox.shareSpam.consent"));
        consent.setCancelable(true);
        consent.setCancelText(getTranslation("mailbox.shareSpam.cancel"));
        Button share = new Button(getTranslation("mailbox.shareSpam.confirm"), click -> {
            consent.close();
            filter.get().share(from, uid, status -> sharedSpam(filter.get(), from, uid, status));
        });
        share.setId("confirm-share-spam-button");
        share.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        consent.setConfirmButton(share);
        consent.open();
    }

    private void sharedSpam(BrowserSpamFilter filter, String from, long uid, int status) {
        String text = switch (status) {
            case 204 -> getTranslation("mailbox.shareSpam.thanks");
            case 429 -> getTranslation("mailbox.shareSpam.tooMany");
            case 413 -> getTranslation("mailbox.shareSpam.tooLarge");
            default -> getTranslation("mailbox.shareSpam.failed");
        };
        Notification notice = Notification.show(text, 6000, Notification.Position.BOTTOM_START);
        notice.setId("share-spam-result");
        if (status == 204 && !MessageActions.SPAM.equals(from)) {
            filter.trainThen(from, List.of(uid), true, () -> apply(List.of(uid), ids -> actions.markSpam(from, ids)));
        }
    }

    private void deleteSelected() {
        if (!MessageActions.TRASH.equals(folder)) {
            apply(uids -> actions.delete(folder, uids));
            return;
        }
        int count = messages.getSelectedItems().size();
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader(getTranslation("mailbox.confirmDeletePermanently"));
        confirm.setText(count == 1 ? getTranslation("mailbox.deleteForGood.one") : getTranslation("mailbox.deleteForGood.other", count));
        confirm.setConfirmButton(confirmButton(getTranslation("mailbox.deletePermanently"), "confirm-delete-messages-button",
                () -> apply(uids -> actions.delete(folder, uids))));
        confirm.setCancelable(true);
        confirm.setId("confirm-delete-messages");
        confirm.open();
    }

    /** Runs an action on the selected messages' UIDs, then shows the folder as it is now. */
    private void apply(Consumer<List<Long>> action) {
        apply(messages.getSelectedItems().stream().map(MessageRow::uid).toList(), action);
    }

    private void apply(List<Long> uids, Consumer<List<Long>> action) {
        if (uids.isEmpty()) {
            return;
        }
        try {
            action.accept(uids);
        } catch (MailboxUnavailableException e) {
            Notification.show(e.getMessage(), 6000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
        messages.deselectAll();
        MailboxChanged.fire(UI.getCurrent()); // the list (listener above) and the drawer show the change
    }

    private void askNewName() {
        new FolderNameDialog(getTranslation("mailbox.renameFolder"), folder, getTranslation("mailbox.rename"), name -> folderActions.rename(folder, name),
                renamed -> {
                    MailboxChanged.fire(UI.getCurrent());
                    UI.getCurrent().navigate(MailboxView.class, new RouteParameters("folder", renamed));
                }).open();
    }

    private void askToDeleteFolder() {
        int count;
        try {
            count = folderActions.messageCount(folder);
        } catch (MailboxUnavailableException e) {
            Notification.show(e.getMessage(), 6000, Notification.Position.MIDDLE);
            return;
        }
        if (count == 0) {
            deleteFolder();
            return;
        }
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader(getTranslation("mailbox.confirmDeleteFolder", folder));
        confirm.setText(count == 1 ? getTranslation("mailbox.folderHolds.one") : getTranslation("mailbox.folderHolds.other", count));
        confirm.setConfirmButton(confirmButton(getTranslation("mailbox.deleteFolderAndMessages"), "confirm-delete-folder-button", this::deleteFolder));
        confirm.setCancelable(true);
        confirm.setId("confirm-delete-folder");
        confirm.open();
    }

    private static Button confirmButton(String label, String id, Runnable action) {
        Button button = new Button(label, click -> action.run());
        button.setId(id);
        button.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_PRIMARY);
        return button;
    }

    private void deleteFolder() {
        try {
            folderActions.delete(folder);
        } catch (FolderActions.FolderActionException | MailboxUnavailableException e) {
            Notification.show(e.getMessage(), 6000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
            return;
        }
        MailboxChanged.fire(UI.getCurrent());
        UI.getCurrent().navigate(MailboxView.class, new RouteParameters("folder", FolderNames.INBOX));
    }

    private String flags(MessageRow message) {
        List<String> flags = new ArrayList<>(2);
        if (!message.seen()) {
            flags.add(getTranslation("mailbox.flag.unread"));
        }
        if (message.flagged()) {
            flags.add(getTranslation("mailbox.flag.flagged"));
        }
        return String.join(", ", flags);
    }

    private void showProblem(String text) {
        problem.setText(text);
        problem.setVisible(true);
        messages.setVisible(false);
        selectionActions.setVisible(false);
        conversations.setVisible(false);
    }

    @Override
    public String titleKey() {
        return "title.mail";
    }
}
