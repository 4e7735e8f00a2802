package org.essaim.webmail.composing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

import jakarta.mail.BodyPart;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.essaim.webmail.MailboxConnection;
import org.springframework.stereotype.Component;

import com.vaadin.flow.spring.annotation.VaadinSessionScope;

/**
 * The composer's IMAP work, through the session's {@link MailboxConnection}: the Sent copy, drafts (append,
 * replace, delete, reopen) and the originals of answers.
 */
@Component
@VaadinSessionScope
public class ComposerMailbox {
    static final String SENT = "Sent";
    static final String DRAFTS = "Drafts";

    private final MailboxConnection mailbox;

    public ComposerMailbox(MailboxConnection mailbox) {
        this.mailbox = mailbox;
    }

    /** Appends the message as sent (\Seen) to Sent, creating the folder if the account has none. */
    public void appendToSent(byte[] message) throws MessagingException {
        append(SENT, message, new Flags(Flags.Flag.SEEN));
    }

    /** Appends a draft (\Draft \Seen) and returns its UID (-1 if the server does not tell). */
    public long appendDraft(byte[] message) throws MessagingException {
        Flags flags = new Flags(Flags.Flag.DRAFT);
        flags.add(Flags.Flag.SEEN);
        return append(DRAFTS, message, flags);
    }

    private long append(String folderName, byte[] bytes, Flags flags) throws MessagingException {
        return mailbox.withStore(store -> {
            Folder folder = store.getFolder(folderName);
            if (!folder.exists()) {
                folder.create(Folder.HOLDS_MESSAGES);
            }
            MimeMessage message = MailSubmission.asMessage(bytes);
            message.setFlags(flags, true);
            AppendUID[] uids = ((IMAPFolder) folder).appendUIDMessages(new Message[] {message});
            return uids != null && uids.length == 1 && uids[0] != null ? uids[0].uid : -1L;
        });
    }

    /** Removes a draft by UID (sent, or replaced by a newer version); a draft already gone is fine. */
    public void deleteDraft(long uid) throws MessagingException {
        if (uid < 0) {
            return;
        }
        mailbox.inWritableFolder(DRAFTS, folder -> {
            Message message = ((UIDFolder) folder).getMessageByUID(uid);
            if (message != null) {
                message.setFlag(Flags.Flag.DELETED, true);
                ((IMAPFolder) folder).expunge(new Message[] {message});
            }
            return null;
        });
    }

    /** A stored message's outer headers and the armored ciphertext of its PGP/MIME body, if it has one. */
    public record StoredMessage(MimeMessage headers, String armored) {
    }

    public Optional<StoredMessage> read(String folderName, long uid) throws MessagingException {
        if (!mailbox.folderExists(folderName)) {
            return Optional.empty();
        }
        Optional<byte[]> stored = mailbox.storedBytes(folderName, uid);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(stored.get()));
        return Optional.of(new StoredMessage(parsed, armoredPart(parsed)));
    }

    /** The second part of an RFC 3156 multipart/encrypted message, as text; null for anything else. */
    static String armoredPart(MimeMessage message) throws MessagingException {
        try {
            if (!message.isMimeType("multipart/encrypted")) {
                return null;
            }
            Multipart parts = (Multipart) message.getContent();
            if (parts.getCount() < 2) {
                return null;
            }
            BodyPart encrypted = parts.getBodyPart(1);
            try (InputStream in = encrypted.getInputStream(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
                in.transferTo(out);
                String text = out.toString(StandardCharsets.US_ASCII);
                return text.contains("-----BEGIN PGP MESSAGE-----") ? text : null;
            }
        } catch (IOException e) {
            throw new MessagingException("Cannot read the encrypted part", e);
        }
    }
}
