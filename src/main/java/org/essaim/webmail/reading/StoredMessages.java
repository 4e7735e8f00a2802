package org.essaim.webmail.reading;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.mail.Address;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.essaim.webmail.MailboxConnection;

/**
 * The reader's IMAP operations on one message, addressed by folder and UID, through the session's
 * {@link MailboxConnection}. The message body is only ever copied as opaque bytes (ciphertext as stored):
 * nothing here parses, decodes or logs it.
 */
public class StoredMessages {
    private final MailboxConnection mailbox;

    public StoredMessages(MailboxConnection mailbox) {
        this.mailbox = mailbox;
    }

    /** The outer headers, or empty when the folder holds no message with this UID (moved or deleted meanwhile). */
    public Optional<OuterHeaders> headers(String folder, long uid) throws MessagingException {
        return mailbox.inFolder(folder, open -> {
            Message message = ((UIDFolder) open).getMessageByUID(uid);
            if (message == null || message.isExpunged()) {
                return Optional.empty();
            }
            InternetAddress first = firstInternetAddress(message.getFrom());
            java.util.Date date = message.getSentDate() != null ? message.getSentDate() : message.getReceivedDate();
            return Optional.of(new OuterHeaders(
                    addresses(message.getFrom()),
                    first == null ? null : first.getAddress(),
                    addresses(message.getRecipients(Message.RecipientType.TO)),
                    addresses(message.getRecipients(Message.RecipientType.CC)),
                    message.getSubject(),
                    date == null ? null : Instant.ofEpochMilli(date.getTime()),
                    message.getSize()));
        });
    }

    /**
     * Copies the whole stored message, byte for byte (BODY.PEEK[], so reading does not mark it seen by itself),
     * to the output. The folder is opened read-only.
     *
     * @return false when there is no such message
     */
    public boolean copyRaw(String folder, long uid, OutputStream out) throws MessagingException {
        Optional<byte[]> stored = mailbox.storedBytes(folder, uid);
        if (stored.isEmpty()) {
            return false;
        }
        try {
            out.write(stored.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    public void markSeen(String folder, long uid) throws MessagingException {
        mailbox.inWritableFolder(folder, open -> {
            Message message = ((UIDFolder) open).getMessageByUID(uid);
            if (message != null && !message.isExpunged()) {
                message.setFlag(Flags.Flag.SEEN, true);
            }
            return null;
        });
    }

    /**
     * Moves the message to another folder (IMAP MOVE, which James supports; copy + delete + UID EXPUNGE of this
     * one message otherwise, never a folder-wide EXPUNGE). Done on a folder handle of its own, closed after: the
     * session's shared open folder would otherwise keep the moved message, expunged, among its message numbers.
     *
     * @return false when there is no such message any more
     */
    public boolean move(String folder, long uid, String target) throws MessagingException {
        return mailbox.withStore(store -> {
            Folder destination = store.getFolder(target);
            if (!destination.exists()) {
                throw new MessagingException("There is no folder named \"" + target + "\"");
            }
            IMAPFolder source = (IMAPFolder) store.getFolder(folder);
            source.open(Folder.READ_WRITE);
            try {
                Message message = source.getMessageByUID(uid);
                if (message == null || message.isExpunged()) {
                    return false;
                }
                if (((IMAPStore) store).hasCapability("MOVE")) {
                    source.moveMessages(new Message[] {message}, destination);
                } else {
                    source.copyMessages(new Message[] {message}, destination);
                    message.setFlag(Flags.Flag.DELETED, true);
                    source.expunge(new Message[] {message});
                }
                return true;
            } finally {
                source.close(false);
            }
        });
    }

    private static InternetAddress firstInternetAddress(Address[] addresses) {
        if (addresses == null) {
            return null;
        }
        return Arrays.stream(addresses).filter(InternetAddress.class::isInstance).map(InternetAddress.class::cast)
                .findFirst().orElse(null);
    }

    private static String display(Address address) {
        return address instanceof InternetAddress internet ? internet.toUnicodeString() : address.toString();
    }

    private static String addresses(Address[] addresses) {
        if (addresses == null) {
            return "";
        }
        return Arrays.stream(addresses).map(StoredMessages::display).collect(Collectors.joining(", "));
    }
}
