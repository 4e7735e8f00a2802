package org.essaim.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

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
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.MessageUid;

/**
 * Encrypts the plaintext messages already stored in an account (stored before encryption existed, appended while the
 * owner had no key yet, or made by the mail server itself, such as bounces), in every folder, to the owner's
 * published key, as {@link EncryptionPolicy} decides: only mail that really is end-to-end encrypted stays as it is,
 * whatever its headers claim. Each message is replaced by its ciphertext with the same internal date and flags: the
 * ciphertext is appended first and the plaintext deleted after, so an interruption leaves at worst both, never
 * neither. IMAP clients see a new UID for the message.
 * <p>
 * Each message is read once: {@link SweepProgress} remembers per mailbox the highest UID checked, and a pass reads
 * only the messages above it (their full content, as a header can claim anything).
 * <p>
 * Limits: the database and the search index free the plaintext's space but may keep the old bytes until they
 * compact; mail that arrives through SMTP never has this problem as it is encrypted before the queue.
 */
public class StoredPlaintextEncryptor {
    private final MailboxManager mailboxManager;
    private final EncryptionPolicy policy;
    private final RecipientKeys keys;
    private final SweepProgress progress;

    @Inject
    public StoredPlaintextEncryptor(MailboxManager mailboxManager, RecipientKeys keys, SweepProgress progress) {
        this.mailboxManager = mailboxManager;
        this.keys = keys;
        this.policy = new EncryptionPolicy(keys);
        this.progress = progress;
    }

    /** @return how many messages were encrypted; 0 when the account has no published key */
    public int encryptStoredPlaintext(MailAddress owner) throws MailboxException {
        if (keys.publicKeyOf(owner.asString()).isEmpty()) {
            return 0; // nothing to encrypt to: check nothing, so these messages are checked once a key exists
        }
        MailboxSession session = mailboxManager.createSystemSession(Username.of(owner.asString()));
        try {
            int encrypted = 0;
            for (MailboxPath path : mailboxManager.list(session)) {
                if (path.belongsTo(session)) {
                    encrypted += encryptMailbox(mailboxManager.getMailbox(path, session), owner.asString(), session);
                }
            }
            return encrypted;
        } finally {
            mailboxManager.endProcessingRequest(session);
        }
    }

    private int encryptMailbox(MessageManager mailbox, String owner, MailboxSession session) throws MailboxException {
        String name = mailbox.getId().serialize() + ":" + mailbox.getMailboxEntity().getUidValidity().asLong();
        long checked = progress.checkedUpTo(name);
        List<MessageUid> toCheck = new ArrayList<>();
        Iterator<MessageResult> unchecked = mailbox.getMessages(MessageRange.from(MessageUid.of(checked + 1)),
                FetchGroup.MINIMAL, session);
        while (unchecked.hasNext()) {
            toCheck.add(unchecked.next().getUid());
        }
        int encrypted = 0;
        for (MessageUid uid : toCheck) {
            Iterator<MessageResult> full = mailbox.getMessages(MessageRange.one(uid), FetchGroup.FULL_CONTENT, session);
            if (full.hasNext()) { // else deleted meanwhile
                MessageResult message = full.next();
                EncryptionPolicy.Decision decision = policy.decide(contentOf(message), owner);
                switch (decision.kind()) {
                    case ENCRYPTED -> {
                        replace(mailbox, message, decision.message(), session);
                        encrypted++;
                    }
                    case REFUSED -> throw new MailboxException("Cannot encrypt to the owner's key: " + decision.reason());
                    case NO_KEY -> {
                        return encrypted; // the key was withdrawn meanwhile: check the rest once there is one again
                    }
                    default -> { } // ALREADY_ENCRYPTED: stays as it is
                }
            }
            progress.checkedUpTo(name, uid.asLong());
        }
        return encrypted;
    }

    private static void replace(MessageManager mailbox, MessageResult plaintext, byte[] ciphertext, MailboxSession session)
            throws MailboxException {
        Flags flags = new Flags(plaintext.getFlags());
        flags.remove(Flags.Flag.RECENT);
        mailbox.appendMessage(AppendCommand.builder()
                .withInternalDate(plaintext.getInternalDate())
                .withFlags(flags)
                .notRecent()
                .build(ciphertext), session);
        mailbox.delete(List.of(plaintext.getUid()), session);
    }

    private static byte[] contentOf(MessageResult message) throws MailboxException {
        try (InputStream in = message.getFullContent().getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new MailboxException("Cannot read a stored message", e);
        }
    }
}
