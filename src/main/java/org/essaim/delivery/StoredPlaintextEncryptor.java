package org.essaim.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.Flags;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageManager.AppendCommand;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.MessageUid;
import org.essaim.crypto.EncryptedMessages;
import org.essaim.crypto.PgpMimeEncryptor;

/**
 * Encrypts the plaintext messages already stored in an account (stored before encryption existed, or appended
 * while the owner had no key yet), in every folder, to the owner's published key. Each message is replaced by its
 * ciphertext with the same internal date and flags: the ciphertext is appended first and the plaintext deleted
 * after, so an interruption leaves at worst both, never neither. IMAP clients see a new UID for the message.
 * <p>
 * Limits: the database and the search index free the plaintext's space but may keep the old bytes until they
 * compact; mail that arrives through SMTP never has this problem as it is encrypted before the queue.
 */
public class StoredPlaintextEncryptor {
    private final MailboxManager mailboxManager;
    private final RecipientKeys keys;
    private final PgpMimeEncryptor encryptor = new PgpMimeEncryptor();

    @Inject
    public StoredPlaintextEncryptor(MailboxManager mailboxManager, RecipientKeys keys) {
        this.mailboxManager = mailboxManager;
        this.keys = keys;
    }

    /** @return how many messages were encrypted; 0 when the account has no published key */
    public int encryptStoredPlaintext(MailAddress owner) throws MailboxException {
        Optional<byte[]> key = keys.publicKeyOf(owner.asString());
        if (key.isEmpty()) {
            return 0;
        }
        MailboxSession session = mailboxManager.createSystemSession(Username.of(owner.asString()));
        try {
            int encrypted = 0;
            for (MailboxPath path : mailboxManager.list(session)) {
                if (path.belongsTo(session)) {
                    encrypted += encryptMailbox(mailboxManager.getMailbox(path, session), key.get(), session);
                }
            }
            return encrypted;
        } finally {
            mailboxManager.endProcessingRequest(session);
        }
    }

    private int encryptMailbox(MessageManager mailbox, byte[] key, MailboxSession session) throws MailboxException {
        List<MessageUid> candidates = new ArrayList<>();
        Iterator<MessageResult> headers = mailbox.getMessages(MessageRange.all(), FetchGroup.HEADERS, session);
        while (headers.hasNext()) {
            MessageResult message = headers.next();
            if (!isPgpMime(message)) {
                candidates.add(message.getUid());
            }
        }
        int encrypted = 0;
        for (MessageUid uid : candidates) {
            Iterator<MessageResult> full = mailbox.getMessages(MessageRange.one(uid), FetchGroup.FULL_CONTENT, session);
            if (!full.hasNext()) {
                continue; // deleted meanwhile
            }
            MessageResult message = full.next();
            byte[] content = contentOf(message);
            if (EncryptedMessages.isEncrypted(content)) {
                continue; // inline PGP or S/MIME
            }
            byte[] ciphertext;
            try {
                ciphertext = encryptor.encrypt(content, key);
            } catch (PgpMimeEncryptor.EncryptionFailedException e) {
                throw new MailboxException("Cannot encrypt to the owner's key: " + e.getMessage());
            }
            Flags flags = new Flags(message.getFlags());
            flags.remove(Flags.Flag.RECENT);
            mailbox.appendMessage(AppendCommand.builder()
                    .withInternalDate(message.getInternalDate())
                    .withFlags(flags)
                    .notRecent()
                    .build(ciphertext), session);
            mailbox.delete(List.of(uid), session);
            encrypted++;
        }
        return encrypted;
    }

    private static boolean isPgpMime(MessageResult message) throws MailboxException {
        Iterator<Header> headers = message.getHeaders().headers();
        while (headers.hasNext()) {
            Header header = headers.next();
            if (header.getName().equalsIgnoreCase("Content-Type")) {
                return header.getValue().trim().toLowerCase(Locale.ROOT).startsWith("multipart/encrypted");
            }
        }
        return false;
    }

    private static byte[] contentOf(MessageResult message) throws MailboxException {
        try (InputStream in = message.getFullContent().getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new MailboxException("Cannot read a stored message", e);
        }
    }
}
