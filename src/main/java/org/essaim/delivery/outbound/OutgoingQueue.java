package org.essaim.delivery.outbound;

import java.io.IOException;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.server.core.MailImpl;
import org.apache.james.transport.mailets.remote.delivery.DeliveryRetriesHelper;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * The admin's hands on RemoteDelivery's queue ({@code outgoing}, sealed by {@link SealedMailQueueFactory}): what
 * waits ({@link WaitingMail}: metadata only), "retry now" and delete. Nothing here opens a sealed message.
 */
public final class OutgoingQueue {
    /**
     * Marks a message the admin asked to retry now: its next attempt looks the recipient domain's MTA-STS policy up
     * afresh ({@link MtaStsDelivery}), so a policy the domain just fixed counts at once.
     */
    static final AttributeName RETRIED_NOW = AttributeName.of("org.essaim.delivery.retried-now");

    private final ManageableMailQueue queue;

    public OutgoingQueue(ManageableMailQueue queue) {
        this.queue = queue;
    }

    /** The queue's name in mailetcontainer.xml (RemoteDelivery's {@code outgoing}). */
    public static org.apache.james.queue.api.MailQueueName name() {
        return SealedMailQueueFactory.OUTGOING;
    }

    /** Every waiting message, oldest first. */
    public List<WaitingMail> waiting() throws MailQueue.MailQueueException {
        List<WaitingMail> waiting = new ArrayList<>();
        ManageableMailQueue.MailQueueIterator items = queue.browse();
        try {
            while (items.hasNext()) {
                ManageableMailQueue.MailQueueItemView item = items.next();
                waiting.add(describe(item.getMail(), item.getNextDelivery()));
            }
        } finally {
            items.close();
        }
        waiting.sort(Comparator.comparing((WaitingMail mail) -> mail.waitingSince().orElse(java.time.Instant.MAX))
                .thenComparing(WaitingMail::name));
        return waiting;
    }

    private static WaitingMail describe(Mail mail, Optional<ZonedDateTime> nextDelivery) {
        List<String> domains = mail.getRecipients().stream().map(recipient -> recipient.getDomain().asString())
                .distinct().sorted().toList();
        long size;
        try {
            size = mail.getMessageSize();
        } catch (MessagingException e) {
            size = -1;
        }
        Optional<String> error = AttributeUtils.getValueAndCastFromMail(mail, ReturnToSender.DELIVERY_ERROR, String.class)
                .or(() -> Optional.ofNullable(mail.getErrorMessage()));
        return new WaitingMail(mail.getName(), mail.getMaybeSender().asString(""), domains, mail.getRecipients().size(),
                size, QueueSealing.firstQueued(mail), DeliveryRetriesHelper.retrieveRetries(mail),
                nextDelivery.map(ZonedDateTime::toInstant), error);
    }

    /**
     * Takes the message out and puts it back without delay, so RemoteDelivery tries it at once (its retry count and
     * first-queued time are kept: the back-off and the give-up date do not restart). That attempt asks the recipient
     * domain for its MTA-STS policy afresh instead of reusing an answer remembered from a recent attempt.
     *
     * @return false when no such message waits (delivered, deleted, or being tried right now)
     */
    public boolean retryNow(String name) throws MailQueue.MailQueueException {
        Optional<Mail> found = find(name);
        if (found.isEmpty()) {
            return false;
        }
        Mail copy = inMemoryCopy(found.get());
        try {
            if (queue.remove(ManageableMailQueue.Type.Name, name) == 0) {
                return false; // taken by RemoteDelivery meanwhile
            }
            copy.setAttribute(new Attribute(RETRIED_NOW, AttributeValue.of(true)));
            queue.enQueue(copy);
            return true;
        } finally {
            LifecycleUtil.dispose(copy);
        }
    }

    /** Deletes a waiting message; its sender is not told. False when no such message waits. */
    public boolean delete(String name) throws MailQueue.MailQueueException {
        return queue.remove(ManageableMailQueue.Type.Name, name) > 0;
    }

    private Optional<Mail> find(String name) throws MailQueue.MailQueueException {
        ManageableMailQueue.MailQueueIterator items = queue.browse();
        try {
            while (items.hasNext()) {
                Mail mail = items.next().getMail();
                if (mail.getName().equals(name)) {
                    return Optional.of(mail);
                }
            }
            return Optional.empty();
        } finally {
            items.close();
        }
    }

    /** A copy whose (sealed) message is in memory: the queue's own copy goes away with the removal. */
    private static Mail inMemoryCopy(Mail mail) throws MailQueue.MailQueueException {
        try {
            MailImpl copy = MailImpl.duplicateWithoutMessage(mail)
                    .mimeMessage(InMemoryMessage.of(mail.getName(), InMemoryMessage.bytesOf(mail.getMessage())))
                    .build();
            copy.setName(mail.getName());
            copy.setState(mail.getState());
            return copy;
        } catch (MessagingException | IOException e) {
            throw new MailQueue.MailQueueException("Cannot read the waiting message " + mail.getName(), e);
        }
    }
}
