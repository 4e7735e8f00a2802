package org.essaim.mailserver.guice;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.essaim.delivery.DurableCommits;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for James' H2 database. H2 2.x commits a transaction in memory and writes its file later (its
 * write delay, by a background writer whose writes are queued to helper threads), and never calls fsync: a
 * commit can be lost by a crash. A round here, on H2's own store: write what is not written yet, wait until the
 * background writer's queued writes are done too (otherwise a commit it had picked up could still be in its
 * queue), then fsync the file, holding no H2 lock during the fsync ({@code CHECKPOINT SYNC} would skip the wait
 * and hold the database's monitor while syncing). One thread runs the rounds for everyone waiting: a caller
 * joins the next round, and all callers that arrived while a round was running share the following one. Under
 * load a round covers several sessions' messages, so durability costs one write and one fsync per round, not
 * one per message.
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
        SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
        MVStore store = session.getDatabase().getStore().getMvStore();
        store.commit();                              // write what is not written yet
        store.executeFilestoreOperation(() -> { });  // wait for the background writer's queued writes
        store.sync();                                // fsync, no H2 lock held
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
