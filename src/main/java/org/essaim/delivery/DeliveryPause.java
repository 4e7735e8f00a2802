package org.essaim.delivery;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A short stop of mail acceptance, for a consistent backup: while paused, SMTP answers 451 4.3.2 (senders retry),
 * and {@link #pause} returns only once every message already past the end of DATA has been fully handled (stored
 * or queued). So each message a sender saw accepted with 250 is either in the snapshot taken during the pause or
 * arrives after it. One instance per mail server, shared by the SMTP handlers and the backup.
 */
public final class DeliveryPause {
    private int inFlight;
    private boolean paused;

    /** @return false while paused (the caller refuses the message temporarily); else {@link #end()} must follow */
    public synchronized boolean tryBegin() {
        if (paused) {
            return false;
        }
        inFlight++;
        return true;
    }

    public synchronized void end() {
        inFlight--;
        notifyAll();
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    /**
     * Stops accepting mail and waits until the messages in progress are handled.
     *
     * @return what resumes acceptance (call it in a finally block)
     * @throws TimeoutException when messages were still in progress after {@code maxWait}; acceptance is resumed
     */
    public synchronized Resumption pause(Duration maxWait) throws TimeoutException, InterruptedException {
        if (paused) {
            throw new IllegalStateException("Mail acceptance is already paused");
        }
        paused = true;
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                paused = false;
                throw new TimeoutException(inFlight + " messages still being delivered after " + maxWait.toSeconds() + " s");
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return this::resume;
    }

    private synchronized void resume() {
        paused = false;
    }

    /** Ends a pause. */
    @FunctionalInterface
    public interface Resumption extends AutoCloseable {
        @Override
        void close();
    }
}
