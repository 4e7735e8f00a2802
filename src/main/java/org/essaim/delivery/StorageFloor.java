package org.essaim.delivery;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free-space floor of the data directory's disk ({@code essaim.storage.min-free}): below it, new mail is
 * refused with a temporary error (senders retry), long before the disk is full, so the mail store never meets a
 * full disk mid-write (H2 closes its database then, and acknowledged mail could be lost). The check is made
 * afresh (at most every half second), so delivery resumes by itself as soon as space is freed.
 */
public class StorageFloor {
    /** Writing a message costs more than its size (database pages, index, journal): room asked per message byte. */
    static final int BYTES_WRITTEN_PER_MESSAGE_BYTE = 3;
    private static final long RECHECK_NANOS = 500_000_000L;

    public enum State {
        /** Well above the floor. */
        OK,
        /** Less than twice the floor left: still accepting, admins are warned. */
        LOW,
        /** At or below the floor: new mail refused with 4xx until space is freed. */
        REFUSING
    }

    private final Path dataDir;
    private final long minFreeBytes;
    private volatile long usable = Long.MAX_VALUE;
    private volatile long checkedAt;
    private volatile boolean everChecked;

    public StorageFloor(Path dataDir, long minFreeBytes) {
        this.dataDir = dataDir;
        this.minFreeBytes = minFreeBytes;
    }

    /** Whether a message of this size may be stored now without going below the floor. */
    public boolean allows(long messageBytes) {
        return usableBytes() - messageBytes * BYTES_WRITTEN_PER_MESSAGE_BYTE > minFreeBytes;
    }

    public State state() {
        long free = usableBytes();
        if (free <= minFreeBytes) {
            return State.REFUSING;
        }
        return free < 2 * minFreeBytes ? State.LOW : State.OK;
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    public long usableBytes() {
        long now = System.nanoTime();
        if (!everChecked || now - checkedAt > RECHECK_NANOS) {
            usable = measure();
            checkedAt = now;
            everChecked = true;
        }
        return usable;
    }

    private long measure() {
        try {
            Path existing = dataDir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            FileStore store = Files.getFileStore(existing == null ? dataDir.toAbsolutePath().getRoot() : existing);
            return store.getUsableSpace();
        } catch (IOException e) {
            return 0; // cannot tell: behave as full rather than risk the store
        }
    }

    /**
     * The default floor when {@code essaim.storage.min-free} is not set: 5% of the disk, at least 32 MiB and at
     * most 1 GiB.
     */
    public static long defaultFloor(Path dataDir) {
        try {
            Path existing = dataDir.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            long total = Files.getFileStore(existing).getTotalSpace();
            return Math.min(1L << 30, Math.max(32L << 20, total / 20));
        } catch (IOException | RuntimeException e) {
            return 256L << 20;
        }
    }
}
