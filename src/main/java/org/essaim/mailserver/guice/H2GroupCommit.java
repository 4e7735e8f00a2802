package org.essaim.mailserver.guice;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.essaim.delivery.DurableCommits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for James' H2 database. H2 2.x commits a transaction in memory and writes its file later (its
 * write delay), and even then never calls fsync: a commit can be lost by a crash. {@code CHECKPOINT SYNC} writes
 * every committed change and fsyncs the file. One thread runs it for everyone waiting: a caller joins the next
 * round, and all callers that arrived while a sync was running share the following one. Under load a round
 * covers several sessions' messages, so durability costs one write and one fsync per round, not per message.
 * <p>
 * The connection is reopened after a failure, so the store recovers by itself once the cause (a full disk) is
 * gone.
 */
final class H2GroupCommit implements DurableCommits, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(H2GroupCommit.class);

    private final String jdbcUrl;
    private final Thread syncer;
    private CompletableFuture<Void> nextRound;
    private boolean closed;
    private Connection connection;

    H2GroupCommit(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        this.syncer = new Thread(this::syncRounds, "essaim-h2-group-commit");
        this.syncer.setDaemon(true);
        this.syncer.start();
    }

    @Override
    public void awaitDurable() {
        CompletableFuture<Void> round;
        synchronized (this) {
            if (closed) {
                throw new NotDurableException("The mail store is shutting down", null);
            }
            if (nextRound == null) {
                nextRound = new CompletableFuture<>();
                notifyAll();
            }
            round = nextRound;
        }
        try {
            round.join();
        } catch (CompletionException e) {
            throw new NotDurableException("The mail store could not write to disk", e.getCause());
        }
    }

    private void syncRounds() {
        while (true) {
            CompletableFuture<Void> round;
            synchronized (this) {
                while (nextRound == null && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (nextRound == null) {
                    return;
                }
                round = nextRound;
                nextRound = null; // callers arriving from now on wait for the next round
            }
            try {
                sync();
                round.complete(null);
            } catch (SQLException | RuntimeException e) {
                LOGGER.warn("The mail database could not be synced to disk: {}", e.getMessage());
                closeConnection();
                round.completeExceptionally(e);
            }
        }
    }

    private void sync() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(jdbcUrl);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOGGER.debug("Closing the group-commit connection", e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            syncer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
