package org.essaim.delivery.lists;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.inject.Singleton;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.essaim.crypto.PgpMimeEncryptor;
import org.apache.james.mailbox.exception.MailboxException;
import org.essaim.delivery.DurableCommits;
import org.essaim.delivery.EncryptionPolicy;
import org.essaim.delivery.LocalAccounts;
import org.essaim.delivery.MailboxDelivery;
import org.essaim.delivery.RecipientKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the copies the lists ask for, like any delivered mail: a copy for a local account is encrypted to that
 * account's own key and stored in its INBOX right away, in the SMTP session (as {@code EncryptingSpoolHandler} does;
 * one durable group commit for the whole batch); a local member without a key gets no copy (it cannot be stored
 * unencrypted); a copy its mailbox refuses now (quota) goes to the queue, whose local delivery retries it. A copy for
 * another server goes to the spool marked as sent by the server itself, so the transport relays it and the outgoing
 * path signs and retries it like every other outgoing message.
 * It logs counts only, never an address or a word of the message.
 */
@Singleton
public class OutgoingCopies {
    private static final Logger LOGGER = LoggerFactory.getLogger(OutgoingCopies.class);

    private final MailQueueFactory<?> queueFactory;
    private final LocalAccounts localAccounts;
    private final EncryptionPolicy policy;
    private final MailboxDelivery mailboxDelivery;
    private final DurableCommits durableCommits;
    private volatile MailQueue queue;

    @Inject
    public OutgoingCopies(MailQueueFactory<?> queueFactory, LocalAccounts localAccounts, RecipientKeys keys,
                          MailboxDelivery mailboxDelivery, DurableCommits durableCommits) {
        this.queueFactory = queueFactory;
        this.localAccounts = localAccounts;
        this.policy = new EncryptionPolicy(keys);
        this.mailboxDelivery = mailboxDelivery;
        this.durableCommits = durableCommits;
    }

    /** What happened to a batch of copies. */
    public record Delivered(int encryptedForAccounts, int queuedForOtherServers, int skippedWithoutKey) { }

    /**
     * Delivers every copy; an encryption or queue failure of one copy stops the batch (the caller answers with a
     * temporary error, the sender retries; copies already delivered may then arrive twice, never in clear).
     */
    public Delivered deliver(List<MailingLists.Copy> copies) throws MessagingException {
        int encrypted = 0;
        int queued = 0;
        int skipped = 0;
        for (MailingLists.Copy copy : copies) {
            MailAddress recipient = new MailAddress(copy.recipient());
            List<MailAddress> accounts = localAccounts.accountsReachedBy(recipient);
            if (accounts.isEmpty()) {
                enqueue(copy.envelopeSender(), recipient, copy.message());
                queued++;
                continue;
            }
            EncryptionPolicy.Examined examined = policy.examine(copy.message());
            for (MailAddress account : accounts) {
                EncryptionPolicy.Decision decision = examined.forOwner(account.asString());
                switch (decision.kind()) {
                    case ALREADY_ENCRYPTED -> store(copy.envelopeSender(), account, copy.message());
                    case ENCRYPTED -> store(copy.envelopeSender(), account, decision.message());
                    case NO_KEY -> {
                        skipped++;
                        continue;
                    }
                    case REFUSED -> throw new PgpMimeEncryptor.EncryptionFailedException(decision.reason());
                }
                encrypted++;
            }
        }
        if (encrypted > 0) {
            durableCommits.awaitDurable(); // the caller answers 250 only once the stored copies are on disk
        }
        if (skipped > 0) {
            LOGGER.info("List copies: {} local members without a key got none", skipped);
        }
        return new Delivered(encrypted, queued, skipped);
    }

    /** Stores an account's (encrypted) copy in its INBOX now; queued for a later attempt when the mailbox refuses. */
    private void store(Optional<String> sender, MailAddress account, byte[] bytes) throws MessagingException {
        try {
            mailboxDelivery.deliver(account, maybeSender(sender), bytes);
        } catch (MailboxException | RuntimeException e) {
            LOGGER.warn("A list copy is queued for a later delivery attempt: {}", e.getClass().getSimpleName());
            enqueue(sender, account, bytes);
        }
    }

    private static MaybeSender maybeSender(Optional<String> sender) {
        return sender.map(OutgoingCopies::address).map(MaybeSender::of).orElse(MaybeSender.nullSender());
    }

    private void enqueue(Optional<String> sender, MailAddress recipient, byte[] bytes) throws MessagingException {
        Mail mail = MailImpl.builder()
                .name(MailImpl.getId())
                .sender(maybeSender(sender))
                .addRecipient(recipient)
                .mimeMessage(messageOf(bytes))
                .addAttribute(Mail.SENT_BY_MAILET_ATTRIBUTE) // relayed as the server's own mail, like a bounce
                .build();
        try {
            queue().enQueue(mail);
        } catch (MailQueue.MailQueueException e) {
            throw new MessagingException("The copy could not be queued", e);
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }

    private MailQueue queue() {
        MailQueue current = queue;
        if (current == null) {
            synchronized (this) {
                if (queue == null) {
                    queue = queueFactory.createQueue(MailQueueFactory.SPOOL);
                }
                current = queue;
            }
        }
        return current;
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (javax.mail.internet.AddressException e) {
            throw new IllegalArgumentException("Not an address: " + address, e);
        }
    }

    /** James' own message type over the bytes in memory (no temp file). */
    private static MimeMessage messageOf(byte[] bytes) {
        return new MimeMessageWrapper(new MimeMessageSource() {
            @Override
            public String getSourceId() {
                return "list-copy";
            }

            @Override
            public InputStream getInputStream() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long getMessageSize() throws IOException {
                return bytes.length;
            }
        });
    }
}
