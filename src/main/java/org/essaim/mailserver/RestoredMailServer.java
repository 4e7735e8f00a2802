package org.essaim.mailserver;

import java.nio.file.Path;
import java.util.function.Function;

import org.apache.james.queue.api.MailQueueFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.Key;
import com.google.inject.TypeLiteral;

/**
 * The first start on a restored data directory (see docs/backups.md): the mail that was queued at backup time is put
 * back into its queues. (There is no search index to rebuild: SEARCH reads the store.) A no-op on an ordinary start.
 */
final class RestoredMailServer {
    static final String RESTORED_QUEUES = "restored-queues";
    private static final Logger LOGGER = LoggerFactory.getLogger(RestoredMailServer.class);

    private final Path workingDirectory;
    private final Function<Key<?>, Object> services;

    RestoredMailServer(Path workingDirectory, Function<Key<?>, Object> services) {
        this.workingDirectory = workingDirectory;
        this.services = services;
    }

    void finish() {
        MailQueueFactory<?> queues = (MailQueueFactory<?>) services.apply(Key.get(new TypeLiteral<MailQueueFactory<?>>() { }));
        int requeued = new QueueFiles(workingDirectory.resolve(RESTORED_QUEUES)).importInto(queues);
        if (requeued > 0) {
            LOGGER.info("Put {} restored messages back into the mail queues", requeued);
        }
    }
}
