package org.essaim.webmail.reading;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.mail.MessagingException;

import org.essaim.i18n.TranslatedTitle;
import org.essaim.keys.PublicKeyLookup;
import org.essaim.webmail.MailboxConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.spring.security.AuthenticationContext;

/**
 * One message, read in the browser. Java looks up the outer headers and the sender's public key, and gives the
 * {@code <essaim-reader>} element a URL from which it fetches the stored message (ciphertext as stored); the
 * element decrypts, verifies, parses and shows it. Java's own actions are small: back to the folder, archive,
 * delete to Trash (IMAP moves by UID), and the route change to the composer for answers.
 */
@Route(value = "read/:folder/:uid", layout = org.essaim.webmail.MainLayout.class)
@PermitAll
public class ReaderView extends VerticalLayout implements BeforeEnterObserver, TranslatedTitle {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReaderView.class);
    static final String TRASH = "Trash";
    static final String ARCHIVE = "Archive";

    private final StoredMessages messages;
    private final PublicKeyLookup keys;
    private final String account;
    private final MessageReader reader = new MessageReader();
    private final Paragraph problem = new Paragraph();
    private final Button back = new Button();
    private final Button archive = new Button();
    private final Button delete = new Button();
    private String folder;
    private long uid;

    public ReaderView(MailboxConnection mailbox, PublicKeyLookup keys, AuthenticationContext authentication,
                      org.essaim.config.EssaimProperties settings) {
        this.messages = new StoredMessages(mailbox);
        reader.setAuthservId(settings.effectiveHostname());
        this.keys = keys;
        this.account = authentication.getPrincipalName().orElse("");
        setSizeFull();
        back.setId("reader-back");
        archive.setId("reader-archive");
        delete.setId("reader-delete");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        back.addClickListener(click -> backToFolder());
        back.setText(getTranslation("reader.back"));
        archive.setText(getTranslation("reader.archive"));
        delete.setText(getTranslation("reader.delete"));
        archive.addClickListener(click -> moveTo(ARCHIVE, getTranslation("reader.archived")));
        delete.addClickListener(click -> moveTo(TRASH, getTranslation("reader.movedToTrash")));
        problem.setId("reader-problem");
        problem.setVisible(false);
        problem.getStyle().set("color", "var(--lumo-error-text-color)");
        reader.addAnswerListener(answer -> answer(answer.mode()));
        reader.addOpenListener((otherFolder, otherUid) -> UI.getCurrent().navigate("read/"
                + org.springframework.web.util.UriUtils.encodePathSegment(otherFolder, java.nio.charset.StandardCharsets.UTF_8)
                + "/" + otherUid));
        reader.setWidthFull();
        HorizontalLayout actions = new HorizontalLayout(back, archive, delete);
        actions.addClassName("reader-actions");
        add(actions, problem, reader);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        folder = event.getRouteParameters().get("folder").orElse("INBOX");
        problem.setVisible(false);
        reader.setVisible(true);
        archive.setEnabled(!ARCHIVE.equals(folder));
        delete.setEnabled(!TRASH.equals(folder));
        try {
            uid = Long.parseLong(event.getRouteParameters().get("uid").orElse(""));
        } catch (NumberFormatException e) {
            showProblem(getTranslation("reader.notAMessage"));
            return;
        }
        Optional<OuterHeaders> headers;
        try {
            headers = messages.headers(folder, uid);
        } catch (MessagingException | RuntimeException e) {
            LOGGER.warn("Cannot open a message: {}", e.getMessage());
            showProblem(getTranslation("reader.cannotOpen", e.getMessage()));
            return;
        }
        if (headers.isEmpty()) {
            showProblem(getTranslation("reader.gone", folder));
            return;
        }
        OuterHeaders outer = headers.get();
        String senderKey = outer.fromAddress() == null ? null
                : keys.find(outer.fromAddress()).map(PublicKeyLookup.FoundKey::armored).orElse(null);
        reader.show(account, folder, uid, outer, senderKey);
        reader.setSource(rawMessage(folder, uid));
    }

    /**
     * Streams the stored bytes from IMAP to the element's fetch, then marks the message seen: the user has it.
     * The bytes are copied, never decoded; errors are logged without content.
     */
    private DownloadHandler rawMessage(String folderName, long messageUid) {
        return event -> {
            event.getResponse().setHeader("Cache-Control", "no-store");
            event.setContentType("message/rfc822");
            try {
                if (messages.copyRaw(folderName, messageUid, event.getOutputStream())) {
                    messages.markSeen(folderName, messageUid);
                    // The drawer's unread counts (and the title's) follow at once, not at the next new-mail check.
                    // The page may be gone by now (closed, reloaded or left while the bytes travelled): then there is
                    // no drawer to update, which is no error (UI.access would throw UIDetachedException).
                    UI ui = event.getUI();
                    if (ui != null) {
                        ui.accessLater(() -> org.essaim.webmail.MailboxChanged.fire(ui), () -> { }).run();
                    }
                } else {
                    event.getResponse().setStatus(404);
                }
            } catch (MessagingException e) {
                LOGGER.warn("Cannot fetch a message for the reader: {}", e.getMessage());
                event.getResponse().setStatus(502);
            } catch (java.io.UncheckedIOException e) {
                throw new IOException("The browser stopped reading the message", e);
            }
        };
    }

    private void answer(String mode) {
        if (!MessageReader.ANSWER_MODES.contains(mode)) {
            return;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("mode", mode);
        parameters.put("folder", folder);
        parameters.put("uid", String.valueOf(uid));
        UI.getCurrent().navigate("compose", QueryParameters.simple(parameters));
    }

    private void moveTo(String target, String done) {
        try {
            if (messages.move(folder, uid, target)) {
                Notification.show(done);
            } else {
                Notification.show(getTranslation("reader.alreadyMoved"));
            }
            backToFolder();
        } catch (MessagingException | RuntimeException e) {
            LOGGER.warn("Cannot move a message to {}: {}", target, e.getMessage());
            problem.setText(getTranslation("reader.cannotMove", target, e.getMessage()));
            problem.setVisible(true);
        }
    }

    private void backToFolder() {
        UI.getCurrent().navigate("mail/" + folder);
    }

    private void showProblem(String text) {
        problem.setText(text);
        problem.setVisible(true);
        reader.setVisible(false);
    }

    @Override
    public String titleKey() {
        return "title.message";
    }
}
