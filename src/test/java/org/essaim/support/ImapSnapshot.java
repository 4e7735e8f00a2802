package org.essaim.support;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;

/**
 * What an IMAP client sees of an account, message by message: folder, UIDVALIDITY, UID, flags (without the
 * session-bound \Recent) and the SHA-256 of the exact bytes of {@code BODY[]}. Two snapshots are equal when a
 * client that cached the first would see nothing changed (backups, restores, standby hand-over).
 */
public final class ImapSnapshot {
    private ImapSnapshot() {
    }

    public record Seen(String folder, long uidValidity, long uid, List<String> flags, String sha256) { }

    public static List<Seen> of(EssaimInstance essaim, String account, String password) throws Exception {
        return of(essaim.imapsPort(), account, password);
    }

    public static List<Seen> of(int imapsPort, String account, String password) throws Exception {
        Store store = MailClients.imaps(imapsPort, account, password);
        try {
            List<Seen> messages = new ArrayList<>();
            for (Folder folder : store.getDefaultFolder().list("*")) {
                if ((folder.getType() & Folder.HOLDS_MESSAGES) == 0) {
                    continue;
                }
                messages.addAll(folder(folder));
            }
            messages.sort(java.util.Comparator.comparing(Seen::folder).thenComparingLong(Seen::uid));
            return messages;
        } finally {
            store.close();
        }
    }

    /** The bytes of every message of an account, as IMAP serves them ({@code BODY.PEEK[]}), in snapshot order. */
    public static List<byte[]> bytesOf(int imapsPort, String account, String password) throws Exception {
        Store store = MailClients.imaps(imapsPort, account, password);
        try {
            List<byte[]> all = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Folder folder : store.getDefaultFolder().list("*")) {
                if ((folder.getType() & Folder.HOLDS_MESSAGES) != 0) {
                    names.add(folder.getFullName());
                }
            }
            names.sort(null);
            for (String name : names) {
                IMAPFolder folder = (IMAPFolder) store.getFolder(name);
                folder.open(Folder.READ_ONLY);
                try {
                    for (Message message : folder.getMessages()) {
                        all.add(bytes(folder, message));
                    }
                } finally {
                    folder.close(false);
                }
            }
            return all;
        } finally {
            store.close();
        }
    }

    private static List<Seen> folder(Folder plain) throws Exception {
        IMAPFolder folder = (IMAPFolder) plain;
        folder.open(Folder.READ_ONLY);
        try {
            List<Seen> messages = new ArrayList<>();
            for (Message message : folder.getMessages()) {
                byte[] bytes = bytes(folder, message);
                messages.add(new Seen(folder.getFullName(), folder.getUIDValidity(), folder.getUID(message),
                        flags(message.getFlags()), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))));
            }
            return messages;
        } finally {
            folder.close(false);
        }
    }

    private static byte[] bytes(IMAPFolder folder, Message message) throws Exception {
        int number = message.getMessageNumber();
        BODY body = (BODY) folder.doCommand(protocol -> protocol.peekBody(number, ""));
        return body.getByteArrayInputStream().readAllBytes();
    }

    private static List<String> flags(Flags flags) {
        TreeSet<String> names = new TreeSet<>();
        for (Flags.Flag flag : flags.getSystemFlags()) {
            if (flag == Flags.Flag.ANSWERED) {
                names.add("\\Answered");
            } else if (flag == Flags.Flag.DELETED) {
                names.add("\\Deleted");
            } else if (flag == Flags.Flag.DRAFT) {
                names.add("\\Draft");
            } else if (flag == Flags.Flag.FLAGGED) {
                names.add("\\Flagged");
            } else if (flag == Flags.Flag.SEEN) {
                names.add("\\Seen");
            }
        }
        for (String user : flags.getUserFlags()) {
            names.add(user);
        }
        return List.copyOf(names);
    }
}
