package org.essaim.delivery.spool;

import java.nio.file.Path;

/**
 * Where messages wait while they are received, checked and encrypted: each {@link SpooledMessage} keeps its bytes
 * in memory up to {@code memoryLimit}, and beyond that in a temporary file encrypted under a key that exists only
 * in that object's memory. So a message of the maximum size (45 MB and more) is handled with a small heap, and no
 * plaintext ever reaches a temporary file (issue 11 item 6).
 * <p>
 * James' own buffering would instead keep a whole message in one growing array (several copies of it at the end of
 * DATA) or, above {@code james.message.memory.threshold}, write it in clear to {@code java.io.tmpdir}.
 */
public final class MessageSpool {
    /** Small mail (nearly all of it) never touches the disk. */
    public static final int DEFAULT_MEMORY_LIMIT = 1 << 20;

    private final Path directory;
    private final int memoryLimit;

    public MessageSpool(Path directory, int memoryLimit) {
        this.directory = directory;
        this.memoryLimit = memoryLimit;
    }

    /** Spill files in {@code java.io.tmpdir}, messages up to 1 MiB in memory. */
    public static MessageSpool inTemporaryDirectory() {
        return new MessageSpool(Path.of(System.getProperty("java.io.tmpdir")), DEFAULT_MEMORY_LIMIT);
    }

    /** A new, empty message: write it through {@link SpooledMessage#output()}, then read it as often as needed. */
    public SpooledMessage newMessage() {
        return new SpooledMessage(directory, memoryLimit);
    }
}
