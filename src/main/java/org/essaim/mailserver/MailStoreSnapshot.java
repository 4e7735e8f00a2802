package org.essaim.mailserver;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.essaim.delivery.DeliveryPause;
import org.springframework.stereotype.Service;

import com.google.inject.Key;
import com.google.inject.TypeLiteral;

/**
 * What a backup needs from the running mail server, without stopping it: a pause of mail acceptance (SMTP answers
 * 451 meanwhile), the spool drained, an online copy of James' database ({@code BACKUP TO}, transactionally
 * consistent), and the mail queues exported message by message (a live copy of ActiveMQ's files would not be).
 * Also names the parts of James' working directory a backup must not copy as files.
 */
@Service
public class MailStoreSnapshot {
    private final EmbeddedJames james;

    public MailStoreSnapshot(EmbeddedJames james) {
        this.james = james;
    }

    /**
     * Stops accepting mail and waits for the messages being handled; the returned handle resumes it.
     *
     * @throws MailServerException when messages are still being handled after {@code maxWait} (nothing paused then)
     */
    public Pause pauseDelivery(Duration maxWait) {
        try {
            DeliveryPause.Resumption resumption = james.deliveryPause().pause(maxWait);
            return resumption::close;
        } catch (TimeoutException e) {
            throw new MailServerException("Cannot pause mail delivery: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailServerException("Interrupted while pausing mail delivery", e);
        }
    }

    /** Waits until the spool queue (accepted mail not yet delivered locally or handed to the outgoing queue) is empty. */
    public void awaitEmptySpool(Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        try {
            while (spool().getSize() > 0) {
                if (System.nanoTime() > deadline) {
                    throw new MailServerException("The spool queue did not empty within " + maxWait.toSeconds() + " s", null);
                }
                Thread.sleep(50);
            }
        } catch (ManageableMailQueue.MailQueueException e) {
            throw new MailServerException("Cannot read the spool queue", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailServerException("Interrupted while waiting for the spool", e);
        }
    }

    /** An online, transactionally consistent copy of James' database into a zip file (H2 {@code BACKUP TO}). */
    public void backupDatabase(Path zipFile) {
        try (Connection connection = DriverManager.getConnection(
                org.essaim.mailserver.guice.EssaimJamesServer.jdbcUrl(james.workingDirectory()));
             PreparedStatement checkpoint = connection.prepareStatement("CHECKPOINT SYNC");
             PreparedStatement backup = connection.prepareStatement("BACKUP TO ?")) {
            checkpoint.execute(); // everything committed is in the file before it is copied
            backup.setString(1, zipFile.toAbsolutePath().toString());
            backup.execute();
        } catch (SQLException e) {
            throw new MailServerException("Cannot copy the mail database: " + e.getMessage(), e);
        }
    }

    /** Writes every message of every mail queue into {@code directory} (see {@link QueueFiles}); returns how many. */
    public int exportQueues(Path directory) {
        return new QueueFiles(directory).export(queues());
    }

    /** James' working directory inside the data directory. */
    public Path workingDirectory() {
        return james.workingDirectory();
    }

    /**
     * Directories of James' working directory a backup leaves out: the queue's store (its mail is exported instead)
     * and the search index (rebuilt at the first start after a restore).
     */
    public List<Path> notCopiedAsFiles() {
        Path work = james.workingDirectory();
        return List.of(work.resolve("var/store"), work.resolve(EmbeddedJames.SEARCH_INDEX));
    }

    private ManageableMailQueue spool() {
        return queues().getQueue(MailQueueFactory.SPOOL)
                .orElseThrow(() -> new MailServerException("No spool queue", null));
    }

    private MailQueueFactory<? extends ManageableMailQueue> queues() {
        return james.service(Key.get(new TypeLiteral<MailQueueFactory<? extends ManageableMailQueue>>() { }));
    }

    /** Resumes mail acceptance. */
    @FunctionalInterface
    public interface Pause extends AutoCloseable {
        @Override
        void close();
    }
}
