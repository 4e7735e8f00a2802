package org.essaim.delivery.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.james.queue.api.ManageableMailQueue.DefaultMailQueueItemView;
import org.apache.james.queue.api.ManageableMailQueue.MailQueueItemView;
import org.apache.james.queue.api.ManageableMailQueue.MailQueueIterator;
import org.apache.james.server.core.MailImpl;
import org.junit.jupiter.api.Test;

/**
 * A queue's listing while its consumer takes messages: what James 3.8.1's JMS queue does (below, {@link JamesListing})
 * and what the admin's page, "retry now" and the backup's queue export get through {@link BrowsedQueue}.
 */
class BrowsedQueueTest {

    @Test
    void whenTheLastListedMessageIsTakenMeanwhileTheListingEndsWithTheOthersInsteadOfFailing() {
        JamesListing james = new JamesListing("first", "second", null); // null: its content file is gone
        assertThatThrownBy(() -> namesOf(new JamesListing("first", "second", null)))
                .as("James alone: hasNext() said true, next() throws").isInstanceOf(NoSuchElementException.class);

        assertThat(namesOf(new BrowsedQueue(james))).containsExactly("first", "second");
    }

    @Test
    void aMessageTakenInTheMiddleIsLeftOutAndTheRestListed() {
        assertThat(namesOf(new BrowsedQueue(new JamesListing("first", null, "third")))).containsExactly("first", "third");
    }

    @Test
    void aListingKeepsItsPromisesAndClosesJamesBrowser() {
        JamesListing james = new JamesListing("only");
        BrowsedQueue listing = new BrowsedQueue(james);

        assertThat(listing.hasNext()).isTrue();
        assertThat(listing.hasNext()).as("asking twice takes nothing").isTrue();
        assertThat(listing.next().getMail().getName()).isEqualTo("only");
        assertThat(listing.hasNext()).isFalse();
        assertThatThrownBy(listing::next).isInstanceOf(NoSuchElementException.class);
        listing.close();
        assertThat(james.closed).isTrue();
    }

    private static List<String> namesOf(Iterator<MailQueueItemView> listing) {
        List<String> names = new ArrayList<>();
        while (listing.hasNext()) {
            names.add(listing.next().getMail().getName());
        }
        return names;
    }

    /**
     * JMSCacheableMailQueue.browse()'s iterator (James 3.8.1, same in master): a snapshot of the queue whose
     * messages are read in next(); a message whose content cannot be read any more is logged and skipped, and when
     * none is left, next() throws although hasNext() was true.
     */
    private static final class JamesListing implements MailQueueIterator {
        private final Iterator<String> snapshot;
        private boolean closed;

        JamesListing(String... names) {
            List<String> listed = new ArrayList<>();
            for (String name : names) {
                listed.add(name);
            }
            this.snapshot = listed.iterator();
        }

        @Override
        public boolean hasNext() {
            return snapshot.hasNext();
        }

        @Override
        public MailQueueItemView next() {
            while (hasNext()) {
                String name = snapshot.next();
                if (name != null) {
                    return new DefaultMailQueueItemView(MailImpl.builder().name(name).build());
                }
            }
            throw new NoSuchElementException();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
