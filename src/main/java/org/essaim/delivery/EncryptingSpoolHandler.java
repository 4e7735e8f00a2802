package org.essaim.delivery;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.commons.configuration2.Configuration;
import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
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
    static final HookResult KEY_MISSING = HookResult.builder()
            .hookReturnCode(HookReturnCode.denySoft())
            .smtpReturnCode(WaitForKeyRcptHook.SMTP_CODE)
            .smtpDescription(WaitForKeyRcptHook.DESCRIPTION)
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
    private MailQueue queue;

    @Inject
    public EncryptingSpoolHandler(MailQueueFactory<?> queueFactory, LocalAccounts localAccounts, RecipientKeys keys,
                                  MailboxDelivery mailboxDelivery, DurableCommits durableCommits) {
        this.queueFactory = queueFactory;
        this.localAccounts = localAccounts;
        this.policy = new EncryptionPolicy(keys);
        this.mailboxDelivery = mailboxDelivery;
        this.durableCommits = durableCommits;
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
        Map<MailAddress, byte[]> forAccounts = new LinkedHashMap<>();
        List<MailAddress> asWritten = new ArrayList<>();
        try {
            byte[] original = bytesOf(mail);
            EncryptionPolicy.Examined examined = policy.examine(original);
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
                    EncryptionPolicy.Decision decision = examined.forOwner(account.asString());
                    switch (decision.kind()) {
                        case ALREADY_ENCRYPTED -> forAccounts.put(account, original);
                        case ENCRYPTED -> forAccounts.put(account, decision.message());
                        case NO_KEY -> {
                            return KEY_MISSING; // the key vanished between RCPT and the end of DATA
                        }
                        case REFUSED -> {
                            LOGGER.warn("Mail {} refused: {}", mail.getName(), decision.reason());
                            return CANNOT_ENCRYPT;
                        }
                    }
                }
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            LOGGER.error("Mail {} refused: {}", mail.getName(), e.getClass().getSimpleName());
            return QUEUE_FAILED;
        }

        List<Mail> toQueue = new ArrayList<>();
        try {
            int stored = 0;
            for (Map.Entry<MailAddress, byte[]> copy : forAccounts.entrySet()) {
                if (storeNow(mail, copy.getKey(), copy.getValue())) {
                    stored++;
                } else {
                    toQueue.add(queuedCopy(mail, copy.getKey(), copy.getValue()));
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
        }
    }

    /**
     * Stores an account's copy in its INBOX now. When the mailbox refuses it (the quota filled up since RCPT, a
     * store error), the copy goes to the queue instead, whose local delivery retries and finally bounces: the
     * sender still gets one answer for the whole message and no recipient gets a duplicate.
     */
    private boolean storeNow(Mail mail, MailAddress account, byte[] content) {
        try {
            mailboxDelivery.deliver(account, mail.getMaybeSender(), content, MailboxDelivery.folderFor(mail, account));
            return true;
        } catch (MailboxException | RuntimeException e) {
            LOGGER.warn("Mail {} queued for a later delivery attempt: {}", mail.getName(), e.getClass().getSimpleName());
            return false;
        }
    }

    private static Mail queuedCopy(Mail mail, MailAddress account, byte[] content) throws MessagingException {
        MailImpl copy = MailImpl.duplicateWithoutMessage(mail)
                .mimeMessage(messageOf(mail.getName(), content))
                .build();
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

    /** The message's bytes, in a buffer sized once (a growing buffer would briefly need twice a large message). */
    private static byte[] bytesOf(Mail mail) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16, mail.getMessageSize() + 1024));
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }

    /**
     * James' own message type, so later header edits (Delivered-To) leave the encrypted body untouched; its source
     * is the ciphertext in memory (nothing to release, no temp file).
     */
    private static MimeMessage messageOf(String name, byte[] bytes) {
        return new MimeMessageWrapper(new MimeMessageSource() {
            @Override
            public String getSourceId() {
                return name + "-encrypted";
            }

            @Override
            public InputStream getInputStream() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long getMessageSize() {
                return bytes.length;
            }
        });
    }
}
