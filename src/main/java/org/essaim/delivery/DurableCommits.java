package org.essaim.delivery;

/**
 * The promise behind every {@code 250} and every IMAP APPEND {@code OK}: what the mail store committed is on the
 * disk (fsync), not only in memory or the operating system's cache. Commits themselves stay cheap; a caller that
 * is about to acknowledge asks for durability once, and callers that ask at the same time share one sync (group
 * commit), so eight sessions cost about one fsync instead of eight.
 */
public interface DurableCommits {

    /**
     * Returns once everything the mail store committed before this call is on disk.
     *
     * @throws NotDurableException when the sync failed (disk full, I/O error): nothing may be acknowledged
     */
    void awaitDurable();

    /** The store could not make its commits durable; the caller answers with a temporary error. */
    class NotDurableException extends RuntimeException {
        public NotDurableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
