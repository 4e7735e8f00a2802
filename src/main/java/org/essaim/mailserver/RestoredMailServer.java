package org.essaim.mailserver;

import java.nio.file.Path;
import java.util.function.Function;

import org.apache.james.mailbox.indexer.ReIndexer;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.Key;
import com.google.inject.TypeLiteral;

/**
 * The first start on a restored data directory (see docs/backups.md): the search index, which backups leave out,
 * is rebuilt from the stored messages, and the mail that was queued at backup time is put back into its queues.
 * Both are no-ops on an ordinary start.
 */
final class RestoredMailServer {
    static final String RESTORED_QUEUES = "restored-queues";
    /** James throttles re-indexing (50 messages/s by default, for live servers); here nothing else runs yet. */
    private static final int UNTHROTTLED = 1_000_000;
    private static final Logger LOGGER = LoggerFactory.getLogger(RestoredMailServer.class);

    private final Path workingDirectory;
    private final Function<Key<?>, Object> services;

    RestoredMailServer(Path workingDirectory, Function<Key<?>, Object> services) {
        this.workingDirectory = workingDirectory;
        this.services = services;
    }

    void finish(boolean searchIndexWasMissing) {
        if (searchIndexWasMissing) {
            rebuildSearchIndex();
        }
        MailQueueFactory<?> queues = (MailQueueFactory<?>) services.apply(Key.get(new TypeLiteral<MailQueueFactory<?>>() { }));
        int requeued = new QueueFiles(workingDirectory.resolve(RESTORED_QUEUES)).importInto(queues);
        if (requeued > 0) {
            LOGGER.info("Put {} restored messages back into the mail queues", requeued);
        }
    }

    private void rebuildSearchIndex() {
        long begin = System.nanoTime();
        ReIndexer reIndexer = (ReIndexer) services.apply(Key.get(ReIndexer.class));
        try {
            Task.Result result = reIndexer.reIndex(ReIndexer.RunningOptions.builder()
                    .messagesPerSeconds(java.util.Optional.of(UNTHROTTLED)).build()).run();
            LOGGER.info("Search index built in {} ms ({})", (System.nanoTime() - begin) / 1_000_000, result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailServerException("Interrupted while building the search index", e);
        } catch (org.apache.james.mailbox.exception.MailboxException e) {
            throw new MailServerException("Cannot build the search index", e);
        }
    }
}
