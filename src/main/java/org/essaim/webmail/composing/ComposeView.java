package org.essaim.webmail.composing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.essaim.i18n.TranslatedTitle;
import org.essaim.keys.AutocryptHeader;
import org.essaim.keys.PublicKeyLookup;
import org.essaim.keys.PublicKeyLookup.FoundKey;
import org.essaim.webmail.composing.ComposerMailbox.StoredMessage;
import org.essaim.webmail.composing.RecipientKey.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.provider.ListDataProvider;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;

/**
 * Writing a message: the address fields (Vaadin fields: addresses are outer headers anyway) with each
 * recipient's key state, and {@code <essaim-composer>} for everything secret. Java finds recipients' public keys,
 * wraps the browser's ciphertext as PGP/MIME, submits it by SMTP as the user, keeps the Sent copy and drafts.
 *
 * <p>Routes: {@code compose}; {@code compose?draft=UID} reopens a draft;
 * {@code compose?mode=reply|reply-all|forward&folder=F&uid=U} answers a message.
 */
@Route("compose")
@PermitAll
public class ComposeView extends VerticalLayout implements BeforeEnterObserver, ComposerElement.Actions, TranslatedTitle {
    private static final Logger LOGGER = LoggerFactory.getLogger(ComposeView.class);

    private final String user;
    private final PublicKeyLookup keyLookup;
    private final PastCorrespondents correspondents;
    private final ComposerMailbox mailbox;
    private final MailSubmission submission;
    private final ComposerPreferences preferences;
    private final RecipientsField to;
    private final RecipientsField cc;
    private final RecipientsField bcc;
    private final ComposerElement composer;
    private final Map<String, Optional<FoundKey>> keys = new HashMap<>();
    private final String messageId;
    private final H2 title = new H2();
    private String inReplyTo;
    private String references;
    private long draftUid = -1;

    public ComposeView(AuthenticationContext authentication, PublicKeyLookup keyLookup, PastCorrespondents correspondents,
            ComposerMailbox mailbox, MailSubmission submission, ComposerPreferences preferences) {
        this.user = authentication.getPrincipalName().orElseThrow().toLowerCase(Locale.ROOT);
        this.keyLookup = keyLookup;
        this.correspondents = correspondents;
        this.mailbox = mailbox;
        this.submission = submission;
        this.preferences = preferences;
        this.messageId = PgpMimeWriter.newMessageId(user);
        setId("compose-view");
        setMaxWidth("60em");

        List<String> known = new ArrayList<>(correspondents.addresses(user));
        ListDataProvider<String> completions = new ListDataProvider<>(known);
        composer = new ComposerElement(user, preferences.signsByDefault(user), messageId, this);
        title.setText(getTranslation("composer.title"));
        to = new RecipientsField(getTranslation("composer.to"), "to", known, completions, composer::markChanged);
        cc = new RecipientsField(getTranslation("composer.cc"), "cc", known, completions, composer::markChanged);
        bcc = new RecipientsField(getTranslation("composer.bcc"), "bcc", known, completions, composer::markChanged);
        composer.setWidthFull();
        for (RecipientsField field : List.of(to, cc, bcc)) {
            field.addValueChangeListener(event -> recipientsChanged());
        }
        Paragraph hint = new Paragraph(getTranslation("composer.hint"));
        hint.getStyle().set("font-size", "var(--lumo-font-size-s)").set("color", "var(--lumo-secondary-text-color)")
                .set("margin", "0");
        title.getStyle().set("margin", "0");
        add(title, to, cc, bcc, hint, composer);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        QueryParameters query = event.getLocation().getQueryParameters();
        Optional<String> draft = single(query, "draft");
        Optional<String> mode = single(query, "mode");
        try {
            if (draft.isPresent()) {
                reopenDraft(Long.parseLong(draft.get()));
            } else if (mode.isPresent()) {
                answer(mode.get(), single(query, "folder").orElse(""), Long.parseLong(single(query, "uid").orElse("-1")));
            }
        } catch (NumberFormatException e) {
            showError(getTranslation("composer.error.badUid"));
        } catch (MessagingException e) {
            LOGGER.warn("Opening a message for the composer failed: {}", e.getMessage());
            showError(getTranslation("composer.error.notOpened", e.getMessage()));
        }
    }

    private static Optional<String> single(QueryParameters query, String name) {
        List<String> values = query.getParameters().getOrDefault(name, List.of());
        return values.isEmpty() || values.get(0).isBlank() ? Optional.empty() : Optional.of(values.get(0));
    }

    private void reopenDraft(long uid) throws MessagingException {
        Optional<StoredMessage> stored = mailbox.read(ComposerMailbox.DRAFTS, uid);
        if (stored.isEmpty() || stored.get().armored() == null) {
            showError(getTranslation("composer.error.noDraft"));
            return;
        }
        MimeMessage headers = stored.get().headers();
        fill(to, headers.getRecipients(Message.RecipientType.TO));
        fill(cc, headers.getRecipients(Message.RecipientType.CC));
        fill(bcc, headers.getRecipients(Message.RecipientType.BCC));
        inReplyTo = headers.getHeader("In-Reply-To", " ");
        references = headers.getHeader("References", " ");
        composer.setThreading(inReplyTo, references);
        draftUid = uid;
        title.setText(getTranslation("composer.draft"));
        composer.reopenDraft(stored.get().armored());
        recipientsChanged();
    }

    private void answer(String mode, String folder, long uid) throws MessagingException {
        if (!List.of("reply", "reply-all", "forward").contains(mode)) {
            showError(getTranslation("composer.error.mode", mode));
            return;
        }
        Optional<StoredMessage> stored = mailbox.read(folder, uid);
        if (stored.isEmpty()) {
            showError(getTranslation("composer.error.noOriginal", folder));
            return;
        }
        MimeMessage original = stored.get().headers();
        if (!mode.equals("forward")) {
            Address[] replyTo = original.getReplyTo(); // Reply-To, or From when there is none
            fill(to, replyTo);
            if (mode.equals("reply-all")) {
                fill(to, original.getRecipients(Message.RecipientType.TO));
                fill(cc, original.getRecipients(Message.RecipientType.CC));
            }
            String originalId = original.getMessageID();
            if (originalId != null) {
                inReplyTo = originalId;
                String earlier = original.getHeader("References", " ");
                references = earlier == null || earlier.isBlank() ? originalId : earlier + " " + originalId;
                composer.setThreading(inReplyTo, references);
            }
        }
        title.setText(switch (mode) {
            case "reply" -> getTranslation("composer.reply");
            case "reply-all" -> getTranslation("composer.replyAll");
            default -> getTranslation("composer.forward");
        });
        composer.answer(mode, folder, uid, stored.get().armored());
        recipientsChanged();
    }

    private void fill(RecipientsField field, Address[] addresses) {
        if (addresses == null) {
            return;
        }
        for (Address address : addresses) {
            if (address instanceof InternetAddress internet && internet.getAddress() != null
                    && !internet.getAddress().equalsIgnoreCase(user)) {
                field.add(internet.getAddress());
            }
        }
    }

    /** Finds each new recipient's key (directory, then WKD) and tells the browser. */
    private void recipientsChanged() {
        List<RecipientKey> recipients = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (var entry : Map.of(Kind.TO, to, Kind.CC, cc, Kind.BCC, bcc).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            for (String address : entry.getValue().addresses()) {
                if (seen.add(address)) {
                    Optional<FoundKey> key = keys.computeIfAbsent(address, keyLookup::find);
                    recipients.add(new RecipientKey(address, entry.getKey(),
                            key.map(k -> k.source().name().toLowerCase(Locale.ROOT)).orElse(null),
                            key.map(FoundKey::armored).orElse(null)));
                }
            }
        }
        composer.setRecipients(recipients);
    }

    @Override
    public String send(OutgoingCiphertext message) {
        List<InternetAddress> toAddresses = internet(to.addresses());
        List<InternetAddress> ccAddresses = internet(cc.addresses());
        List<InternetAddress> bccAddresses = internet(bcc.addresses());
        Set<String> all = new LinkedHashSet<>();
        List.of(to, cc, bcc).forEach(field -> all.addAll(field.addresses()));
        if (all.isEmpty()) {
            return getTranslation("composer.error.noRecipient");
        }
        Set<String> clear = new LinkedHashSet<>();
        for (String address : message.clearRecipients()) {
            String normalized = RecipientsField.normalize(address);
            if (normalized == null || !all.contains(normalized)) {
                return getTranslation("composer.error.clearNotRecipient", address);
            }
            clear.add(normalized);
        }
        Map<String, OutgoingCiphertext.BccCopy> bccCopies = new LinkedHashMap<>();
        for (OutgoingCiphertext.BccCopy copy : message.bccCopies()) {
            String normalized = RecipientsField.normalize(copy.address());
            if (normalized == null || !bcc.addresses().contains(normalized) || clear.contains(normalized)) {
                return getTranslation("composer.error.bccNotRecipient", copy.address());
            }
            bccCopies.put(normalized, copy);
        }
        for (String hidden : bcc.addresses()) {
            if (!clear.contains(hidden) && !bccCopies.containsKey(hidden) && !to.addresses().contains(hidden)
                    && !cc.addresses().contains(hidden)) {
                return getTranslation("composer.error.bccNoCopy", hidden);
            }
        }
        List<String> encryptedTo = all.stream().filter(a -> !clear.contains(a) && !bccCopies.containsKey(a)).toList();
        // Autocrypt (Level 1): the sender's published key travels with the mail, for the recipients' clients.
        String autocrypt = keyLookup.find(user).map(key -> AutocryptHeader.value(user, key.armored())).orElse(null);
        PgpMimeWriter.Headers headers = new PgpMimeWriter.Headers(internet(user), toAddresses, ccAddresses,
                bccAddresses, message.date(), messageId, inReplyTo, references, autocrypt);
        byte[] encrypted = PgpMimeWriter.write(headers, message.armored(), message.encryptedSubject(), false);
        try {
            if (!encryptedTo.isEmpty()) {
                submission.submit(encrypted, internet(encryptedTo));
            }
        } catch (MessagingException e) {
            LOGGER.info("Submission refused: {}", e.getMessage());
            return getTranslation("composer.error.refused", reason(e));
        }
        for (var copy : bccCopies.entrySet()) {
            try {
                submission.submit(PgpMimeWriter.write(headers, copy.getValue().armored(),
                        copy.getValue().encryptedSubject(), false), internet(List.of(copy.getKey())));
            } catch (MessagingException e) {
                LOGGER.info("Submission of a Bcc copy refused: {}", e.getMessage());
                return (encryptedTo.isEmpty() ? getTranslation("composer.error.notSent")
                        : getTranslation("composer.error.sentTo", String.join(", ", encryptedTo)))
                        + getTranslation("composer.error.butNotBcc", copy.getKey(), reason(e));
            }
        }
        if (!clear.isEmpty()) {
            try {
                submission.submit(message.clearMime(), internet(List.copyOf(clear)));
            } catch (MessagingException e) {
                LOGGER.info("Submission of the clear copy refused: {}", e.getMessage());
                return (encryptedTo.isEmpty() ? getTranslation("composer.error.notSent")
                        : getTranslation("composer.error.sentEncryptedTo", String.join(", ", encryptedTo), String.join(", ", clear)))
                        + getTranslation("composer.error.clearRefused", reason(e));
            }
        }
        String warning = "";
        try {
            mailbox.appendToSent(encrypted);
        } catch (MessagingException e) {
            LOGGER.warn("Keeping the Sent copy failed: {}", e.getMessage());
            warning = getTranslation("composer.sentCopyFailed", reason(e));
        }
        try {
            mailbox.deleteDraft(draftUid);
        } catch (MessagingException e) {
            LOGGER.info("Deleting the sent draft failed: {}", e.getMessage());
        }
        correspondents.remember(List.copyOf(all));
        Notification.show(getTranslation("composer.sent") + warning, 5000, Notification.Position.BOTTOM_START).setId("sent-notification");
        UI.getCurrent().navigate("mail/" + ComposerMailbox.SENT);
        return "";
    }

    @Override
    public String saveDraft(DraftCiphertext draft) {
        PgpMimeWriter.Headers headers = new PgpMimeWriter.Headers(internet(user), internet(to.addresses()),
                internet(cc.addresses()), internet(bcc.addresses()), draft.date(), messageId, inReplyTo, references);
        byte[] bytes = PgpMimeWriter.write(headers, draft.armored(), draft.encryptedSubject(), true);
        try {
            long previous = draftUid;
            draftUid = mailbox.appendDraft(bytes);
            // Only once the new version is stored: a failure leaves the previous one.
            mailbox.deleteDraft(previous);
            return "";
        } catch (MessagingException e) {
            LOGGER.info("Saving a draft failed: {}", e.getMessage());
            return getTranslation("composer.error.draftNotSaved", reason(e));
        }
    }

    @Override
    public void rememberSignDefault(boolean sign) {
        preferences.setSignsByDefault(user, sign);
    }

    private static String reason(MessagingException e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()).trim());
        Exception next = e.getNextException();
        if (next != null && next.getMessage() != null && !text.toString().contains(next.getMessage().trim())) {
            text.append(": ").append(next.getMessage().trim());
        }
        return text.toString();
    }

    private void showError(String text) {
        Notification notification = Notification.show(text, 8000, Notification.Position.MIDDLE);
        notification.setId("compose-error-notification");
    }

    private static InternetAddress internet(String address) {
        try {
            return new InternetAddress(address, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("Not an e-mail address: " + address, e);
        }
    }

    private static List<InternetAddress> internet(List<String> addresses) {
        return addresses.stream().map(ComposeView::internet).toList();
    }

    @Override
    public String titleKey() {
        return "title.compose";
    }
}
