package org.essaim.delivery.outbound;

import java.util.NoSuchElementException;

import org.apache.james.queue.api.ManageableMailQueue.MailQueueItemView;
import org.apache.james.queue.api.ManageableMailQueue.MailQueueIterator;

/**
 * A queue's listing that keeps its promise: when {@link #hasNext} says true, {@link #next} gives a message.
 * <p>Why: James 3.8.1's JMS queues ({@code JMSCacheableMailQueue.browse()}) list a snapshot of the queue, and
 * read each message's content only in {@code next()}. A message taken meanwhile by its consumer (RemoteDelivery
 * trying it, then putting it back with a delay, or the spool processing it) has lost its content file by then
 * ({@code FileNotFoundException} in ActiveMQ's blob store, logged as "Unable to browse queue"); James then skips
 * to the following message, and when there is none its {@code next()} throws {@code NoSuchElementException}
 * although {@code hasNext()} was true. Every listing that raced with a delivery attempt failed: the admin's queue
 * page ("Cannot list the mail queue"), "retry now", and the backup's export of the queues. The same code is in
 * James' master (JMSCacheableMailQueue, JAMES-4199's refactoring of April 2026 kept it); no upstream issue found.
 * A message that vanished this way is simply not listed: it is being tried or delivered right now.
 */
final class BrowsedQueue implements MailQueueIterator {
    private final MailQueueIterator james;
    private MailQueueItemView ahead;

    BrowsedQueue(MailQueueIterator james) {
        this.james = james;
    }

    @Override
    public boolean hasNext() {
        if (ahead == null && james.hasNext()) {
            try {
                ahead = james.next();
            } catch (NoSuchElementException lastOneVanished) {
                return false;
            }
        }
        return ahead != null;
    }

    @Override
    public MailQueueItemView next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        MailQueueItemView item = ahead;
        ahead = null;
        return item;
    }

    @Override
    public void close() {
        james.close();
    }
}
