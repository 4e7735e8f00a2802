package org.essaim.mailserver;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxMetaData;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.search.MailboxQuery;
import org.springframework.stereotype.Service;

import reactor.core.publisher.Mono;

/**
 * A whole account's mail in and out, message by message, exactly as stored (ciphertext stays ciphertext): for
 * "Export my mailbox" and "Import" (leaving freely). Flags are IMAP names ({@code \Seen}, {@code \Flagged}, ...,
 * and keywords); {@code \Recent} is left out (it belongs to an IMAP session).
 */
@Service
public class MailboxTransfer {
    private final EmbeddedJames james;

    public MailboxTransfer(EmbeddedJames james) {
        this.james = james;
    }

    /** One message of one folder. */
    public record TransferredMessage(String folder, long uid, Set<String> flags, Date internalDate, byte[] content) { }

    /** Receives the messages of an export, one at a time. */
    @FunctionalInterface
    public interface Sink {
        void accept(TransferredMessage message) throws IOException;
    }

    /** The account's folders, INBOX first then by name. */
    public List<String> folders(String address) {
        Username username = username(address);
        MailboxManager mailboxes = james.service(MailboxManager.class);
        MailboxSession session = mailboxes.createSystemSession(username);
        try {
            List<String> names = new ArrayList<>(mailboxes.search(MailboxQuery.privateMailboxesBuilder(session).build(), session)
                    .map(MailboxMetaData::getPath).map(MailboxPath::getName).collectList().block());
            names.sort((a, b) -> a.equalsIgnoreCase("INBOX") ? -1 : b.equalsIgnoreCase("INBOX") ? 1 : a.compareTo(b));
            return names;
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    /** Every message of every folder, in folder order then UID order, handed to the sink one at a time. */
    public void export(String address, Sink sink) throws IOException {
        Username username = username(address);
        MailboxManager mailboxes = james.service(MailboxManager.class);
        MailboxSession session = mailboxes.createSystemSession(username);
        try {
            for (String folder : folders(address)) {
                MessageManager mailbox = mailboxes.getMailbox(MailboxPath.forUser(username, folder), session);
                Iterator<MessageResult> messages = mailbox.getMessages(MessageRange.all(), FetchGroup.FULL_CONTENT, session);
                while (messages.hasNext()) {
                    MessageResult message = messages.next();
                    byte[] content;
                    try (InputStream in = message.getFullContent().getInputStream()) {
                        content = in.readAllBytes();
                    }
                    sink.accept(new TransferredMessage(folder, message.getUid().asLong(), flagNames(message.getFlags()),
                            message.getInternalDate(), content));
                }
            }
        } catch (MailboxException e) {
            throw new MailServerException("Cannot read the mail of " + address, e);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    /**
     * Appends a message to a folder of the account (created when missing), with its flags and date. Like any
     * append, a message in clear is stored encrypted to the account's key when there is one.
     */
    public void append(String address, String folder, byte[] content, Set<String> flags, Date internalDate) {
        Username username = username(address);
        MailboxManager mailboxes = james.service(MailboxManager.class);
        MailboxSession session = mailboxes.createSystemSession(username);
        try {
            MailboxPath path = folder.equalsIgnoreCase("INBOX") ? MailboxPath.inbox(username) : MailboxPath.forUser(username, folder);
            if (!Boolean.TRUE.equals(Mono.from(mailboxes.mailboxExists(path, session)).block())) {
                mailboxes.createMailbox(path, session);
            }
            MessageManager.AppendCommand.Builder command = MessageManager.AppendCommand.builder()
                    .withFlags(toFlags(flags)).notRecent();
            if (internalDate != null) {
                command.withInternalDate(internalDate);
            }
            mailboxes.getMailbox(path, session).appendMessage(command.build(content), session);
        } catch (MailboxException e) {
            throw new MailServerException("Cannot store a message into " + folder + ": " + e.getMessage(), e);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    static Set<String> flagNames(Flags flags) {
        Set<String> names = new TreeSet<>();
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
        names.addAll(List.of(flags.getUserFlags()));
        return names;
    }

    static Flags toFlags(Set<String> names) {
        Flags flags = new Flags();
        for (String name : names) {
            switch (name) {
                case "\\Answered" -> flags.add(Flags.Flag.ANSWERED);
                case "\\Deleted" -> flags.add(Flags.Flag.DELETED);
                case "\\Draft" -> flags.add(Flags.Flag.DRAFT);
                case "\\Flagged" -> flags.add(Flags.Flag.FLAGGED);
                case "\\Seen" -> flags.add(Flags.Flag.SEEN);
                case "\\Recent" -> { }
                default -> {
                    if (!name.startsWith("\\")) {
                        flags.add(name);
                    }
                }
            }
        }
        return flags;
    }

    private static Username username(String address) {
        return Username.of(address.trim().toLowerCase(java.util.Locale.ROOT));
    }
}
