package org.essaim.delivery.outbound;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import javax.mail.MessagingException;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.mailet.Mail;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every mail queue of the server (the spool, RemoteDelivery's outgoing queue) seals readable mail on its way in
 * and opens it on its way out ({@link QueueSealing}), so the queue's files on disk never hold readable content:
 * mail that arrives in clear for another server (standard clients over submission), bounces and notices.
 * <ul>
 * <li>Mail sealed before a restart cannot be opened any more (the key lived only in memory): when it comes out of
 * the queue, its sender gets a report asking to send it again, and it is dropped.</li>
 * <li>The outgoing queue also tells the sender once when mail still waits after
 * {@code essaim.delivery.delay-notice-after} (RFC 3464 "delayed"), on one of its retries.</li>
 * <li>A listing of a queue (admin page, "retry now", the backup's export) leaves out a message its consumer takes
 * while it is listed, instead of failing ({@link BrowsedQueue}: James 3.8.1's listing throws then).</li>
 * <li>Each consumer's blocking receive runs on a thread of its own ({@link Sealed#deQueue}), never on the consumer's
 * processing threads: see there why (James 3.8.1 loses the tail of a burst otherwise).</li>
 * </ul>
 */
public final class SealedMailQueueFactory<T extends ManageableMailQueue> implements MailQueueFactory<ManageableMailQueue> {
    private static final Logger LOGGER = LoggerFactory.getLogger(SealedMailQueueFactory.class);
    static final MailQueueName OUTGOING = MailQueueName.of("outgoing");

    private final MailQueueFactory<T> delegate;
    private final QueueSealing sealing;

    public SealedMailQueueFactory(MailQueueFactory<T> delegate, QueueSealing sealing) {
        this.delegate = delegate;
        this.sealing = sealing;
    }

    @Override
    public Optional<ManageableMailQueue> getQueue(MailQueueName name, PrefetchCount count) {
        return delegate.getQueue(name, count).map(this::sealed);
    }

    @Override
    public ManageableMailQueue createQueue(MailQueueName name, PrefetchCount count) {
        return sealed(delegate.createQueue(name, count));
    }

    @Override
    public Set<MailQueueName> listCreatedMailQueues() {
        return delegate.listCreatedMailQueues();
    }

    private ManageableMailQueue sealed(ManageableMailQueue queue) {
        return queue instanceof SealedMailQueueFactory.Sealed ? queue : new Sealed(queue, sealing, this::sendReport);
    }

    /** Reports go through the spool like any mail, so a local sender gets them encrypted. */
    private void sendReport(Mail report) {
        try {
            createQueue(MailQueueFactory.SPOOL).enQueue(report);
        } catch (MailQueue.MailQueueException e) {
            LOGGER.error("A delivery report could not be queued: {}", e.getMessage());
        } finally {
            LifecycleUtil.dispose(report);
        }
    }

    private static final class Sealed implements ManageableMailQueue {
        private final ManageableMailQueue queue;
        private final QueueSealing sealing;
        private final java.util.function.Consumer<Mail> sendReport;

        Sealed(ManageableMailQueue queue, QueueSealing sealing, java.util.function.Consumer<Mail> sendReport) {
            this.queue = queue;
            this.sealing = sealing;
            this.sendReport = sendReport;
        }

        @Override
        public MailQueueName getName() {
            return queue.getName();
        }

        @Override
        public void enQueue(Mail mail, Duration delay) throws MailQueueException {
            prepare(mail);
            Mail copy = sealedCopy(mail);
            try {
                queue.enQueue(copy == null ? mail : copy, delay);
            } finally {
                dispose(copy);
            }
        }

        @Override
        public void enQueue(Mail mail) throws MailQueueException {
            prepare(mail);
            Mail copy = sealedCopy(mail);
            try {
                queue.enQueue(copy == null ? mail : copy);
            } finally {
                dispose(copy);
            }
        }

        @Override
        public Publisher<Void> enqueueReactive(Mail mail) {
            return Mono.fromRunnable(() -> {
                try {
                    enQueue(mail);
                } catch (MailQueueException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /**
         * Opens each item on its way out, one for one: {@code handle} passes each request straight upstream and
         * buffers nothing. (A {@code flatMap} here took up to 256 items out of the broker ahead of demand; its drain
         * loop then blocked in the broker's blocking receive while the taken items waited in its buffer, so the tail
         * of a burst stayed undelivered until the next mail arrived: 145 of 1 000 in OutboundThroughputBenchmark.)
         * <p>
         * The broker's blocking receive (James' {@code JMSCacheableMailQueue.deQueueOneItem}: {@code receive(10 s)},
         * repeated until a message comes) runs on a single thread of this subscription's own
         * ({@code subscribeOn} also moves every later request there). James 3.8.1's consumers
         * ({@code DeliveryRunnable} of RemoteDelivery: {@code flatMap(… subscribeOn(RemoteDelivery-Process), 256)};
         * {@code JamesMailSpooler} alike) ask for the next item from whichever processing thread just finished one, so
         * without this that thread sat in {@code receive} inside its {@code flatMap} drain loop while the delivery tasks
         * that Reactor's bounded-elastic scheduler had queued on that same (busy) worker waited behind it, forever once
         * the queue was empty: the last ~12 of a 1 000-mail burst (256 in flight over 20 workers) stayed in A's outgoing
         * queue, dispatched to open consumers and never delivered (OutboundThroughputBenchmark; thread dumps showed
         * RemoteDelivery-Process-23 in {@code receive}).
         */
        @Override
        public Publisher<MailQueueItem> deQueue() {
            Scheduler receiver = Schedulers.newSingle("dequeue-" + queue.getName().asString(), true);
            return Flux.from(queue.deQueue()).<MailQueueItem>handle((item, sink) -> {
                try {
                    if (sealing.open(item.getMail())) {
                        sink.next(item);
                        return;
                    }
                    LOGGER.info("Mail {} was sealed before a restart: returned to its sender", item.getMail().getName());
                    if (item.getMail().hasSender()) {
                        sendReport.accept(sealing.lostAtRestart(item.getMail()));
                    }
                    item.done(MailQueueItem.CompletionStatus.SUCCESS);
                } catch (MessagingException | RuntimeException e) {
                    LOGGER.error("Mail {} could not be taken out of the queue: {}", item.getMail().getName(), e.getMessage());
                    try {
                        item.done(MailQueueItem.CompletionStatus.RETRY);
                    } catch (MailQueueException retryFailed) {
                        LOGGER.error("and could not be put back: {}", retryFailed.getMessage());
                    }
                }
            }).subscribeOn(receiver).doFinally(signal -> receiver.dispose());
        }

        /** The outgoing queue remembers when mail first waited, and tells the sender once it waits too long. */
        private void prepare(Mail mail) {
            if (!OUTGOING.equals(queue.getName())) {
                return;
            }
            QueueSealing.markFirstQueued(mail);
            if (sealing.delayNoticeDue(mail)) {
                try {
                    sendReport.accept(sealing.delayNotice(mail));
                } catch (MessagingException e) {
                    LOGGER.warn("Delay notice for {} not sent: {}", mail.getName(), e.getMessage());
                }
            }
        }

        private Mail sealedCopy(Mail mail) throws MailQueueException {
            try {
                return sealing.sealedCopy(mail);
            } catch (MessagingException e) {
                throw new MailQueueException("Cannot seal " + mail.getName(), e);
            }
        }

        private void dispose(Mail copy) {
            if (copy != null) {
                LifecycleUtil.dispose(copy);
            }
        }

        @Override
        public long getSize() throws MailQueueException {
            return queue.getSize();
        }

        @Override
        public long flush() throws MailQueueException {
            return queue.flush();
        }

        @Override
        public long clear() throws MailQueueException {
            return queue.clear();
        }

        @Override
        public long remove(Type type, String value) throws MailQueueException {
            return queue.remove(type, value);
        }

        @Override
        public MailQueueIterator browse() throws MailQueueException {
            return new BrowsedQueue(queue.browse()); // a message taken while listed is left out, see there
        }

        @Override
        public void close() throws java.io.IOException {
            queue.close();
        }
    }

}
