package org.essaim.webmail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import jakarta.mail.Address;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;

/**
 * Reads pages of the message list over the session's IMAP connection. Each page is ONE round trip:
 * {@code FETCH n:m (ENVELOPE FLAGS RFC822.SIZE UID BODY.PEEK[HEADER.FIELDS (Essaim-Encrypted-Subject)])},
 * so the encrypted subject arrives with the envelope and the message stays unread.
 */
final class MessageRows {
    /** The header the server (delivery, APPEND, sweep) and the browser composer write on encrypted mail. */
    static final String ENCRYPTED_SUBJECT = "Essaim-Encrypted-Subject";

    private final MailboxConnection mailbox;

    MessageRows(MailboxConnection mailbox) {
        this.mailbox = mailbox;
    }

    /** The messages numbered {@code from..to} (1-based, inclusive), newest (highest number) first. */
    List<MessageRow> page(String folderName, int from, int to) {
        if (from > to) {
            return List.of();
        }
        try {
            return mailbox.inFolder(folderName, folder -> fetch(folder, from, to));
        } catch (MessagingException e) {
            throw new MailboxUnavailableException("Cannot read the messages of " + folderName + ": " + e.getMessage(), e);
        }
    }

    private static List<MessageRow> fetch(Folder folder, int from, int to) throws MessagingException {
        int last = Math.min(to, folder.getMessageCount());
        if (from < 1 || from > last) {
            return List.of();
        }
        Message[] messages = folder.getMessages(from, last);
        FetchProfile profile = new FetchProfile();
        profile.add(FetchProfile.Item.ENVELOPE);
        profile.add(FetchProfile.Item.FLAGS);
        profile.add(FetchProfile.Item.SIZE);
        profile.add(UIDFolder.FetchProfileItem.UID);
        profile.add(ENCRYPTED_SUBJECT);
        folder.fetch(messages, profile);
        UIDFolder uids = (UIDFolder) folder;
        List<MessageRow> rows = new ArrayList<>(messages.length);
        for (int i = messages.length - 1; i >= 0; i--) {
            rows.add(row(uids.getUID(messages[i]), messages[i]));
        }
        return rows;
    }

    private static MessageRow row(long uid, Message message) throws MessagingException {
        Date date = message.getSentDate() != null ? message.getSentDate() : message.getReceivedDate();
        Flags flags = message.getFlags();
        String[] encrypted = message.getHeader(ENCRYPTED_SUBJECT);
        return new MessageRow(uid, sender(message.getFrom()), message.getSubject(),
                encrypted == null || encrypted.length == 0 ? null : encrypted[0].replaceAll("\\s+", ""),
                date == null ? null : Instant.ofEpochMilli(date.getTime()), message.getSize(),
                flags.contains(Flags.Flag.SEEN), flags.contains(Flags.Flag.FLAGGED));
    }

    private static String sender(Address[] from) {
        if (from == null || from.length == 0) {
            return "";
        }
        if (from[0] instanceof InternetAddress address) {
            String name = address.getPersonal();
            return name == null || name.isBlank() ? address.getAddress() : name + " <" + address.getAddress() + ">";
        }
        return Arrays.toString(from);
    }
}
