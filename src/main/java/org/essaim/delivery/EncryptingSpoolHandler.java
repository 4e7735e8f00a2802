package org.essaim.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.commons.configuration2.Configuration;
import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Content;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.essaim.delivery.spool.MessageSpool;
import org.essaim.delivery.spool.SpooledMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the place of James' {@code SendMailHandler}, the last step of the SMTP DATA phase. Mail for this server's
 * accounts is stored in their mailboxes right here, in the session, as an LMTP server does; only mail for other
 * servers (and retries) goes through the queue. A plaintext message for local accounts is encrypted in memory,
 * once per account to that account's own key, so the mailbox database, the search index and the queue only ever
 * see ciphertext for local accounts. {@code 250} comes after the stored copies are durable on disk
 * ({@link DurableCommits}: one group commit shared by concurrent sessions).
 * <ul>
 * <li>What is stored is decided by {@link EncryptionPolicy}: mail that really is end-to-end encrypted (PGP/MIME,
 * inline PGP, S/MIME, by form and not by label) is stored exactly as it came; anything else is encrypted.</li>
 * <li>An alias of local accounts is resolved here: the copies go to the accounts, each encrypted to its own
 * key.</li>
 * <li>Remote recipients (submission, after AUTH) get the message as the sender wrote it, in one queued Mail; so
 * do local addresses that reach no account (postmaster without a mapping, forwards to other servers).</li>
 * <li>A copy its mailbox refuses at this moment (quota filled since RCPT, a store error) is queued instead: the
 * queue's local delivery retries it and bounces it in the end.</li>
 * <li>Every ciphertext is made before the first copy is stored, so a key problem refuses the whole message with a
 * temporary error and nothing is half-stored. (Should storing fail midway, the sender's retry may deliver a
 * second copy to the recipients already served: a duplicate, never a loss or a plaintext.)</li>
 * </ul>
 * It logs neither the client's address nor anything from the message besides its name and counts.
 */
public class EncryptingSpoolHandler implements JamesMessageHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(EncryptingSpoolHandler.class);

    static final HookResult QUEUED = HookResult.builder()
            .hookReturnCode(HookReturnCode.ok())
            .smtpDescription(DSNStatus.getStatus(DSNStatus.SUCCESS, DSNStatus.CONTENT_OTHER) + " Message received")
            .build();
    static final HookResult CANNOT_ENCRYPT = HookResult.builder()
            .hookReturnCode(HookReturnCode.denySoft())
            .smtpReturnCode("451")
            .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SYSTEM_OTHER)
                    + " The message could not be encrypted for its recipient; nothing was stored")
            .build();
    static final HookResult QUEUE_FAILED = HookResult.builder()
            .hookReturnCode(HookReturnCode.denySoft())
            .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.UNDEFINED_STATUS) + " Error processing message.")
            .build();

    private final MailQueueFactory<?> queueFactory;
    private final LocalAccounts localAccounts;
    private final EncryptionPolicy policy;
    private final MailboxDelivery mailboxDelivery;
    private final DurableCommits durableCommits;
    private final HookResult keyMissing;
    private final MessageSpool spool = MessageSpool.inTemporaryDirectory();
    private MailQueue queue;

    @Inject
    public EncryptingSpoolHandler(MailQueueFactory<?> queueFactory, LocalAccounts localAccounts, RecipientKeys keys,
                                  MailboxDelivery mailboxDelivery, DurableCommits durableCommits, NoticeTexts texts) {
        this.queueFactory = queueFactory;
        this.localAccounts = localAccounts;
        this.policy = new EncryptionPolicy(keys);
        this.mailboxDelivery = mailboxDelivery;
        this.durableCommits = durableCommits;
        this.keyMissing = WaitForKeyRcptHook.waitingForKey(texts);
    }

    @Override
    public void init(Configuration config) {
        queue = queueFactory.createQueue(MailQueueFactory.SPOOL);
    }

    @Override
    public void destroy() {
        try {
            queue.close();
        } catch (IOException e) {
            LOGGER.debug("Error closing the spool queue", e);
        }
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        Map<MailAddress, SpooledMessage> forAccounts = new LinkedHashMap<>();
        List<MailAddress> asWritten = new ArrayList<>();
        List<Mail> toQueue = new ArrayList<>();
        try (OriginalMessage original = OriginalMessage.of(mail, spool)) {
            try {
                EncryptionPolicy.Streamed examined = policy.examine(() -> original.content().getInputStream());
                for (MailAddress recipient : mail.getRecipients()) {
                    List<MailAddress> accounts = localAccounts.accountsReachedBy(recipient);
                    if (accounts.isEmpty()) {
                        asWritten.add(recipient);
                        continue;
                    }
                    // An alias is resolved here, so each account gets a copy encrypted to its own key.
                    for (MailAddress account : accounts) {
                        if (forAccounts.containsKey(account)) {
                            continue;
                        }
                        if (examined.isAlreadyEncrypted()) {
                            forAccounts.put(account, null); // the original, as it came
                            continue;
                        }
                        SpooledMessage ciphertext = spool.newMessage();
                        EncryptionPolicy.Decision decision;
                        try (OutputStream out = ciphertext.output()) {
                            decision = examined.encryptInto(account.asString(), out);
                        } catch (IOException | RuntimeException e) {
                            ciphertext.close();
                            throw e;
                        }
                        if (decision.kind() != EncryptionPolicy.Kind.ENCRYPTED) {
                            ciphertext.close();
                        }
                        switch (decision.kind()) {
                            case ALREADY_ENCRYPTED -> forAccounts.put(account, null);
                            case ENCRYPTED -> forAccounts.put(account, ciphertext);
                            case NO_KEY -> {
                                return keyMissing; // the key vanished between RCPT and the end of DATA
                            }
                            case REFUSED -> {
                                LOGGER.warn("Mail {} refused: {}", mail.getName(), decision.reason());
                                return CANNOT_ENCRYPT;
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOGGER.error("Mail {} refused: {}", mail.getName(), e.getClass().getSimpleName());
                return QUEUE_FAILED;
            }

            int stored = 0;
            for (Map.Entry<MailAddress, SpooledMessage> copy : forAccounts.entrySet()) {
                Content content = copy.getValue() == null ? original.content() : contentOf(copy.getValue());
                if (storeNow(mail, copy.getKey(), content)) {
                    stored++;
                } else {
                    toQueue.add(queuedCopy(mail, copy.getKey(), copy.getValue() == null ? original.copy() : copy.getValue()));
                }
            }
            if (!asWritten.isEmpty()) {
                mail.setRecipients(asWritten);
                toQueue.add(mail);
            }
            for (Mail each : toQueue) {
                queue.enQueue(each);
            }
            durableCommits.awaitDurable(); // 250 only once the stored copies are on disk
            LOGGER.info("Delivered mail {}: {} stored in mailboxes, {} queued", mail.getName(), stored, toQueue.size());
            return QUEUED;
        } catch (DurableCommits.NotDurableException e) {
            LOGGER.error("Mail {} not acknowledged: {}", mail.getName(), e.getMessage());
            return QUEUE_FAILED;
        } catch (Exception e) {
            LOGGER.error("Mail {} could not be queued: {}", mail.getName(), e.getClass().getSimpleName());
            return QUEUE_FAILED;
        } finally {
            disposeCopies(toQueue, mail);
            forAccounts.values().stream().filter(Objects::nonNull).forEach(SpooledMessage::close);
        }
    }

    private static Content contentOf(SpooledMessage message) {
        return new Content() {
            @Override
            public InputStream getInputStream() throws IOException {
                return message.open();
            }

            @Override
            public long size() {
                return message.size();
            }
        };
    }

    /**
     * Stores an account's copy in its INBOX now. When the mailbox refuses it (the quota filled up since RCPT, a
     * store error), the copy goes to the queue instead, whose local delivery retries and finally bounces: the
     * sender still gets one answer for the whole message and no recipient gets a duplicate.
     */
    private boolean storeNow(Mail mail, MailAddress account, Content content) {
        try {
            mailboxDelivery.deliver(account, mail.getMaybeSender(), content, MailboxDelivery.folderFor(mail, account));
            return true;
        } catch (MailboxException | RuntimeException e) {
            LOGGER.warn("Mail {} queued for a later delivery attempt: {}", mail.getName(), e.getClass().getSimpleName());
            return false;
        }
    }

    /**
     * The copy as a Mail for the queue; it reads the spooled bytes (no copy in memory: James' MimeMessageWrapper
     * would otherwise copy a MimeMessage it is given).
     */
    private static Mail queuedCopy(Mail mail, MailAddress account, SpooledMessage content) throws MessagingException {
        MailImpl copy = MailImpl.duplicateWithoutMessage(mail).build();
        copy.setMessageNoCopy(new MimeMessageWrapper(content));
        copy.setRecipients(List.of(account));
        return copy;
    }

    private static void disposeCopies(List<Mail> mails, Mail original) {
        for (Mail each : mails) {
            if (each != original) {
                LifecycleUtil.dispose(each);
            }
        }
    }

    /**
     * The message as the hooks left it, readable as often as needed without holding it in memory: James' message
     * (its spooled source with the header as edited by the hooks), or for a message some hook replaced by another
     * kind, a spooled copy of it.
     */
    private static final class OriginalMessage implements AutoCloseable {
        private final MimeMessageWrapper james;
        private final SpooledMessage copy;
        private final MessageSpool spool;
        private SpooledMessage extraCopy;

        private OriginalMessage(MimeMessageWrapper james, SpooledMessage copy, MessageSpool spool) {
            this.james = james;
            this.copy = copy;
            this.spool = spool;
        }

        static OriginalMessage of(Mail mail, MessageSpool spool) throws MessagingException, IOException {
            MimeMessage message = mail.getMessage();
            if (message instanceof MimeMessageWrapper wrapper) {
                if (wrapper.isModified()) {
                    // As writing it out would: the header edits of the hooks are completed first (a Message-ID is
                    // added when there is none, James' own behaviour).
                    wrapper.saveChanges();
                }
                return new OriginalMessage(wrapper, null, spool);
            }
            SpooledMessage copy = spool.newMessage();
            try (OutputStream out = copy.output()) {
                message.writeTo(out);
            }
            return new OriginalMessage(null, copy, spool);
        }

        InputStream open() throws IOException, MessagingException {
            return james != null ? james.getMessageInputStream() : copy.open();
        }

        Content content() {
            return new Content() {
                @Override
                public InputStream getInputStream() throws IOException {
                    try {
                        return open();
                    } catch (MessagingException e) {
                        throw new IOException(e);
                    }
                }

                @Override
                public long size() {
                    try {
                        return james != null ? james.getMessageSize() : copy.size();
                    } catch (MessagingException e) {
                        return -1;
                    }
                }
            };
        }

        /** A spooled copy for the queue (only when a mailbox refused an already encrypted message). */
        SpooledMessage copy() throws IOException, MessagingException {
            if (copy != null) {
                return copy;
            }
            if (extraCopy == null) {
                extraCopy = spool.newMessage();
                try (InputStream in = open()) {
                    extraCopy.readFrom(in);
                }
            }
            return extraCopy;
        }

        @Override
        public void close() {
            if (copy != null) {
                copy.close();
            }
            if (extraCopy != null) {
                extraCopy.close();
            }
        }
    }
}
