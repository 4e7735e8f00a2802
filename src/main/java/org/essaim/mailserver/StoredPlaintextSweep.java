package org.essaim.mailserver;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The background job that keeps the promise for mail stored before a key existed: every few minutes, for every
 * account with a published key, messages still stored in clear are replaced by their ciphertext
 * ({@link MailServerBridge#encryptStoredPlaintext}). A key upload triggers the same for its account at once
 * ({@link #sweepSoon}).
 */
@Component
public class StoredPlaintextSweep implements SmartLifecycle {
    private static final Logger LOGGER = LoggerFactory.getLogger(StoredPlaintextSweep.class);
    static final long PERIOD_MINUTES = 5;

    private final MailServerBridge bridge;
    private volatile ScheduledExecutorService scheduler;
    private volatile boolean stopping;
    private final Object oneSweepAtATime = new Object();

    public StoredPlaintextSweep(MailServerBridge bridge) {
        this.bridge = bridge;
    }

    /** One pass over every account; returns how many messages were encrypted. One pass at a time. */
    public int sweepAll() {
        synchronized (oneSweepAtATime) {
            return sweepEveryAccount();
        }
    }

    /** Encrypts one account's stored plaintext in the background, as soon as possible (after a key upload). */
    public void sweepSoon(String account) {
        ScheduledExecutorService current = scheduler;
        if (current != null) {
            current.execute(() -> {
                synchronized (oneSweepAtATime) {
                    if (!stopping) {
                        sweepAccount(account);
                    }
                }
            });
        }
    }

    private int sweepAccount(String account) {
        try {
            int encrypted = bridge.encryptStoredPlaintext(account);
            if (encrypted > 0) {
                LOGGER.info("Encrypted {} messages stored in clear for {}", encrypted, account);
            }
            return encrypted;
        } catch (RuntimeException e) {
            LOGGER.warn("Could not encrypt the stored mail of {}: {}", account, e.getMessage());
            return 0;
        }
    }

    private int sweepEveryAccount() {
        int total = 0;
        for (String account : bridge.accounts()) {
            if (stopping) {
                break; // the next start sweeps again
            }
            total += sweepAccount(account);
        }
        return total;
    }

    @Override
    public synchronized void start() {
        stopping = false;
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stored-plaintext-sweep");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::sweepAll, 1, PERIOD_MINUTES * 60, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            // Not shutdownNow() first: interrupting a thread inside H2's file I/O closes H2's FileChannel
            // (ClosedByInterruptException), after which that database fails every read in this JVM, including a
            // restart's. The sweep stops between accounts instead; an interrupt only if one account takes too long.
            stopping = true;
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                    scheduler.awaitTermination(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return EmbeddedJames.PHASE + 1; // started after, stopped before the mail server
    }
}
