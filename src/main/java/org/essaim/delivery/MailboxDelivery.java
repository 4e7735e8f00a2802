package org.essaim.delivery;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxExistsException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.MailboxConstants;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;

/**
 * Stores a message in an account's INBOX (or the folder its storage directive names, e.g. Spam) from the SMTP
 * session, as an LMTP server does: no queue in between.
 * It adds what James' LocalDelivery would add at the top (Return-Path with the envelope sender, replacing any
 * such header the sender wrote, and Delivered-To with the account), then appends through the mailbox manager
 * Essaim wraps (so content that is somehow still plaintext is encrypted for the owner, never stored in clear).
 * The append is committed when this returns; {@link DurableCommits} makes it durable.
 */
public class MailboxDelivery {
    private final MailboxManager mailboxes;

    @Inject
    public MailboxDelivery(MailboxManager mailboxes) {
        this.mailboxes = mailboxes;
    }

    /** James' per-recipient storage directive (what LocalDelivery honours; the spam check sets it for junk). */
    static final String DELIVERY_PATH_PREFIX = "DeliveryPath_";

    /** The folder an account's copy goes to: its storage directive when the Mail carries one, otherwise INBOX. */
    public static String folderFor(Mail mail, MailAddress account) {
        return mail.getAttribute(AttributeName.of(DELIVERY_PATH_PREFIX + account.asString()))
                .flatMap(attribute -> attribute.getValue().valueAs(String.class))
                .filter(folder -> !folder.isBlank())
                .orElse(MailboxConstants.INBOX);
    }

    /** Stores the copy in the account's INBOX. */
    public void deliver(MailAddress account, MaybeSender sender, byte[] message) throws MailboxException {
        deliver(account, sender, message, MailboxConstants.INBOX);
    }

    /**
     * Stores the copy in one of the account's folders (created when missing, as LocalDelivery does).
     *
     * @throws MailboxException when the mailbox refuses (quota) or the store fails; nothing was stored then
     */
    public void deliver(MailAddress account, MaybeSender sender, byte[] message, String folder) throws MailboxException {
        deliver(account, sender, contentOf(message), folder);
    }

    /**
     * The same for a message read from a stream (a spooled ciphertext: a large message is never held whole in
     * memory here). The content is read when it is stored, as often as the store needs.
     */
    public void deliver(MailAddress account, MaybeSender sender, Content message, String folder) throws MailboxException {
        Content stored;
        try {
            stored = withDeliveryHeaders(message, sender, account);
        } catch (IOException e) {
            throw new MailboxException("Cannot read the message to store", e);
        }
        MailboxSession session = mailboxes.createSystemSession(Username.of(account.asString()));
        mailboxes.startProcessingRequest(session);
        try {
            folderOf(session, folder).appendMessage(MessageManager.AppendCommand.builder()
                    .recent()
                    .delivery()
                    .build(stored), session);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    private static Content contentOf(byte[] message) {
        return new Content() {
            @Override
            public InputStream getInputStream() {
                return new ByteArrayInputStream(message);
            }

            @Override
            public long size() {
                return message.length;
            }
        };
    }

    private MessageManager folderOf(MailboxSession session, String folder) throws MailboxException {
        MailboxPath path = folder.equalsIgnoreCase(MailboxConstants.INBOX)
                ? MailboxPath.inbox(session)
                : MailboxPath.forUser(session.getUser(), folder.replace('/', session.getPathDelimiter()));
        try {
            return mailboxes.getMailbox(path, session);
        } catch (MailboxNotFoundException e) {
            try {
                mailboxes.createMailbox(path, MailboxManager.CreateOption.CREATE_SUBSCRIPTION, session);
            } catch (MailboxExistsException concurrent) {
                // created by a concurrent delivery: fine
            }
            return mailboxes.getMailbox(path, session);
        }
    }

    /**
     * Return-Path and Delivered-To first, the message's own Return-Path lines (if any) left out. Only the header is
     * held in memory; the body is read from the original each time the store reads the content.
     */
    static Content withDeliveryHeaders(byte[] message, MaybeSender sender, MailAddress account) throws IOException, MailboxException {
        return withDeliveryHeaders(contentOf(message), sender, account);
    }

    static Content withDeliveryHeaders(Content message, MaybeSender sender, MailAddress account) throws IOException, MailboxException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(4096);
        head.writeBytes(("Return-Path: " + sender.asPrettyString() + "\r\n"
                + "Delivered-To: " + account.asString() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        long bodyFrom = 0;
        try (InputStream in = new BufferedInputStream(message.getInputStream(), 8192)) {
            boolean skipping = false;
            byte[] line;
            while ((line = readLine(in)) != null) {
                boolean blank = line[0] == '\n' || (line[0] == '\r' && line.length <= 2);
                if (blank) {
                    break; // the blank line and the body follow as they are
                }
                boolean continuation = line[0] == ' ' || line[0] == '\t';
                if (!continuation) {
                    skipping = startsWithIgnoreCase(line, "return-path:");
                }
                if (!skipping) {
                    head.write(line, 0, line.length);
                }
                bodyFrom += line.length;
            }
        }
        byte[] header = head.toByteArray();
        long bodyStart = bodyFrom;
        long size = header.length + message.size() - bodyStart;
        return new CheckedContent() {
            @Override
            public InputStream getInputStream() throws IOException {
                InputStream original = message.getInputStream();
                original.skipNBytes(bodyStart);
                return new SequenceInputStream(new ByteArrayInputStream(header), original);
            }

            @Override
            public long size() {
                return size;
            }
        };
    }

    /**
     * Content the SMTP session already encrypted (or found encrypted): the mailbox wrapper need not read it all
     * again to check (a 45 MB message would otherwise be copied once more).
     */
    interface CheckedContent extends Content {
    }

    /** A line with its end (LF or CRLF) as it is, or null at the end. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static boolean startsWithIgnoreCase(byte[] line, String prefix) {
        if (line.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) line[i]) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
