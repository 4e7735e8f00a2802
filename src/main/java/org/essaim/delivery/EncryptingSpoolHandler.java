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
 * Takes the place of James' {@code SendMailHandler}: the last step of the SMTP DATA phase, which puts the accepted
 * message into the spool queue. Before anything reaches the queue (whose store is on disk), a plaintext message
 * for local accounts is encrypted in memory, once per local recipient to that recipient's own key, and each
 * ciphertext is queued as its own Mail. So the queue, the mailbox database and the search index only ever see
 * ciphertext for local accounts.
 * <ul>
 * <li>What is stored is decided by {@link EncryptionPolicy}: mail that really is end-to-end encrypted (PGP/MIME,
 * inline PGP, S/MIME, by form and not by label) is queued exactly as it came; anything else is encrypted.</li>
 * <li>An alias of local accounts is resolved here (James would only do it after the queue): the copies go to
 * the accounts, each encrypted to its own key.</li>
 * <li>Remote recipients (submission, after AUTH) get the message as the sender wrote it, in one Mail; so do
 * local addresses that reach no account (postmaster without a mapping, forwards to other servers).</li>
 * <li>Every ciphertext is made before the first enqueue, so a key problem refuses the whole message with a
 * temporary error and nothing is half-stored. (Should the queue itself fail midway, the sender's retry may
 * deliver a second copy to the recipients already queued: a duplicate, never a loss or a plaintext.)</li>
 * </ul>
 * It logs neither the client's address nor anything from the message besides its queue name and sizes.
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
    private MailQueue queue;

    @Inject
    public EncryptingSpoolHandler(MailQueueFactory<?> queueFactory, LocalAccounts localAccounts, RecipientKeys keys) {
        this.queueFactory = queueFactory;
        this.localAccounts = localAccounts;
        this.policy = new EncryptionPolicy(keys);
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
        List<Mail> toQueue = new ArrayList<>();
        try {
            byte[] original = bytesOf(mail.getMessage());
            Map<MailAddress, byte[]> ciphertexts = new LinkedHashMap<>();
            List<MailAddress> asWritten = new ArrayList<>();
            EncryptionPolicy.Examined examined = policy.examine(original);
            for (MailAddress recipient : mail.getRecipients()) {
                List<MailAddress> accounts = examined.isAlreadyEncrypted() ? List.of() : localAccounts.accountsReachedBy(recipient);
                if (accounts.isEmpty()) {
                    asWritten.add(recipient);
                    continue;
                }
                // An alias is resolved here, so each account gets a copy encrypted to its own key.
                for (MailAddress account : accounts) {
                    if (ciphertexts.containsKey(account)) {
                        continue;
                    }
                    EncryptionPolicy.Decision decision = examined.forOwner(account.asString());
                    switch (decision.kind()) {
                        case ENCRYPTED -> ciphertexts.put(account, decision.message());
                        case NO_KEY -> {
                            return KEY_MISSING; // the key vanished between RCPT and the end of DATA
                        }
                        case REFUSED -> {
                            LOGGER.warn("Mail {} refused: {}", mail.getName(), decision.reason());
                            return CANNOT_ENCRYPT;
                        }
                        default -> { } // ALREADY_ENCRYPTED: such mail goes as written (above), never here
                    }
                }
            }
            original = null; // the plaintext is no longer needed here
            examined = null;

            for (Map.Entry<MailAddress, byte[]> ciphertext : ciphertexts.entrySet()) {
                MailImpl copy = MailImpl.duplicateWithoutMessage(mail)
                        .mimeMessage(messageOf(mail.getName(), ciphertext.getValue()))
                        .build();
                copy.setRecipients(List.of(ciphertext.getKey()));
                toQueue.add(copy);
            }
            if (!asWritten.isEmpty()) {
                mail.setRecipients(asWritten);
                toQueue.add(mail);
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            LOGGER.error("Mail {} refused: {}", mail.getName(), e.getClass().getSimpleName());
            disposeCopies(toQueue, mail);
            return QUEUE_FAILED;
        }
        try {
            for (Mail each : toQueue) {
                queue.enQueue(each);
            }
            LOGGER.info("Spooled mail {}: {} encrypted copies, {} as written", mail.getName(),
                    toQueue.size() - (toQueue.contains(mail) ? 1 : 0), toQueue.contains(mail) ? mail.getRecipients().size() : 0);
            return QUEUED;
        } catch (Exception e) {
            LOGGER.error("Mail {} could not be queued: {}", mail.getName(), e.getClass().getSimpleName());
            return QUEUE_FAILED;
        } finally {
            disposeCopies(toQueue, mail);
        }
    }

    private static void disposeCopies(List<Mail> mails, Mail original) {
        for (Mail each : mails) {
            if (each != original) {
                LifecycleUtil.dispose(each);
            }
        }
    }

    private static byte[] bytesOf(MimeMessage message) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
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
